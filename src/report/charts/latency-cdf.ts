/** Chart (c): the latency distribution of delivered jobs as a CDF, one line per mechanism. */
import { line } from 'd3';
import { drawXAxis, drawYAxis, fitTicks, fitTimeLogTicks, logScaleOf, wantsLog, yAxisWidth, zeroBasedScale, type Tick } from '../axes.js';
import { r2, timeUnit } from '../format.js';
import { drawLegend } from '../legend.js';
import { groupBy, num, type Row } from '../rows.js';
import { createChart, drawHeader, drawNoData, serialize } from '../svg.js';
import { lineLegend, scenarioOf, seedsIn, seriesOf, widthOf, type ChartOptions } from './common.js';
import { scaleLinear } from 'd3';

const PLOT_H = 250;

/** Quantile → latency (s) of one mechanism, averaged over seeds (quantile averaging). */
export function latencyQuantiles(rows: readonly Row[]): Array<{ q: number; s: number }> {
  const acc = new Map<number, { sum: number; n: number }>();
  for (const r of rows) {
    const q = num(r, 'quantile');
    const s = num(r, 'latency_s');
    if (q === null || s === null) continue;
    const key = Math.round(q * 1e6) / 1e6;
    const c = acc.get(key) ?? { sum: 0, n: 0 };
    c.sum += s;
    c.n += 1;
    acc.set(key, c);
  }
  return [...acc.entries()].sort((a, b) => a[0] - b[0]).map(([q, c]) => ({ q, s: c.sum / c.n }));
}

/**
 * Draws the latency CDF from latency rows (quantiles 0.01..1 of delivered jobs' latency). With
 * several seeds, each quantile is the mean over seeds. Returns the SVG.
 */
export function latencyCdfChart(latency: readonly Row[], opts: ChartOptions = {}): string {
  const W = widthOf(opts);
  const series = seriesOf(latency, opts);
  const byMech = groupBy(latency, 'mechanism');
  const curves = new Map(series.map((s) => [s.name, latencyQuantiles(byMech.get(s.name) ?? [])]));
  const seeds = seedsIn(latency);
  const title = opts.title ?? 'Latency distribution (CDF)';
  const scen = scenarioOf(latency);
  const avg = seeds.length > 1 ? `, quantiles averaged over ${seeds.length} seeds` : seeds.length === 1 ? `, seed ${seeds[0]}` : '';
  const subtitle = `${scen ? `${scen}: ` : ''}share of delivered jobs proved within a given time${avg}`;

  const root = createChart('latency-cdf', W, 0, title);
  const { svg } = root;
  let y = drawHeader(svg, title, subtitle);
  y += drawLegend(svg, lineLegend(series), 12, y + 2, W - 24) + 12;

  const all = [...curves.values()].flat();
  // A log time axis when latencies span more than a decade: one slow tail (a 7 h job, a 12-day
  // self-hosted backlog) otherwise squeezes every curve against the y axis.
  const log = wantsLog(all.map((p) => p.s));
  const maxS = all.length ? Math.max(...all.map((p) => p.s)) : 1;
  const unit = log ? { label: 'log scale', seconds: 1 } : timeUnit(maxS);
  const yScale = scaleLinear().domain([0, 1]).range([PLOT_H, 0]);
  const yTicks = fitTicks(yScale, PLOT_H, 'y', 'percent');
  const left = 12 + yAxisWidth(yTicks);
  const plotW = W - left - 20;
  const xLog = logScaleOf(
    all.map((p) => p.s),
    [0, plotW],
  );
  const xLin = zeroBasedScale(
    all.map((p) => p.s / unit.seconds),
    [0, plotW],
  );
  const xScale = (v: number): number => (log ? xLog(v) : xLin(v));
  const xTicks: Tick[] = log ? fitTimeLogTicks(xLog, plotW) : fitTicks(xLin, plotW, 'x');
  const height = Math.ceil(y + PLOT_H + 50);
  svg.attr('height', height).attr('viewBox', `0 0 ${W} ${height}`);
  svg.select('rect.background').attr('height', height);

  const g = svg
    .append('g')
    .attr('class', 'plot')
    .attr('transform', `translate(${r2(left)},${r2(y)})`);
  drawYAxis(g, yScale, yTicks, { height: PLOT_H, label: 'jobs delivered within (%)', grid: plotW, width: yAxisWidth(yTicks) });
  drawXAxis(g, xScale, xTicks, {
    y: PLOT_H,
    label: `latency, submission to proof (${unit.label})`,
    grid: PLOT_H,
    width: plotW,
    scale: log ? 'log' : 'linear',
  });
  if (all.length === 0) drawNoData(g, plotW / 2, PLOT_H / 2, 'no delivered jobs');
  for (const s of series) {
    const ps = curves.get(s.name) ?? [];
    if (ps.length === 0) continue;
    const gen = line<{ q: number; s: number }>()
      .x((p) => xScale(p.s / unit.seconds))
      .y((p) => yScale(p.q))
      .digits(2);
    const path = g
      .append('path')
      .attr('class', 'series')
      .attr('d', gen(ps) ?? '')
      .attr('fill', 'none')
      .attr('stroke', s.color)
      .attr('stroke-width', 2);
    if (s.dash) path.attr('stroke-dasharray', s.dash);
    path.append('title').text(s.name);
    if (ps.length === 1)
      g.append('circle')
        .attr('cx', r2(xScale(ps[0].s / unit.seconds)))
        .attr('cy', r2(yScale(ps[0].q)))
        .attr('r', 3)
        .attr('fill', s.color);
  }
  return serialize(root);
}
