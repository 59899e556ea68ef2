/** Chart (b): the mean price per Mcycle in each window, one line per mechanism. */
import { line } from 'd3';
import { drawXAxis, drawYAxis, extentScale, fitTicks, yAxisWidth, zeroBasedScale } from '../axes.js';
import { r2, timeUnit } from '../format.js';
import { drawLegend } from '../legend.js';
import type { Row } from '../rows.js';
import { createChart, drawHeader, drawNoData, serialize } from '../svg.js';
import { lineLegend, scenarioOf, seedPhrase, seedsIn, seriesOf, widthOf, windowMeans, type ChartOptions } from './common.js';

const PLOT_H = 250;

/**
 * Draws the price per Mcycle over time from timeseries rows (`price_per_mcycle_mean_usd` per
 * window, averaged over seeds; gaps where no job was delivered). Returns the SVG.
 */
export function priceOverTimeChart(timeseries: readonly Row[], opts: ChartOptions = {}): string {
  const W = widthOf(opts);
  const series = seriesOf(timeseries, opts);
  const means = windowMeans(timeseries, 'price_per_mcycle_mean_usd');
  const seeds = seedsIn(timeseries);
  const title = opts.title ?? 'Price per Mcycle over time';
  const scen = scenarioOf(timeseries);
  const subtitle = `${scen ? `${scen}: ` : ''}mean paid per Mcycle of the jobs delivered in each window${seeds.length ? `, ${seedPhrase(seeds)}` : ''}`;
  const root = createChart('price-over-time', W, 0, title);
  const { svg } = root;
  let y = drawHeader(svg, title, subtitle);
  y += drawLegend(svg, lineLegend(series), 12, y + 2, W - 24) + 12;

  const pts = series.flatMap((s) => means.get(s.name) ?? []);
  const ts = pts.map((p) => p.t);
  const vs = pts.flatMap((p) => (p.v === null ? [] : [p.v]));
  const span = ts.length ? Math.max(...ts) - Math.min(...ts) : 0;
  const unit = timeUnit(span);
  const yScale = zeroBasedScale(vs, [PLOT_H, 0]);
  const yTicks = fitTicks(yScale, PLOT_H, 'y');
  const left = 12 + yAxisWidth(yTicks);
  const plotW = W - left - 20;
  const xScale = extentScale(ts.map((t) => t / unit.seconds), [0, plotW]);
  const xTicks = fitTicks(xScale, plotW, 'x');
  const height = Math.ceil(y + PLOT_H + 50);
  svg.attr('height', height).attr('viewBox', `0 0 ${W} ${height}`);
  svg.select('rect.background').attr('height', height);

  const g = svg.append('g').attr('class', 'plot').attr('transform', `translate(${r2(left)},${r2(y)})`);
  drawYAxis(g, yScale, yTicks, { height: PLOT_H, label: 'price (USD/Mcycle)', grid: plotW, width: yAxisWidth(yTicks) });
  drawXAxis(g, xScale, xTicks, { y: PLOT_H, label: `time (${unit.label})`, width: plotW });
  if (vs.length === 0) drawNoData(g, plotW / 2, PLOT_H / 2, 'no delivered jobs: no prices');
  for (const s of series) {
    const ps = means.get(s.name) ?? [];
    const gen = line<{ t: number; v: number | null }>()
      .defined((p) => p.v !== null)
      .x((p) => xScale(p.t / unit.seconds))
      .y((p) => yScale(p.v ?? 0))
      .digits(2);
    const path = g.append('path').attr('class', 'series').attr('d', gen(ps) ?? '').attr('fill', 'none').attr('stroke', s.color).attr('stroke-width', 2);
    if (s.dash) path.attr('stroke-dasharray', s.dash);
    path.append('title').text(s.name);
    const defined = ps.filter((p) => p.v !== null);
    if (defined.length <= 40) {
      for (const p of defined) {
        g.append('circle').attr('cx', r2(xScale(p.t / unit.seconds))).attr('cy', r2(yScale(p.v ?? 0))).attr('r', 2.5).attr('fill', s.color);
      }
    }
  }
  return serialize(root);
}
