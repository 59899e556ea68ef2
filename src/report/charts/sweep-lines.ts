/** Chart (f): a metric against a sweep's grid parameter, one line per mechanism, with 95% CI bands. */
import { area, line, scalePoint } from 'd3';
import { drawXAxis, drawYAxis, extentScale, fitTicks, TICK_FONT, yAxisWidth, type Tick } from '../axes.js';
import { r2, textWidth, truncateMiddle } from '../format.js';
import { drawLegend, type LegendItem } from '../legend.js';
import { axisLabel, metricInfo } from '../metrics.js';
import { distinct, groupBy, num, str, type Row } from '../rows.js';
import { createChart, drawHeader, drawNoData, INK, MUTED, serialize } from '../svg.js';
import { lineLegend, seriesOf, widthOf, type ChartOptions } from './common.js';

/** Options of {@link sweepChart}. */
export interface SweepChartOptions extends ChartOptions {
  /** Summary column to plot (default `liveness`); reads `<metric>_mean`, `_ci95_lo`, `_ci95_hi`. */
  readonly metric?: string;
  /** Grid parameter on the x axis (default: the first grid column). */
  readonly param?: string;
  /**
   * Values of the other grid parameters to hold fixed (default: each one's first value in the
   * file). Rows with other values are left out.
   */
  readonly fixed?: Readonly<Record<string, string>>;
  /** Grid columns, if the rows do not start with them (default: the columns before `mechanism`). */
  readonly gridColumns?: readonly string[];
}

const PLOT_H = 250;

/** The grid parameter columns of aggregate rows: every column before `mechanism`. */
export function gridColumnsOf(aggregate: readonly Row[]): string[] {
  if (aggregate.length === 0) return [];
  const cols = Object.keys(aggregate[0]);
  const i = cols.indexOf('mechanism');
  return i < 0 ? [] : cols.slice(0, i);
}

/** The rows of one slice of the grid: `param` varies, the other grid columns are held fixed. */
export function sweepSlice(
  aggregate: readonly Row[],
  opts: Pick<SweepChartOptions, 'param' | 'fixed' | 'gridColumns'> = {},
): { param: string | null; fixed: Record<string, string>; rows: Row[] } {
  const grid = opts.gridColumns ? [...opts.gridColumns] : gridColumnsOf(aggregate);
  const param = opts.param ?? grid[0] ?? null;
  const fixed: Record<string, string> = {};
  for (const c of grid) {
    if (c === param) continue;
    fixed[c] = opts.fixed?.[c] ?? distinct(aggregate, c)[0] ?? '';
  }
  const rows = aggregate.filter((r) => Object.entries(fixed).every(([c, v]) => str(r, c) === v));
  return { param, fixed, rows };
}

/**
 * "a = 1, b = x" for the fixed grid parameters that take more than one value in the sweep (those
 * with a single value are the same everywhere and go unsaid).
 */
export function fixedText(aggregate: readonly Row[], fixed: Readonly<Record<string, string>>): string {
  return Object.entries(fixed)
    .filter(([k]) => distinct(aggregate, k).length > 1)
    .map(([k, v]) => `${shortParam(k)} = ${v}`)
    .join(', ');
}

/** Last segment of a dot path, for titles: `market.redundancy` → `redundancy`. */
export function shortParam(path: string): string {
  const parts = path.split('.').filter((p) => p !== '' && !/^\d+$/.test(p));
  return parts.length ? parts[parts.length - 1] : path;
}

/**
 * Draws `metric` (default liveness) against the first grid parameter of a sweep's aggregate rows:
 * one line per mechanism through the means, with a band from `_ci95_lo` to `_ci95_hi`. Numeric
 * parameters get a linear axis, others evenly spaced categories. Returns the SVG.
 */
export function sweepChart(aggregate: readonly Row[], opts: SweepChartOptions = {}): string {
  const W = widthOf(opts);
  const metric = opts.metric ?? 'liveness';
  const info = metricInfo(metric);
  const { param, fixed, rows } = sweepSlice(aggregate, opts);
  const series = seriesOf(rows, opts);
  const short = param ? shortParam(param) : 'grid point';
  const title = opts.title ?? `${info.label[0].toUpperCase()}${info.label.slice(1)} vs ${short}`;
  const fixedTxt = fixedText(aggregate, fixed);
  const maxN = Math.max(0, ...rows.map((r) => num(r, 'n') ?? 0));
  const subtitle = `${maxN >= 2 ? 'Mean over seeds with 95% CI band (t)' : 'One seed per point'}${fixedTxt ? `; fixed: ${fixedTxt}` : ''}`;
  const root = createChart(`sweep-${metric}`, W, 0, title);
  const { svg } = root;
  let y = drawHeader(svg, title, subtitle);
  const items: LegendItem[] = lineLegend(series);
  if (maxN >= 2) items.push({ label: '95% CI', color: '#c8c8c8', kind: 'box' });
  y += drawLegend(svg, items, 12, y + 2, W - 24) + 12;

  const xsRaw = param ? distinct(rows, param) : [];
  const numeric = xsRaw.length > 0 && xsRaw.every((v) => v.trim() !== '' && Number.isFinite(Number(v)));
  const pts = new Map<string, Array<{ key: string; x: number; m: number | null; lo: number | null; hi: number | null }>>();
  const byMech = groupBy(rows, 'mechanism');
  const ys: number[] = [];
  for (const s of series) {
    const list = (byMech.get(s.name) ?? []).map((r) => {
      const key = param ? str(r, param) : '';
      const m = num(r, `${metric}_mean`);
      const lo = num(r, `${metric}_ci95_lo`) ?? m;
      const hi = num(r, `${metric}_ci95_hi`) ?? m;
      for (const v of [m, lo, hi]) if (v !== null) ys.push(v);
      return { key, x: numeric ? Number(key) : xsRaw.indexOf(key), m, lo, hi };
    });
    list.sort((a, b) => a.x - b.x);
    pts.set(s.name, list);
  }

  const yScale = extentScale(ys, [PLOT_H, 0]);
  if (info.percent) {
    const [d0, d1] = yScale.domain();
    yScale.domain([Math.max(0, d0), Math.min(1, d1) > Math.max(0, d0) ? Math.min(1, d1) : Math.max(0, d0) + 0.01]);
  }
  const yTicks = fitTicks(yScale, PLOT_H, 'y', info.percent ? 'percent' : 'number');
  let left = 12 + yAxisWidth(yTicks);
  let plotW = W - left - 24;

  // x axis: linear for numbers, evenly spaced points (labels rotated if they do not fit) otherwise.
  let xOf: (p: { x: number; key: string }) => number;
  let xTicks: Tick[];
  let rotate = false;
  let xScaleFn: (v: number) => number;
  if (numeric) {
    const xs = xsRaw.map(Number);
    const xl = extentScale(xs, [10, plotW - 10]).domain([Math.min(...xs), Math.max(...xs) === Math.min(...xs) ? Math.min(...xs) + 1 : Math.max(...xs)]);
    const nice = fitTicks(xl, plotW, 'x');
    // Grid values are what was run: tick those when there are few, otherwise nice ticks.
    xTicks = xs.length <= 12 && fitsAll(xs.map((v) => nice.length ? fmtTick(v) : String(v)), plotW) ? [...xs].sort((a, b) => a - b).map((v) => ({ value: v, label: fmtTick(v) })) : nice;
    xScaleFn = xl;
    xOf = (p) => xl(p.x);
  } else {
    const pt = scalePoint<number>().domain(xsRaw.map((_, i) => i)).range([0, plotW]).padding(0.5);
    const labels = xsRaw.map((v) => truncateMiddle(v, 18));
    rotate = !fitsAll(labels, plotW);
    if (rotate) {
      // Rotated labels hang left of their tick: make room for the first one.
      const need = textWidth(labels[0], TICK_FONT) * 0.87 + 6 - (left + (pt(0) ?? 0));
      if (need > 0) {
        left += need;
        plotW -= need;
        pt.range([0, plotW]);
      }
    }
    xTicks = xsRaw.map((_, i) => ({ value: i, label: labels[i] }));
    xScaleFn = (v) => pt(v) ?? 0;
    xOf = (p) => pt(p.x) ?? 0;
  }
  const extraBottom = rotate ? Math.ceil(Math.max(0, ...xTicks.map((t) => textWidth(t.label, TICK_FONT))) * 0.5) : 0;
  const height = Math.ceil(y + PLOT_H + 50 + extraBottom);
  svg.attr('height', height).attr('viewBox', `0 0 ${W} ${height}`);
  svg.select('rect.background').attr('height', height);

  const g = svg.append('g').attr('class', 'plot').attr('transform', `translate(${r2(left)},${r2(y)})`);
  drawYAxis(g, yScale, yTicks, { height: PLOT_H, label: axisLabel(info), grid: plotW, width: yAxisWidth(yTicks) });
  const xLabel = param ?? 'grid point';
  if (rotate) {
    drawXAxis(g, xScaleFn, [], { y: PLOT_H, width: plotW });
    const a = g.append('g').attr('class', 'axis axis-x rotated').attr('transform', `translate(0,${PLOT_H})`);
    for (const t of xTicks) {
      const x = r2(xScaleFn(t.value));
      a.append('line').attr('x1', x).attr('x2', x).attr('y1', 0).attr('y2', 5).attr('stroke', MUTED);
      a.append('text').attr('transform', `translate(${x},10) rotate(-30)`).attr('text-anchor', 'end').attr('dy', '0.7em').attr('font-size', TICK_FONT).attr('fill', MUTED).text(t.label);
    }
    a.append('text').attr('class', 'axis-title').attr('x', r2(plotW / 2)).attr('y', 36 + extraBottom).attr('text-anchor', 'middle').attr('font-size', 12).attr('fill', INK).text(xLabel);
  } else {
    drawXAxis(g, xScaleFn, xTicks, { y: PLOT_H, label: xLabel, width: plotW });
  }
  if (ys.length === 0) drawNoData(g, plotW / 2, PLOT_H / 2, `no ${metric}_mean values`);

  for (const s of series) {
    const ps = pts.get(s.name) ?? [];
    if (maxN >= 2) {
      const band = area<(typeof ps)[number]>()
        .defined((p) => p.lo !== null && p.hi !== null)
        .x(xOf)
        .y0((p) => yScale(clampPct(p.lo ?? 0, info.percent)))
        .y1((p) => yScale(clampPct(p.hi ?? 0, info.percent)))
        .digits(2);
      g.append('path').attr('class', 'band').attr('d', band(ps) ?? '').attr('fill', s.color).attr('fill-opacity', 0.18);
    }
    const ln = line<(typeof ps)[number]>()
      .defined((p) => p.m !== null)
      .x(xOf)
      .y((p) => yScale(p.m ?? 0))
      .digits(2);
    const path = g.append('path').attr('class', 'series').attr('d', ln(ps) ?? '').attr('fill', 'none').attr('stroke', s.color).attr('stroke-width', 2);
    if (s.dash) path.attr('stroke-dasharray', s.dash);
    path.append('title').text(s.name);
    for (const p of ps) {
      if (p.m === null) continue;
      g.append('circle')
        .attr('cx', r2(xOf(p)))
        .attr('cy', r2(yScale(p.m)))
        .attr('r', 3.5)
        .attr('fill', s.color)
        .append('title')
        .text(`${s.name}, ${short} = ${p.key}: ${info.fmt(p.m)}`);
    }
  }
  return serialize(root);
}

function clampPct(v: number, pct: boolean): number {
  return pct ? Math.min(1, Math.max(0, v)) : v;
}

function fmtTick(v: number): string {
  return String(Math.round(v * 1e6) / 1e6);
}

function fitsAll(labels: readonly string[], width: number): boolean {
  if (labels.length === 0) return true;
  const need = labels.reduce((acc, l) => acc + textWidth(l, TICK_FONT) + 12, 0);
  return need <= width * 0.9;
}
