/**
 * Chart (e): market share over time as stacked areas, one small multiple per mechanism, with the
 * number of active operators on a right axis. Made for the attack scenarios.
 */
import { area, curveStepAfter, line, scaleLinear, stack } from 'd3';
import { drawXAxis, drawYAxis, extentScale, fitTicks, yAxisWidth, zeroBasedScale } from '../axes.js';
import { r2, timeUnit, truncate, truncateMiddle } from '../format.js';
import { drawLegend, type LegendItem } from '../legend.js';
import { entityColor, GREY } from '../palette.js';
import { groupBy, num, str, type Row } from '../rows.js';
import { createChart, drawHeader, drawNoData, INK, serialize } from '../svg.js';
import { scenarioOf, seedsIn, seriesOf, widthOf, type ChartOptions } from './common.js';

/** Options of {@link marketShareChart}. */
export interface MarketShareOptions extends ChartOptions {
  /** Which seed to show (default: the smallest in the shares). */
  readonly seed?: number;
  /** Most entities shown with their own colour; the rest join `others` (default 7). */
  readonly maxEntities?: number;
}

const PANEL_PLOT_H = 150;
const OTHERS = 'others';

/** Entities ranked by total share over all panels (`others` excluded), largest first. */
export function rankEntities(shares: readonly Row[]): string[] {
  const tot = new Map<string, number>();
  const order: string[] = [];
  for (const r of shares) {
    const e = str(r, 'entity');
    if (e === OTHERS) continue;
    if (!tot.has(e)) order.push(e);
    tot.set(e, (tot.get(e) ?? 0) + (num(r, 'share') ?? 0));
  }
  return order
    .map((e, i) => ({ e, i, t: tot.get(e) ?? 0 }))
    .sort((a, b) => b.t - a.t || a.i - b.i)
    .map((x) => x.e);
}

/**
 * Draws market share over time from shares rows (stacked areas per entity) and, when timeseries
 * rows are given, the active operators per window as a dashed line on the right axis. One panel
 * per mechanism, two per row. Returns the SVG.
 */
export function marketShareChart(shares: readonly Row[], timeseries: readonly Row[] = [], opts: MarketShareOptions = {}): string {
  const W = widthOf(opts);
  const seeds = seedsIn(shares);
  const seed = opts.seed ?? seeds[0];
  const mine = shares.filter((r) => num(r, 'seed') === seed || (seed === undefined && num(r, 'seed') === null));
  const ts = timeseries.filter((r) => seed === undefined || num(r, 'seed') === seed);
  const series = seriesOf(mine.length ? mine : shares, opts);
  const ranked = rankEntities(mine);
  const shown = ranked.slice(0, opts.maxEntities ?? 7);
  const shownSet = new Set(shown);
  const keys = [...shown, OTHERS];
  const colour = new Map<string, string>(shown.map((e, i) => [e, entityColor(i)]));
  colour.set(OTHERS, GREY);

  const title = opts.title ?? 'Market share over time';
  const scen = scenarioOf(shares);
  const seedTxt = seed === undefined ? '' : `, seed ${seed}${seeds.length > 1 ? ` of ${seeds.length}` : ''}`;
  const subtitle = `${scen ? `${scen}: ` : ''}share of delivered work per window${seedTxt}; dashed: active operators (right axis)`;
  const root = createChart('market-share', W, 0, title);
  const { svg } = root;
  let y = drawHeader(svg, title, subtitle);
  const items: LegendItem[] = keys.map((k) => ({ label: truncateMiddle(k, 20), color: colour.get(k) ?? GREY, kind: 'box' as const }));
  if (ts.length) items.push({ label: 'active operators', color: INK, kind: 'line', dash: '5 3' });
  y += drawLegend(svg, items, 12, y + 2, W - 24) + 8;

  const byMechShares = groupBy(mine, 'mechanism');
  const byMechTs = groupBy(ts, 'mechanism');
  const allT = [...mine, ...ts].map((r) => num(r, 't_start_s')).filter((v): v is number => v !== null);
  const unit = timeUnit(allT.length ? Math.max(...allT) - Math.min(...allT) : 0);
  const ops = ts.map((r) => num(r, 'active_operators')).filter((v): v is number => v !== null);

  const starts = [...new Set(allT)].sort((a, b) => a - b);
  const step = (starts.length >= 2 ? starts[1] - starts[0] : unit.seconds) / unit.seconds;
  const cols = series.length >= 2 ? 2 : 1;
  const gapX = 20;
  const panelW = (W - 24 - gapX * (cols - 1)) / cols;
  const shareScale = scaleLinear().domain([0, 1]).range([PANEL_PLOT_H, 0]);
  const shareTicks = fitTicks(shareScale, PANEL_PLOT_H, 'y', 'percent').filter((_, i, a) => a.length <= 6 || i % 2 === 0);
  const opsScale = zeroBasedScale(ops.length ? ops : [1], [PANEL_PLOT_H, 0]);
  const opsTicks = fitTicks(opsScale, PANEL_PLOT_H, 'y').filter((t) => Number.isInteger(t.value));
  const leftW = yAxisWidth(shareTicks);
  const rightW = ts.length ? yAxisWidth(opsTicks) : 8;
  const plotW = panelW - leftW - rightW;
  const panelH = 24 + PANEL_PLOT_H + 50;
  const rows = Math.max(1, Math.ceil(series.length / cols));
  const height = Math.ceil(y + rows * panelH + 4);
  svg.attr('height', height).attr('viewBox', `0 0 ${W} ${height}`);
  svg.select('rect.background').attr('height', height);

  if (series.length === 0) drawNoData(svg, W / 2, y + 80, 'no market share data');
  series.forEach((s, i) => {
    const px = 12 + (i % cols) * (panelW + gapX) + leftW;
    const py = y + Math.floor(i / cols) * panelH + 24;
    const g = svg
      .append('g')
      .attr('class', 'panel')
      .attr('transform', `translate(${r2(px)},${r2(py)})`);
    g.append('text')
      .attr('class', 'panel-title')
      .attr('x', 0)
      .attr('y', -10)
      .attr('font-weight', 'bold')
      .attr('font-size', 12.5)
      .text(truncate(s.name, 40));
    const rowsM = byMechShares.get(s.name) ?? [];
    const byW = new Map<number, { t: number; v: Record<string, number> }>();
    for (const r of rowsM) {
      const w = num(r, 'window');
      if (w === null) continue;
      const cell = byW.get(w) ?? { t: num(r, 't_start_s') ?? w, v: Object.fromEntries(keys.map((k) => [k, 0])) };
      const e = str(r, 'entity');
      const k = shownSet.has(e) ? e : OTHERS;
      cell.v[k] += num(r, 'share') ?? 0;
      byW.set(w, cell);
    }
    // Shares hold for a whole window: draw steps, closing the last window one window length later.
    const data = withEnd(
      [...byW.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => ({ t: c.t / unit.seconds, ...c.v })),
      step,
    );
    const tsM = withEnd(
      (byMechTs.get(s.name) ?? [])
        .map((r) => ({ t: (num(r, 't_start_s') ?? 0) / unit.seconds, v: num(r, 'active_operators') }))
        .filter((p): p is { t: number; v: number } => p.v !== null)
        .sort((a, b) => a.t - b.t),
      step,
    );
    const x = extentScale([...data.map((d) => d.t), ...tsM.map((p) => p.t)], [0, plotW]);
    const xTicks = fitTicks(x, plotW, 'x');
    drawYAxis(g, shareScale, shareTicks, { height: PANEL_PLOT_H, label: 'share (%)', grid: plotW, width: leftW });
    drawXAxis(g, x, xTicks, { y: PANEL_PLOT_H, label: `time (${unit.label})`, width: plotW });
    const total = rowsM.reduce((acc, r) => acc + (num(r, 'share') ?? 0), 0);
    if (total === 0) drawNoData(g, plotW / 2, PANEL_PLOT_H / 2, 'no work delivered');
    const layers = stack<Record<string, number>>().keys(keys)(data as Array<Record<string, number>>);
    const gen = area<[number, number] & { data: Record<string, number> }>()
      .x((d) => x(d.data.t))
      .y0((d) => shareScale(d[0]))
      .y1((d) => shareScale(d[1]))
      .curve(curveStepAfter)
      .digits(2);
    for (const layer of layers) {
      g.append('path')
        .attr('class', 'area')
        .attr('d', gen(layer as never) ?? '')
        .attr('fill', colour.get(layer.key) ?? GREY)
        .attr('fill-opacity', 0.85)
        .append('title')
        .text(`${s.name}: ${layer.key}`);
    }
    if (tsM.length) {
      const ln = line<{ t: number; v: number }>()
        .x((p) => x(p.t))
        .y((p) => opsScale(p.v))
        .curve(curveStepAfter)
        .digits(2);
      g.append('path')
        .attr('class', 'operators')
        .attr('d', ln(tsM) ?? '')
        .attr('fill', 'none')
        .attr('stroke', INK)
        .attr('stroke-width', 2)
        .attr('stroke-dasharray', '5 3');
      drawYAxis(g, opsScale, opsTicks, { height: PANEL_PLOT_H, label: 'active operators', side: 'right', x: plotW, width: rightW });
    }
  });
  return serialize(root);
}

/** Repeats the last point one window later, so step curves show the last window too. */
function withEnd<T extends { t: number }>(points: T[], step: number): T[] {
  if (points.length === 0) return points;
  const last = points[points.length - 1];
  return [...points, { ...last, t: last.t + step }];
}
