/** Chart (f): a metric against a sweep's grid parameter, one line per mechanism, with 95% CI bands. */
import { area, line, scalePoint } from 'd3';
import { drawXAxis, drawYAxis, extentScale, fitTicks, TICK_FONT, yAxisWidth, type Tick } from '../axes.js';
import { r2, textWidth, truncateMiddle } from '../format.js';
import { drawLegend, type LegendItem } from '../legend.js';
import { axisLabel, metricBounds, metricInfo } from '../metrics.js';
import { distinct, groupBy, num, str, type Row } from '../rows.js';
import { createChart, drawHeader, drawNoData, INK, MUTED, serialize, type Sel } from '../svg.js';
import { lineLegend, seriesOf, widthOf, type ChartOptions, type Series } from './common.js';

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

/** Most panels a faceted sweep chart draws; further combinations are named in the subtitle. */
export const MAX_FACETS = 12;

/**
 * The facets of a sweep chart: every combination (in file order) of the grid parameters other than
 * `param` that take more than one value and are not held fixed by the caller.
 */
export function sweepFacets(
  aggregate: readonly Row[],
  param: string | null,
  gridColumns: readonly string[],
  fixed: Readonly<Record<string, string>> = {},
): { columns: string[]; combos: Array<Record<string, string>> } {
  const columns = gridColumns.filter((c) => c !== param && !(c in fixed) && distinct(aggregate, c).length > 1);
  const seen = new Map<string, Record<string, string>>();
  for (const r of aggregate) {
    if (!Object.entries(fixed).every(([c, v]) => str(r, c) === v)) continue;
    const combo = Object.fromEntries(columns.map((c) => [c, str(r, c)]));
    const key = JSON.stringify(combo);
    if (!seen.has(key)) seen.set(key, combo);
  }
  const combos = [...seen.values()];
  // Numeric grid values in numeric order, column by column (the first column varies slowest).
  const cmp = (a: string, b: string) => (Number.isFinite(Number(a)) && Number.isFinite(Number(b)) ? Number(a) - Number(b) : 0);
  combos.sort((a, b) => {
    for (const c of columns) {
      const d = cmp(a[c], b[c]);
      if (d !== 0) return d;
    }
    return 0;
  });
  return { columns, combos };
}

type Pt = { key: string; x: number; m: number | null; lo: number | null; hi: number | null };

/**
 * Draws `metric` (default liveness) against a grid parameter of a sweep's aggregate rows: one line
 * per mechanism through the means, with a band from `_ci95_lo` to `_ci95_hi` clipped to the
 * metric's bounds (a share stays in [0, 1], a cost or a CV above 0). Every other grid parameter
 * with more than one value gets its own panel (small multiples on shared axes), so every grid point
 * is shown; `fixed` holds parameters at one value instead. Numeric parameters get a linear axis,
 * others evenly spaced categories. Returns the SVG.
 */
export function sweepChart(aggregate: readonly Row[], opts: SweepChartOptions = {}): string {
  const W = widthOf(opts);
  const metric = opts.metric ?? 'liveness';
  const info = metricInfo(metric);
  const [lb, ub] = metricBounds(metric);
  const grid = opts.gridColumns ? [...opts.gridColumns] : gridColumnsOf(aggregate);
  const param = opts.param ?? grid[0] ?? null;
  const given = opts.fixed ?? {};
  const { columns: facetCols, combos: allCombos } = sweepFacets(aggregate, param, grid, given);
  const combos = allCombos.slice(0, MAX_FACETS);
  const inView = aggregate.filter((r) => Object.entries(given).every(([c, v]) => str(r, c) === v));
  const series = seriesOf(inView, opts);
  const short = param ? shortParam(param) : 'grid point';
  const title = opts.title ?? `${info.label[0].toUpperCase()}${info.label.slice(1)} vs ${short}`;
  const fixedTxt = fixedText(aggregate, given);
  const maxN = Math.max(0, ...inView.map((r) => num(r, 'n') ?? 0));
  const facetTxt = facetCols.length
    ? `; one panel per ${facetCols.map(shortParam).join(' × ')}${allCombos.length > combos.length ? ` (the first ${combos.length} of ${allCombos.length}; the rest are in aggregate.csv)` : ''}`
    : '';
  const subtitle = `${maxN >= 2 ? 'Mean over seeds with 95% CI band (t)' : 'One seed per point'}${fixedTxt ? `; fixed: ${fixedTxt}` : ''}${facetTxt}`;
  const root = createChart(`sweep-${metric}`, W, 0, title);
  const { svg } = root;
  let y = drawHeader(svg, title, subtitle);
  const items: LegendItem[] = lineLegend(series);
  if (maxN >= 2) items.push({ label: '95% CI', color: '#c8c8c8', kind: 'box' });
  y += drawLegend(svg, items, 12, y + 2, W - 24) + 12;

  const xsRaw = param ? distinct(inView, param) : [];
  const numeric = xsRaw.length > 0 && xsRaw.every((v) => v.trim() !== '' && Number.isFinite(Number(v)));
  const clip = (v: number | null) => (v === null ? null : Math.min(ub, Math.max(lb, v)));
  const ys: number[] = [];
  const panels = (combos.length ? combos : [{}]).map((combo) => {
    const rows = inView.filter((r) => Object.entries(combo).every(([c, v]) => str(r, c) === v));
    const byMech = groupBy(rows, 'mechanism');
    const pts = new Map<string, Pt[]>();
    for (const s of series) {
      const list = (byMech.get(s.name) ?? []).map((r) => {
        const key = param ? str(r, param) : '';
        const m = num(r, `${metric}_mean`);
        const lo = clip(num(r, `${metric}_ci95_lo`) ?? m);
        const hi = clip(num(r, `${metric}_ci95_hi`) ?? m);
        for (const v of [m, lo, hi]) if (v !== null) ys.push(v);
        return { key, x: numeric ? Number(key) : xsRaw.indexOf(key), m, lo, hi };
      });
      list.sort((a, b) => a.x - b.x);
      pts.set(s.name, list);
    }
    return { combo, pts };
  });

  const cols = Math.min(panels.length, 3);
  const gapX = 16;
  const plotH = panels.length > 1 ? 150 : PLOT_H;
  const yScale = extentScale(ys, [plotH, 0]);
  const [d0, d1] = yScale.domain();
  const lo0 = Math.max(lb, d0);
  const hi0 = Math.min(ub, d1);
  yScale.domain([lo0, hi0 > lo0 ? hi0 : lo0 + (info.percent ? 0.01 : 1)]);
  const yTicks = fitTicks(yScale, plotH, 'y', info.percent ? 'percent' : 'number');
  let left = 12 + yAxisWidth(yTicks);
  let panelW = (W - left - 16 - gapX * (cols - 1)) / cols;
  const xAxis = sweepXAxis(xsRaw, numeric, panelW);
  if (xAxis.extraLeft > 0) {
    left += xAxis.extraLeft;
    panelW = (W - left - 16 - gapX * (cols - 1)) / cols;
    xAxis.rescale(panelW);
  }
  const titleH = facetCols.length ? 22 : 0;
  const panelH = titleH + plotH + 46 + xAxis.extraBottom;
  const rowsN = Math.ceil(panels.length / cols);
  const height = Math.ceil(y + rowsN * panelH + 4);
  svg.attr('height', height).attr('viewBox', `0 0 ${W} ${height}`);
  svg.select('rect.background').attr('height', height);

  panels.forEach((p, i) => {
    const col = i % cols;
    const row = Math.floor(i / cols);
    const g = svg
      .append('g')
      .attr('class', 'plot panel')
      .attr('transform', `translate(${r2(left + col * (panelW + gapX))},${r2(y + row * panelH + titleH)})`);
    if (facetCols.length) {
      const label = Object.entries(p.combo)
        .map(([k, v]) => `${shortParam(k)} = ${v}`)
        .join(', ');
      g.append('text')
        .attr('class', 'panel-title')
        .attr('x', 0)
        .attr('y', -8)
        .attr('font-weight', 'bold')
        .attr('font-size', 12)
        .text(truncateMiddle(label, Math.max(12, Math.floor(panelW / 7))));
    }
    drawYAxis(g, yScale, col === 0 ? yTicks : yTicks.map((t) => ({ value: t.value, label: '' })), {
      height: plotH,
      label: col === 0 ? axisLabel(info) : undefined,
      grid: panelW,
      width: yAxisWidth(yTicks),
    });
    xAxis.draw(g, plotH, panelW, param ?? 'grid point');
    if (ys.length === 0) drawNoData(g, panelW / 2, plotH / 2, `no ${metric}_mean values`);
    drawSweepSeries(g, series, p.pts, xAxis.xOf, yScale, maxN >= 2, short, info.fmt);
  });
  return serialize(root);
}

/** The x axis of a sweep panel: linear for numeric grid values, evenly spaced (maybe rotated) categories otherwise. */
function sweepXAxis(xsRaw: readonly string[], numeric: boolean, width: number) {
  let plotW = width;
  let rotate = false;
  let extraLeft = 0;
  let xOf: (p: { x: number }) => number = () => 0;
  let xTicks: Tick[] = [];
  let scaleFn: (v: number) => number = () => 0;
  const labels = xsRaw.map((v) => truncateMiddle(v, 18));
  const build = () => {
    if (numeric) {
      const xs = xsRaw.map(Number);
      const lo = Math.min(...xs);
      const hi = Math.max(...xs) === lo ? lo + 1 : Math.max(...xs);
      const xl = extentScale(xs, [10, plotW - 10]).domain([lo, hi]);
      const nice = fitTicks(xl, plotW, 'x');
      // Grid values are what was run: tick those when there are few, otherwise nice ticks.
      xTicks =
        xs.length <= 12 && fitsAll(xs.map(fmtTick), plotW)
          ? [...xs].sort((a, b) => a - b).map((v) => ({ value: v, label: fmtTick(v) }))
          : nice;
      scaleFn = xl;
      xOf = (p) => xl(p.x);
    } else {
      const pt = scalePoint<number>()
        .domain(xsRaw.map((_, i) => i))
        .range([0, plotW])
        .padding(0.5);
      xTicks = xsRaw.map((_, i) => ({ value: i, label: labels[i] }));
      scaleFn = (v) => pt(v) ?? 0;
      xOf = (p) => pt(p.x) ?? 0;
    }
  };
  if (!numeric) {
    rotate = !fitsAll(labels, plotW);
    // Rotated labels hang left of their tick: make room for the first one.
    if (rotate && labels.length) extraLeft = Math.max(0, textWidth(labels[0], TICK_FONT) * 0.87 + 6 - 40 - plotW / (2 * labels.length));
  }
  build();
  const extraBottom = rotate ? Math.ceil(Math.max(0, ...xTicks.map((t) => textWidth(t.label, TICK_FONT))) * 0.5) : 0;
  return {
    extraLeft,
    extraBottom,
    get xOf() {
      return xOf;
    },
    rescale(w: number) {
      plotW = w;
      build();
    },
    draw(g: Sel, plotH: number, w: number, label: string) {
      if (!rotate) {
        drawXAxis(g, scaleFn, xTicks, { y: plotH, label, width: w });
        return;
      }
      drawXAxis(g, scaleFn, [], { y: plotH, width: w });
      const a = g.append('g').attr('class', 'axis axis-x rotated').attr('transform', `translate(0,${plotH})`);
      for (const t of xTicks) {
        const x = r2(scaleFn(t.value));
        a.append('line').attr('x1', x).attr('x2', x).attr('y1', 0).attr('y2', 5).attr('stroke', MUTED);
        a.append('text')
          .attr('transform', `translate(${x},10) rotate(-30)`)
          .attr('text-anchor', 'end')
          .attr('dy', '0.7em')
          .attr('font-size', TICK_FONT)
          .attr('fill', MUTED)
          .text(t.label);
      }
      a.append('text')
        .attr('class', 'axis-title')
        .attr('x', r2(w / 2))
        .attr('y', 36 + extraBottom)
        .attr('text-anchor', 'middle')
        .attr('font-size', 12)
        .attr('fill', INK)
        .text(label);
    },
  };
}

/** One panel's lines, CI bands and points. */
function drawSweepSeries(
  g: Sel,
  series: readonly Series[],
  pts: Map<string, Pt[]>,
  xOf: (p: { x: number }) => number,
  yScale: (v: number) => number,
  bands: boolean,
  short: string,
  fmt: (x: number | null) => string,
): void {
  for (const s of series) {
    const ps = pts.get(s.name) ?? [];
    if (bands) {
      const band = area<Pt>()
        .defined((p) => p.lo !== null && p.hi !== null)
        .x(xOf)
        .y0((p) => yScale(p.lo ?? 0))
        .y1((p) => yScale(p.hi ?? 0))
        .digits(2);
      g.append('path')
        .attr('class', 'band')
        .attr('d', band(ps) ?? '')
        .attr('fill', s.color)
        .attr('fill-opacity', 0.18);
    }
    const ln = line<Pt>()
      .defined((p) => p.m !== null)
      .x(xOf)
      .y((p) => yScale(p.m ?? 0))
      .digits(2);
    const path = g
      .append('path')
      .attr('class', 'series')
      .attr('d', ln(ps) ?? '')
      .attr('fill', 'none')
      .attr('stroke', s.color)
      .attr('stroke-width', 2);
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
        .text(`${s.name}, ${short} = ${p.key}: ${fmt(p.m)}`);
    }
  }
}

function fmtTick(v: number): string {
  return String(Math.round(v * 1e6) / 1e6);
}

function fitsAll(labels: readonly string[], width: number): boolean {
  if (labels.length === 0) return true;
  const need = labels.reduce((acc, l) => acc + textWidth(l, TICK_FONT) + 12, 0);
  return need <= width * 0.9;
}
