/**
 * Chart (g): the cost–liveness frontier. One point per mechanism at (total cost of proving per
 * delivered job, share of jobs on time), with 95% CI error bars over seeds in both directions; the
 * mechanisms no other one beats on both axes (cheaper and at least as live) are joined by a line.
 */
import { line, type ScaleLinear, type ScaleLogarithmic } from 'd3';
import { drawXAxis, drawYAxis, extentScale, fitLogTicks, fitTicks, logScaleOf, wantsLog, yAxisWidth, type Tick } from '../axes.js';
import { fmtPct, fmtUsd, r2, textWidth } from '../format.js';
import { drawLegend } from '../legend.js';
import { groupBy, values, type Row } from '../rows.js';
import { estimate, type Estimate } from '../stats.js';
import { createChart, drawHeader, drawNoData, INK, MUTED, serialize } from '../svg.js';
import { boxLegend, scenarioOf, seedPhrase, seedsIn, seriesOf, widthOf, type ChartOptions } from './common.js';
import { costMetricOf, withTotalCost } from './comparison.js';

const PLOT_H = 280;

/** A mechanism's point: cost and liveness estimates over seeds. */
export interface FrontierPoint {
  readonly name: string;
  readonly cost: Estimate;
  readonly live: Estimate;
}

/** The points no other point dominates (lower or equal cost and higher or equal liveness, one strictly), by cost. */
export function paretoFront(points: readonly FrontierPoint[]): FrontierPoint[] {
  const front = points.filter(
    (p) =>
      !points.some(
        (q) =>
          q !== p && q.cost.mean <= p.cost.mean && q.live.mean >= p.live.mean && (q.cost.mean < p.cost.mean || q.live.mean > p.live.mean),
      ),
  );
  return [...front].sort((a, b) => a.cost.mean - b.cost.mean);
}

/** Draws the cost–liveness frontier from summary rows. Returns the SVG. */
export function frontierChart(summaryIn: readonly Row[], opts: ChartOptions = {}): string {
  const W = widthOf(opts);
  const summary = withTotalCost(summaryIn);
  const series = seriesOf(summary, opts);
  const by = groupBy(summary, 'mechanism');
  const costCol = costMetricOf(summary);
  const points: Array<FrontierPoint & { color: string }> = [];
  for (const s of series) {
    const c = estimate(values(by.get(s.name) ?? [], costCol));
    const l = estimate(values(by.get(s.name) ?? [], 'liveness'));
    if (c && l) points.push({ name: s.name, cost: c, live: l, color: s.color });
  }
  const seeds = seedsIn(summary);
  const maxN = Math.max(0, ...points.map((p) => Math.min(p.cost.n, p.live.n)));
  const title = opts.title ?? 'Cost–liveness frontier';
  const scen = scenarioOf(summary);
  const costs = points.flatMap((p) => (maxN >= 2 ? [p.cost.mean, Math.max(p.cost.lo, p.cost.mean / 10), p.cost.hi] : [p.cost.mean]));
  const log = wantsLog(costs.filter((v) => v > 0)) && points.every((p) => p.cost.mean > 0);
  const subtitle = `${scen ? `${scen}: ` : ''}${costCol === 'total_cost_per_job_usd' ? 'total cost of proving (requester + emission) per delivered job' : 'cost'} against jobs on time; ${seeds.length > 1 ? `means over ${seeds.length} seeds, bars: 95% CI` : seedPhrase(seeds) || 'single run'}; the line joins the mechanisms no other beats on both${log ? '; log cost axis' : ''}`;
  const root = createChart('frontier', W, 0, title);
  const { svg } = root;
  let y = drawHeader(svg, title, subtitle);
  y += drawLegend(svg, boxLegend(series), 12, y + 2, W - 24) + 12;

  const lives = points.flatMap((p) => (maxN >= 2 ? [p.live.mean, Math.max(0, p.live.lo), Math.min(1, p.live.hi)] : [p.live.mean]));
  const yScale = extentScale(lives.length ? lives : [0, 1], [PLOT_H, 0]);
  const [y0, y1] = yScale.domain();
  yScale.domain([Math.max(0, y0), Math.min(1, y1) > Math.max(0, y0) ? Math.min(1, y1) : Math.max(0, y0) + 0.01]);
  const yTicks = fitTicks(yScale, PLOT_H, 'y', 'percent');
  const left = 12 + yAxisWidth(yTicks);
  const plotW = W - left - 24;
  const xLog = logScaleOf(
    costs.filter((v) => v > 0),
    [0, plotW],
  );
  const xLin: ScaleLinear<number, number> = extentScale([0, ...costs], [0, plotW]);
  const xScale = (v: number) => (log ? (xLog as ScaleLogarithmic<number, number>)(v) : xLin(v));
  const xTicks: Tick[] = log ? fitLogTicks(xLog, plotW, 'x', (v) => fmtUsd(v)) : fitTicks(xLin, plotW, 'x');
  const height = Math.ceil(y + PLOT_H + 52);
  svg.attr('height', height).attr('viewBox', `0 0 ${W} ${height}`);
  svg.select('rect.background').attr('height', height);

  const g = svg
    .append('g')
    .attr('class', 'plot')
    .attr('transform', `translate(${r2(left)},${r2(y)})`);
  drawYAxis(g, yScale, yTicks, { height: PLOT_H, label: 'jobs on time (%)', grid: plotW, width: yAxisWidth(yTicks) });
  drawXAxis(g, xScale, xTicks, {
    y: PLOT_H,
    label: `${costCol === 'total_cost_per_job_usd' ? 'total cost per delivered job' : 'cost'} (USD${log ? ', log scale' : ''})`,
    grid: PLOT_H,
    width: plotW,
    scale: log ? 'log' : 'linear',
  });
  if (points.length === 0) drawNoData(g, plotW / 2, PLOT_H / 2, 'no cost and liveness to plot');
  const front = paretoFront(points);
  if (front.length >= 2) {
    const gen = line<FrontierPoint>()
      .x((p) => xScale(p.cost.mean))
      .y((p) => yScale(p.live.mean))
      .digits(2);
    g.append('path')
      .attr('class', 'front')
      .attr('d', gen(front) ?? '')
      .attr('fill', 'none')
      .attr('stroke', MUTED)
      .attr('stroke-width', 1.5)
      .attr('stroke-dasharray', '4 3');
  }
  const clampX = (v: number) => Math.max(0, Math.min(plotW, xScale(v)));
  const clampY = (v: number) => Math.max(0, Math.min(PLOT_H, yScale(v)));
  const placed: Array<{ x: number; y: number }> = [];
  for (const p of points) {
    const cx = xScale(p.cost.mean);
    const cy = yScale(p.live.mean);
    if (maxN >= 2) {
      const xl = clampX(log ? Math.max(p.cost.lo, p.cost.mean / 10) : Math.max(0, p.cost.lo));
      const xh = clampX(p.cost.hi);
      const yl = clampY(Math.max(0, p.live.lo));
      const yh = clampY(Math.min(1, p.live.hi));
      g.append('path')
        .attr('class', 'ci')
        .attr('d', `M${r2(xl)},${r2(cy)}H${r2(xh)}M${r2(cx)},${r2(yl)}V${r2(yh)}`)
        .attr('stroke', p.color)
        .attr('stroke-width', 1.5)
        .attr('fill', 'none');
    }
    g.append('circle')
      .attr('class', 'point')
      .attr('cx', r2(cx))
      .attr('cy', r2(cy))
      .attr('r', 5)
      .attr('fill', p.color)
      .attr('stroke', '#ffffff')
      .attr('stroke-width', 1)
      .append('title')
      .text(`${p.name}: ${fmtUsd(p.cost.mean)} per job, ${fmtPct(p.live.mean)} on time`);
    // Labels right of the point, moved down when they would sit on an earlier one.
    let ly = cy + 4;
    while (placed.some((q) => Math.abs(q.y - ly) < 12 && Math.abs(q.x - cx) < 120)) ly += 12;
    placed.push({ x: cx, y: ly });
    const tw = textWidth(p.name, 10.5);
    const right = cx + 8 + tw <= plotW;
    g.append('text')
      .attr('class', 'point-label')
      .attr('x', r2(right ? cx + 8 : cx - 8))
      .attr('y', r2(ly))
      .attr('text-anchor', right ? 'start' : 'end')
      .attr('font-size', 10.5)
      .attr('fill', INK)
      .text(p.name);
  }
  return serialize(root);
}
