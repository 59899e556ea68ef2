/**
 * Chart (b): the mean price per Mcycle in each window, as small multiples: one panel per mechanism
 * on a shared y axis (log when the prices span more than a decade), the other mechanisms faint in
 * the background for reference. On one shared plot, mechanisms whose prices differ by 1% lie on top
 * of one another (the order book, Boundless and Succinct in the default scenario); a panel each keeps
 * every series readable while the common axis keeps their levels comparable.
 */
import { line, type ScaleLinear, type ScaleLogarithmic } from 'd3';
import {
  drawXAxis,
  drawYAxis,
  extentScale,
  fitLogTicks,
  fitTicks,
  logScaleOf,
  wantsLog,
  yAxisWidth,
  zeroBasedScale,
  type Tick,
} from '../axes.js';
import { fmtUsd, r2, timeUnit, truncateMiddle } from '../format.js';
import { GREY } from '../palette.js';
import type { Row } from '../rows.js';
import { createChart, drawHeader, drawNoData, MUTED, serialize } from '../svg.js';
import { scenarioOf, seedPhrase, seedsIn, seriesOf, widthOf, windowMeans, type ChartOptions, type Series } from './common.js';

const PANEL_H = 120;
const SINGLE_H = 250;

type Pt = { t: number; v: number | null };

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
  const pts = series.flatMap((s) => means.get(s.name) ?? []);
  const vs = pts.flatMap((p) => (p.v === null ? [] : [p.v]));
  // Zero prices (a mechanism whose requesters pay nothing, its rewards minted) cannot sit on a log
  // axis: they decide nothing about it and their panel says so instead.
  const positive = vs.filter((v) => v > 0);
  const log = wantsLog(positive);
  const multiples = series.length >= 2;
  const subtitle = `${scen ? `${scen}: ` : ''}mean paid per Mcycle of the jobs delivered in each window${seeds.length ? `, ${seedPhrase(seeds)}` : ''}${log ? '; log scale' : ''}${multiples ? '; one panel per mechanism, the others in grey' : ''}`;
  const root = createChart('price-over-time', W, 0, title);
  const { svg } = root;
  const y0 = drawHeader(svg, title, subtitle) + 8;

  const ts = pts.map((p) => p.t);
  const span = ts.length ? Math.max(...ts) - Math.min(...ts) : 0;
  const unit = timeUnit(span);
  const cols = series.length >= 5 ? 3 : series.length >= 2 ? 2 : 1;
  const rows = Math.max(1, Math.ceil(series.length / cols));
  const plotH = multiples ? PANEL_H : SINGLE_H;
  const yScale: ScaleLinear<number, number> | ScaleLogarithmic<number, number> = log
    ? logScaleOf(positive, [plotH, 0])
    : zeroBasedScale(vs, [plotH, 0]);
  const yTicks: Tick[] = log
    ? fitLogTicks(yScale as ScaleLogarithmic<number, number>, plotH, 'y')
    : fitTicks(yScale as ScaleLinear<number, number>, plotH, 'y');
  const axisW = yAxisWidth(yTicks);
  const gapX = 14;
  const panelW = (W - 12 - 12 - axisW - gapX * (cols - 1)) / cols;
  const plotW = panelW;
  const xScale = extentScale(
    ts.map((t) => t / unit.seconds),
    [0, plotW],
  );
  const xTicks = fitTicks(xScale, plotW, 'x');
  const panelH = (multiples ? 36 : 0) + plotH + 44;
  const height = Math.ceil(y0 + rows * panelH + 4);
  svg.attr('height', height).attr('viewBox', `0 0 ${W} ${height}`);
  svg.select('rect.background').attr('height', height);

  const pathOf = (ps: readonly Pt[]) =>
    line<Pt>()
      .defined((p) => p.v !== null && (!log || p.v > 0))
      .x((p) => xScale(p.t / unit.seconds))
      .y((p) => yScale(p.v ?? 0))
      .digits(2)(ps) ?? '';
  const panels = multiples ? series : series.slice(0, 1);
  if (panels.length === 0) {
    const g = svg
      .append('g')
      .attr('class', 'plot panel')
      .attr('transform', `translate(${r2(12 + axisW)},${r2(y0)})`);
    drawYAxis(g, yScale, yTicks, { height: plotH, label: 'price (USD/Mcycle)', grid: plotW, width: axisW, scale: log ? 'log' : 'linear' });
    drawXAxis(g, xScale, xTicks, { y: plotH, label: `time (${unit.label})`, width: plotW });
    drawNoData(g, plotW / 2, plotH / 2, 'no delivered jobs: no prices');
  }
  panels.forEach((s: Series, i) => {
    const col = i % cols;
    const row = Math.floor(i / cols);
    const px = 12 + axisW + col * (panelW + gapX);
    const py = y0 + row * panelH + (multiples ? 36 : 0);
    const g = svg
      .append('g')
      .attr('class', 'plot panel')
      .attr('data-series', s.name)
      .attr('transform', `translate(${r2(px)},${r2(py)})`);
    const ps = means.get(s.name) ?? [];
    const defined = ps.filter((p) => p.v !== null);
    if (multiples) {
      const mean = defined.length ? defined.reduce((a, p) => a + (p.v ?? 0), 0) / defined.length : null;
      g.append('text')
        .attr('class', 'panel-title')
        .attr('x', 0)
        .attr('y', -22)
        .attr('font-weight', 'bold')
        .attr('font-size', 12)
        .attr('fill', s.color === '#F0E442' ? MUTED : s.color)
        .text(truncateMiddle(s.name, 34));
      if (mean !== null)
        g.append('text')
          .attr('class', 'panel-value')
          .attr('x', 0)
          .attr('y', -8)
          .attr('font-size', 11)
          .attr('fill', MUTED)
          .text(`mean ${fmtUsd(mean)}/Mcycle${mean === 0 ? ': requesters paid nothing' : ''}`);
    }
    // The y axis with its labels only on the first column; every panel has its grid lines.
    drawYAxis(g, yScale, col === 0 ? yTicks : yTicks.map((t) => ({ value: t.value, label: '' })), {
      height: plotH,
      label: col === 0 ? (multiples ? 'USD/Mcycle' : 'price (USD/Mcycle)') : undefined,
      grid: plotW,
      width: axisW,
      scale: log ? 'log' : 'linear',
    });
    drawXAxis(g, xScale, xTicks, {
      y: plotH,
      label: row === rows - 1 || i + cols >= panels.length ? `time (${unit.label})` : undefined,
      width: plotW,
    });
    if (multiples) {
      for (const other of series) {
        if (other.name === s.name) continue;
        g.append('path')
          .attr('class', 'context')
          .attr('d', pathOf(means.get(other.name) ?? []))
          .attr('fill', 'none')
          .attr('stroke', GREY)
          .attr('stroke-opacity', 0.45)
          .attr('stroke-width', 1);
      }
    }
    if (defined.length === 0) drawNoData(g, plotW / 2, plotH / 2, 'no delivered jobs');
    const path = g
      .append('path')
      .attr('class', 'series')
      .attr('data-series', s.name)
      .attr('d', pathOf(ps))
      .attr('fill', 'none')
      .attr('stroke', s.color)
      .attr('stroke-width', 2);
    if (s.dash) path.attr('stroke-dasharray', s.dash);
    path.append('title').text(s.name);
    if (defined.length <= 40) {
      for (const p of defined) {
        if (log && (p.v ?? 0) <= 0) continue;
        g.append('circle')
          .attr('cx', r2(xScale(p.t / unit.seconds)))
          .attr('cy', r2(yScale(p.v ?? 0)))
          .attr('r', 2.2)
          .attr('fill', s.color);
      }
    }
  });
  return serialize(root);
}
