/**
 * Chart (i): the attack panel, for scenarios with attacker groups. One panel per mechanism: the
 * attackers' share of each window's delivered work (filled, left axis) and the mean price per
 * Mcycle (line, right axis), with a dashed line where the attackers first reached dominance and
 * the after/before price ratio (summary columns `time_to_dominance_s`, `price_ratio_after_before`).
 */
import { area, curveStepAfter, line, scaleLinear } from 'd3';
import { drawXAxis, drawYAxis, extentScale, fitTicks, yAxisWidth, zeroBasedScale } from '../axes.js';
import { fmtDuration, fmtNumber, r2, timeUnit, truncateMiddle } from '../format.js';
import { drawLegend, type LegendItem } from '../legend.js';
import { groupBy, hasValues, num, type Row } from '../rows.js';
import { mean } from '../stats.js';
import { createChart, drawHeader, drawNoData, INK, MUTED, serialize } from '../svg.js';
import { scenarioOf, seedsIn, seriesOf, widthOf, windowMeans, type ChartOptions } from './common.js';

const PLOT_H = 140;

/** Is there anything to draw: an attacker share in the time series? */
export function hasAttack(timeseries: readonly Row[]): boolean {
  return hasValues(timeseries, 'attacker_share');
}

/** Draws the attack panel from timeseries and summary rows. Returns the SVG. */
export function attackChart(timeseries: readonly Row[], summary: readonly Row[], opts: ChartOptions = {}): string {
  const W = widthOf(opts);
  const series = seriesOf(timeseries, opts);
  const share = windowMeans(timeseries, 'attacker_share');
  const price = windowMeans(timeseries, 'price_per_mcycle_mean_usd');
  const bySum = groupBy(summary, 'mechanism');
  const seeds = seedsIn(timeseries);
  const title = opts.title ?? "Attack: attackers' share and the price";
  const scen = scenarioOf(timeseries);
  const subtitle = `${scen ? `${scen}: ` : ''}filled: attackers' share of each window's delivered work (left axis); line: mean price per Mcycle (right axis, one scale per panel); dashed: first window of dominance${seeds.length > 1 ? `; means over ${seeds.length} seeds` : ''}`;
  const root = createChart('attack', W, 0, title);
  const { svg } = root;
  let y = drawHeader(svg, title, subtitle);
  const items: LegendItem[] = [
    { label: 'attacker share', color: '#D55E00', kind: 'box' },
    { label: 'price per Mcycle', color: INK, kind: 'line' },
    { label: 'dominance reached', color: MUTED, kind: 'line', dash: '4 3' },
  ];
  y += drawLegend(svg, items, 12, y + 2, W - 24) + 8;

  const allT = [...share.values()].flat().map((p) => p.t);
  const span = allT.length ? Math.max(...allT) - Math.min(...allT) : 0;
  const unit = timeUnit(span);
  const starts = [...new Set(allT)].sort((a, b) => a - b);
  const step = starts.length >= 2 ? starts[1] - starts[0] : unit.seconds;
  const prices = [...price.values()].flat().flatMap((p) => (p.v === null ? [] : [p.v]));
  const cols = series.length >= 2 ? 2 : 1;
  const gapX = 20;
  const shareScale = scaleLinear().domain([0, 1]).range([PLOT_H, 0]);
  const shareTicks = fitTicks(shareScale, PLOT_H, 'y', 'percent').filter((_, i, a) => a.length <= 6 || i % 2 === 0);
  // Each panel's price gets its own axis: the markets' prices are a tenth of a race's, and a shared
  // axis would flatten exactly the before/after change the panel is for.
  const priceAxis = (name: string) => {
    const ps = (price.get(name) ?? []).flatMap((p) => (p.v === null ? [] : [p.v]));
    const scale = zeroBasedScale(ps.length ? ps : prices.length ? prices : [1], [PLOT_H, 0]);
    return { scale, ticks: fitTicks(scale, PLOT_H, 'y') };
  };
  const leftW = yAxisWidth(shareTicks);
  const rightW = Math.max(...series.map((s) => yAxisWidth(priceAxis(s.name).ticks)), 20);
  const panelW = (W - 24 - gapX * (cols - 1)) / cols;
  const plotW = panelW - leftW - rightW;
  const panelH = 40 + PLOT_H + 46;
  const rows = Math.max(1, Math.ceil(series.length / cols));
  const height = Math.ceil(y + rows * panelH + 4);
  svg.attr('height', height).attr('viewBox', `0 0 ${W} ${height}`);
  svg.select('rect.background').attr('height', height);
  if (series.length === 0) drawNoData(svg, W / 2, y + 80, 'no attack data');

  series.forEach((s, i) => {
    const px = 12 + (i % cols) * (panelW + gapX) + leftW;
    const py = y + Math.floor(i / cols) * panelH + 40;
    const g = svg
      .append('g')
      .attr('class', 'panel')
      .attr('data-series', s.name)
      .attr('transform', `translate(${r2(px)},${r2(py)})`);
    const { scale: priceScale, ticks: priceTicks } = priceAxis(s.name);
    const sh = (share.get(s.name) ?? []).map((p) => ({ t: p.t / unit.seconds, v: p.v }));
    const pr = (price.get(s.name) ?? []).map((p) => ({ t: p.t / unit.seconds, v: p.v }));
    const x = extentScale([...sh.map((p) => p.t), ...sh.map((p) => p.t + step / unit.seconds)], [0, plotW]);
    drawYAxis(g, shareScale, shareTicks, { height: PLOT_H, label: 'attacker share (%)', grid: plotW, width: leftW });
    drawXAxis(g, x, fitTicks(x, plotW, 'x'), { y: PLOT_H, label: `time (${unit.label})`, width: plotW });
    drawYAxis(g, priceScale, priceTicks, { height: PLOT_H, label: 'USD/Mcycle', side: 'right', x: plotW, width: rightW });
    const rowsS = bySum.get(s.name) ?? [];
    const ttd = mean(rowsS.flatMap((r) => (num(r, 'time_to_dominance_s') === null ? [] : [num(r, 'time_to_dominance_s')!])));
    const ratio = mean(rowsS.flatMap((r) => (num(r, 'price_ratio_after_before') === null ? [] : [num(r, 'price_ratio_after_before')!])));
    const note =
      ttd === null
        ? 'never dominant'
        : `dominant after ${fmtDuration(ttd)}${ratio !== null ? `; price after / before ×${fmtNumber(ratio, 3)}` : ''}`;
    g.append('text')
      .attr('class', 'panel-title')
      .attr('x', -leftW + 4)
      .attr('y', -24)
      .attr('font-weight', 'bold')
      .attr('font-size', 12.5)
      .text(truncateMiddle(s.name, 40));
    g.append('text')
      .attr('class', 'panel-value')
      .attr('x', -leftW + 4)
      .attr('y', -9)
      .attr('font-size', 11)
      .attr('fill', MUTED)
      .text(note);
    if (sh.length === 0) drawNoData(g, plotW / 2, PLOT_H / 2, 'no work delivered');
    const withEnd = sh.length ? [...sh, { ...sh[sh.length - 1], t: sh[sh.length - 1].t + step / unit.seconds }] : sh;
    const ar = area<{ t: number; v: number | null }>()
      .defined((p) => p.v !== null)
      .x((p) => x(p.t))
      .y0(PLOT_H)
      .y1((p) => shareScale(p.v ?? 0))
      .curve(curveStepAfter)
      .digits(2);
    g.append('path')
      .attr('class', 'attacker-share')
      .attr('d', ar(withEnd) ?? '')
      .attr('fill', '#D55E00')
      .attr('fill-opacity', 0.35)
      .attr('stroke', '#D55E00')
      .attr('stroke-width', 1);
    const ln = line<{ t: number; v: number | null }>()
      .defined((p) => p.v !== null)
      .x((p) => x(p.t + step / unit.seconds / 2))
      .y((p) => priceScale(p.v ?? 0))
      .digits(2);
    g.append('path')
      .attr('class', 'series')
      .attr('d', ln(pr) ?? '')
      .attr('fill', 'none')
      .attr('stroke', INK)
      .attr('stroke-width', 1.8);
    if (ttd !== null) {
      const tx = r2(Math.min(plotW, x(ttd / unit.seconds)));
      g.append('path')
        .attr('class', 'dominance')
        .attr('d', `M${tx},0V${PLOT_H}`)
        .attr('stroke', MUTED)
        .attr('stroke-width', 1.5)
        .attr('stroke-dasharray', '4 3');
    }
  });
  return serialize(root);
}
