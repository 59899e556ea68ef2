/** Chart (a): mechanisms side by side on cost, liveness and price predictability, with 95% CIs. */
import { fitTicks, drawXAxis, zeroBasedScale } from '../axes.js';
import { r2 } from '../format.js';
import { drawLegend, type LegendItem } from '../legend.js';
import { axisLabel, metricInfo } from '../metrics.js';
import { groupBy, hasValues, values, type Row } from '../rows.js';
import { estimate, type Estimate } from '../stats.js';
import { createChart, drawHeader, INK, MUTED, serialize } from '../svg.js';
import { boxLegend, categoryColumn, scenarioOf, seedsIn, seedPhrase, seriesOf, widthOf, type ChartOptions } from './common.js';

/** Options of {@link comparisonChart}. */
export interface ComparisonOptions extends ChartOptions {
  /**
   * Cost column; default `price_per_job_mean_usd`, or `requester_cost_usd` when no row has a
   * price per job.
   */
  readonly costMetric?: string;
}

/** The cost column a comparison uses for these rows. */
export function costMetricOf(summary: readonly Row[], preferred?: string): string {
  if (preferred) return preferred;
  return hasValues(summary, 'price_per_job_mean_usd') ? 'price_per_job_mean_usd' : 'requester_cost_usd';
}

const ROW_H = 30;
const BAR_H = 16;
const LABEL_FONT = 12;

/**
 * Draws a three-panel comparison of mechanisms from summary rows: cost, liveness and price CV.
 * Bars are means over seeds; with two or more seeds per mechanism, whiskers show the t-based 95%
 * CI. Returns the SVG.
 */
export function comparisonChart(summary: readonly Row[], opts: ComparisonOptions = {}): string {
  const W = widthOf(opts);
  const series = seriesOf(summary, opts);
  const byMech = groupBy(summary, 'mechanism');
  const cost = costMetricOf(summary, opts.costMetric);
  const metrics = [
    { column: cost, title: 'Cost', axis: axisLabel(metricInfo(cost)), pct: false, max: Infinity },
    { column: 'liveness', title: 'Liveness', axis: 'on time (%)', pct: true, max: 1 },
    { column: 'price_cv', title: 'Predictability', axis: 'price CV (sd / mean)', pct: false, max: Infinity },
  ];
  const est: Array<Array<Estimate | null>> = metrics.map((m) => series.map((s) => estimate(values(byMech.get(s.name) ?? [], m.column))));
  const maxN = Math.max(0, ...est.flat().map((e) => e?.n ?? 0));
  const seeds = seedsIn(summary);

  const title = opts.title ?? 'Mechanisms compared: cost, liveness, predictability';
  const scen = scenarioOf(summary);
  const ci = maxN >= 2 ? '; whiskers: 95% CI (t)' : '';
  const subtitle = `${scen ? `${scen}: ` : ''}${seeds.length > 1 ? 'bars are means over seeds' : seedPhrase(seeds) || 'single run'}${ci}`;
  const root = createChart('comparison', W, 0, title);
  const { svg } = root;
  let y = drawHeader(svg, title, subtitle);
  const items: LegendItem[] = boxLegend(series);
  if (maxN >= 2) items.push({ label: `95% CI over ${maxN} seeds`, color: INK, kind: 'whisker' });
  y += 4 + drawLegend(svg, items, 12, y + 2, W - 24);

  const cat = categoryColumn(series.map((s) => s.name), LABEL_FONT);
  const left = 12 + cat.width + 10;
  const gap = 36;
  const panelW = (W - left - 16 - gap * (metrics.length - 1)) / metrics.length;
  const plotTop = y + 26;
  const plotH = Math.max(1, series.length) * ROW_H + 6;
  const height = Math.ceil(plotTop + plotH + 48);
  svg.attr('height', height).attr('viewBox', `0 0 ${W} ${height}`);
  svg.select('rect.background').attr('height', height);

  const labels = svg.append('g').attr('class', 'categories').attr('transform', `translate(0,${r2(plotTop)})`);
  series.forEach((s, i) => {
    labels
      .append('text')
      .attr('x', r2(left - 10))
      .attr('y', r2(6 + i * ROW_H + ROW_H / 2 + 1))
      .attr('text-anchor', 'end')
      .attr('font-size', LABEL_FONT)
      .text(cat.labels[i]);
  });

  metrics.forEach((m, k) => {
    const x0 = left + k * (panelW + gap);
    const g = svg.append('g').attr('class', `panel panel-${k}`).attr('transform', `translate(${r2(x0)},${r2(plotTop)})`);
    g.append('text').attr('class', 'panel-title').attr('x', 0).attr('y', -10).attr('font-weight', 'bold').attr('font-size', 12.5).text(m.title);
    const es = est[k];
    const vals = es.flatMap((e) => (e ? [e.mean, Math.min(e.hi, m.max)] : []));
    const x = zeroBasedScale(vals, [0, panelW]);
    if (m.pct) x.domain([0, 1]);
    const ticks = fitTicks(x, panelW, 'x', m.pct ? 'percent' : 'number');
    drawXAxis(g, x, ticks, { y: plotH, label: m.axis, grid: plotH, width: panelW });
    series.forEach((s, i) => {
      const e = es[i];
      const cy = 6 + i * ROW_H + ROW_H / 2;
      if (!e) {
        g.append('text').attr('x', 4).attr('y', r2(cy + 4)).attr('font-size', 11).attr('fill', MUTED).text('n/a');
        return;
      }
      const a = x(Math.min(0, e.mean));
      const b = x(Math.max(0, e.mean));
      g.append('rect')
        .attr('class', 'bar')
        .attr('x', r2(a))
        .attr('y', r2(cy - BAR_H / 2))
        .attr('width', r2(Math.max(b - a, 0.5)))
        .attr('height', BAR_H)
        .attr('fill', s.color)
        .append('title')
        .text(`${s.name}: ${metricInfo(m.column).fmt(e.mean)}${e.n >= 2 ? ` (95% CI ${metricInfo(m.column).fmt(Math.max(0, e.lo))} to ${metricInfo(m.column).fmt(Math.min(e.hi, m.max))}, n=${e.n})` : ''}`);
      if (e.n >= 2) {
        const lo = r2(x(Math.max(0, e.lo)));
        const hi = r2(x(Math.min(e.hi, m.max)));
        const t = r2(cy - 5);
        const bt = r2(cy + 5);
        g.append('path')
          .attr('class', 'ci')
          .attr('d', `M${lo},${r2(cy)}H${hi}M${lo},${t}V${bt}M${hi},${t}V${bt}`)
          .attr('stroke', INK)
          .attr('stroke-width', 1.5)
          .attr('fill', 'none');
      }
    });
  });
  return serialize(root);
}
