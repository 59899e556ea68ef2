/**
 * Chart (a): mechanisms side by side on the total cost of proving, the liveness shortfall and price
 * predictability, with value labels and, over seeds, 95% CIs.
 *
 * Cost counts protocol emission as a cost: a proof-mining network that mints its rewards (Aleo)
 * charges requesters nothing, but someone (token holders, through dilution) pays the emission, so
 * the bar is requester payments plus emission per delivered job, the emission part hatched.
 * Liveness is shown as its shortfall (share of jobs not delivered on time) because on a 0–100%
 * axis 97.1% and 100% look the same.
 */
import { drawXAxis, fitTicks, zeroBasedScale } from '../axes.js';
import { r2, textWidth } from '../format.js';
import { drawLegend, type LegendItem } from '../legend.js';
import { axisLabel, capitalize, metricInfo } from '../metrics.js';
import { groupBy, hasValues, num, values, type Row } from '../rows.js';
import { estimate, type Estimate } from '../stats.js';
import { createChart, drawHeader, INK, MUTED, serialize, type Sel } from '../svg.js';
import type { ScaleLinear } from 'd3';
import { boxLegend, categoryColumn, scenarioOf, seedsIn, seedPhrase, seriesOf, widthOf, type ChartOptions, type Series } from './common.js';

/** Options of {@link comparisonChart}. */
export interface ComparisonOptions extends ChartOptions {
  /**
   * Cost column; default `total_cost_per_job_usd` (requester payments plus emission per delivered
   * job, derived by {@link withTotalCost}), or `requester_cost_usd` when no job count is known.
   */
  readonly costMetric?: string;
  /**
   * Summary columns to compare instead of cost, liveness shortfall and CV (`pmsim report
   * --metrics`); best up to three, one panel each. Derived cost columns work too.
   */
  readonly columns?: readonly string[];
  /** `data-chart` name (default `comparison`). */
  readonly name?: string;
}

/**
 * Adds the derived cost columns to summary rows: `total_cost_usd` = requester_cost_usd +
 * emission_usd (the whole cost of proving, whoever pays it), and per delivered job
 * `total_cost_per_job_usd`, `requester_cost_per_job_usd` and `emission_per_job_usd` (empty when
 * no job was delivered).
 */
export function withTotalCost(summary: readonly Row[]): Row[] {
  return summary.map((r) => {
    const req = num(r, 'requester_cost_usd');
    const em = num(r, 'emission_usd') ?? 0;
    const n = num(r, 'jobs_delivered');
    const total = req === null ? null : req + em;
    const per = (x: number | null) => (x === null || n === null || n <= 0 ? null : x / n);
    return {
      ...r,
      total_cost_usd: total,
      total_cost_per_job_usd: per(total),
      requester_cost_per_job_usd: per(req),
      emission_per_job_usd: per(req === null ? null : em),
    };
  });
}

/** The cost column a comparison uses for these rows. */
export function costMetricOf(summary: readonly Row[], preferred?: string): string {
  if (preferred) return preferred;
  if (
    hasValues(summary, 'requester_cost_usd') &&
    hasValues(summary, 'jobs_delivered') &&
    summary.some((r) => (num(r, 'jobs_delivered') ?? 0) > 0)
  )
    return 'total_cost_per_job_usd';
  return hasValues(summary, 'price_per_job_mean_usd') ? 'price_per_job_mean_usd' : 'requester_cost_usd';
}

const ROW_H = 30;
const BAR_H = 16;
const LABEL_FONT = 12;
const VALUE_FONT = 10.5;
/** Hatching of the emission part of a cost bar. */
const HATCH_ID = 'pmsim-hatch-emission';

interface Panel {
  readonly column: string;
  readonly title: string;
  readonly axis: string;
  readonly pct: boolean;
  /** Upper bound of the metric (CIs are clipped to [0, max]). */
  readonly max: number;
  /** Text of a value label. */
  readonly fmt: (x: number) => string;
}

/** The panels to draw: cost, liveness shortfall and CV, or one per requested column. */
function panelsFor(cost: string, columns: readonly string[] | undefined): Panel[] {
  if (columns?.length)
    return columns.map((c) => {
      const info = metricInfo(c);
      return {
        column: c,
        title: capitalize(info.label),
        axis: axisLabel(info),
        pct: info.percent,
        max: info.percent ? 1 : Infinity,
        fmt: (x: number) => info.fmt(x),
      };
    });
  const costInfo = metricInfo(cost);
  return [
    {
      column: cost,
      title: cost === 'total_cost_per_job_usd' ? 'Total cost of proving' : 'Cost',
      axis: axisLabel(costInfo),
      pct: false,
      max: Infinity,
      fmt: (x) => costInfo.fmt(x),
    },
    { column: 'liveness_shortfall', title: 'Liveness shortfall', axis: 'not on time (%)', pct: true, max: 1, fmt: (x) => pctLabel(x) },
    { column: 'price_cv', title: 'Predictability', axis: 'price CV (sd / mean)', pct: false, max: Infinity, fmt: (x) => x.toFixed(3) },
  ];
}

/** The chart's title and subtitle. */
function headingOf(summary: readonly Row[], opts: ComparisonOptions, cost: string, maxN: number): { title: string; subtitle: string } {
  const seeds = seedsIn(summary);
  const title =
    opts.title ??
    (opts.columns?.length
      ? `Mechanisms compared: ${opts.columns.map((c) => metricInfo(c).label).join(', ')}`
      : 'Mechanisms compared: cost, liveness, predictability');
  const scen = scenarioOf(summary);
  const ci = maxN >= 2 ? '; whiskers: 95% CI (t)' : '';
  const costNote =
    !opts.columns?.length && cost === 'total_cost_per_job_usd' ? '; cost = requester payments + protocol emission, per delivered job' : '';
  const subtitle = `${scen ? `${scen}: ` : ''}${seeds.length > 1 ? 'bars are means over seeds' : seedPhrase(seeds) || 'single run'}${ci}${costNote}`;
  return { title, subtitle };
}

/** What every panel shares: the series, the plot's geometry and the hatching switch. */
interface Layout {
  readonly series: readonly Series[];
  readonly panelW: number;
  readonly plotH: number;
  readonly emission: ReadonlyArray<Estimate | null>;
  readonly anyEmission: boolean;
}

/**
 * Draws a three-panel comparison of mechanisms from summary rows: total cost of proving per
 * delivered job, liveness shortfall and price CV. Bars are means over seeds, labelled with their
 * value; with two or more seeds per mechanism, whiskers show the t-based 95% CI. Returns the SVG.
 */
export function comparisonChart(summaryIn: readonly Row[], opts: ComparisonOptions = {}): string {
  const W = widthOf(opts);
  const summary = withTotalCost(summaryIn);
  const series = seriesOf(summary, opts);
  const rows = summary.map((r) => ({ ...r, liveness_shortfall: num(r, 'liveness') === null ? null : 1 - (num(r, 'liveness') ?? 0) }));
  const byMech = groupBy(rows, 'mechanism');
  const cost = costMetricOf(summary, opts.costMetric);
  const panels = panelsFor(cost, opts.columns);
  const est: Array<Array<Estimate | null>> = panels.map((m) => series.map((s) => estimate(values(byMech.get(s.name) ?? [], m.column))));
  const emission = series.map((s) => estimate(values(byMech.get(s.name) ?? [], 'emission_per_job_usd')));
  const anyEmission = panels.some((p) => p.column === 'total_cost_per_job_usd') && emission.some((e) => e !== null && e.mean > 0);
  const maxN = Math.max(0, ...est.flat().map((e) => e?.n ?? 0));

  const { title, subtitle } = headingOf(summary, opts, cost, maxN);
  const root = createChart(opts.name ?? 'comparison', W, 0, title);
  const { svg } = root;
  let y = drawHeader(svg, title, subtitle);
  const items: LegendItem[] = boxLegend(series);
  if (anyEmission) items.push({ label: 'of which emission', color: `url(#${HATCH_ID})`, kind: 'box' });
  if (maxN >= 2) items.push({ label: `95% CI over ${maxN} seeds`, color: INK, kind: 'whisker' });
  if (anyEmission) defineHatch(svg);
  y += 4 + drawLegend(svg, items, 12, y + 2, W - 24);

  // Full names: a cut label ("reverse-dut…:boundless") is worse than a narrower plot.
  const cat = categoryColumn(
    series.map((s) => s.name),
    LABEL_FONT,
    40,
  );
  const left = 12 + cat.width + 10;
  const gap = 30;
  const panelW = (W - left - 12 - gap * (panels.length - 1)) / panels.length;
  const plotTop = y + 26;
  const plotH = Math.max(1, series.length) * ROW_H + 6;
  const height = Math.ceil(plotTop + plotH + 48);
  svg.attr('height', height).attr('viewBox', `0 0 ${W} ${height}`);
  svg.select('rect.background').attr('height', height);
  drawCategories(svg, cat.labels, left, plotTop);
  const layout: Layout = { series, panelW, plotH, emission, anyEmission };
  panels.forEach((m, k) => {
    const g = svg
      .append('g')
      .attr('class', `panel panel-${k}`)
      .attr('data-metric', m.column)
      .attr('transform', `translate(${r2(left + k * (panelW + gap))},${r2(plotTop)})`);
    drawPanel(g, m, est[k], layout);
  });
  return serialize(root);
}

/** The mechanisms' names in the left column. */
function drawCategories(svg: Sel, labels: readonly string[], left: number, plotTop: number): void {
  const g = svg
    .append('g')
    .attr('class', 'categories')
    .attr('transform', `translate(0,${r2(plotTop)})`);
  labels.forEach((label, i) => {
    g.append('text')
      .attr('x', r2(left - 10))
      .attr('y', r2(6 + i * ROW_H + ROW_H / 2 + 4))
      .attr('text-anchor', 'end')
      .attr('font-size', LABEL_FONT)
      .text(label);
  });
}

/** The x scale of one panel, with room at the right end of the longest bar for its value label. */
function panelScale(m: Panel, es: ReadonlyArray<Estimate | null>, panelW: number): ScaleLinear<number, number> {
  const vals = es.flatMap((e) => (e ? [e.mean, Math.min(e.hi, m.max)] : []));
  const labelW = Math.max(0, ...es.map((e) => (e ? textWidth(m.fmt(e.mean), VALUE_FONT) + 6 : 0)));
  const x = zeroBasedScale(vals, [0, Math.max(20, panelW - labelW)]);
  if (m.pct) {
    const hi = Math.max(...vals, 0);
    x.domain([0, hi <= 0 ? 0.01 : Math.min(1, hi * 1.05)]).nice();
  }
  x.range([0, panelW]);
  const [d0, d1] = x.domain();
  x.domain([d0, d0 + ((d1 - d0) * panelW) / Math.max(20, panelW - labelW)]);
  return x;
}

/** One metric's panel: title, axis, and a bar (or "n/a") per mechanism. */
function drawPanel(g: Sel, m: Panel, es: ReadonlyArray<Estimate | null>, layout: Layout): void {
  const { panelW, plotH } = layout;
  g.append('text')
    .attr('class', 'panel-title')
    .attr('x', 0)
    .attr('y', -10)
    .attr('font-weight', 'bold')
    .attr('font-size', 12.5)
    .text(m.title);
  const x = panelScale(m, es, panelW);
  const ticks = fitTicks(x, panelW, 'x', m.pct ? 'percent' : 'number').filter((t) => x(t.value) <= panelW + 0.5);
  drawXAxis(g, x, ticks, { y: plotH, label: m.axis, grid: plotH, width: panelW });
  layout.series.forEach((s, i) => {
    const e = es[i];
    const cy = 6 + i * ROW_H + ROW_H / 2;
    if (!e) {
      g.append('text')
        .attr('x', 4)
        .attr('y', r2(cy + 4))
        .attr('font-size', 11)
        .attr('fill', MUTED)
        .text('n/a');
      return;
    }
    drawBar(g, m, x, e, cy, s, layout.anyEmission ? layout.emission[i] : null, panelW);
  });
}

/** One mechanism's bar: the mean, its emission part hatched, the CI whisker and the value label. */
function drawBar(
  g: Sel,
  m: Panel,
  x: ScaleLinear<number, number>,
  e: Estimate,
  cy: number,
  s: Series,
  em: Estimate | null,
  panelW: number,
): void {
  const a = x(Math.min(0, e.mean));
  const b = x(Math.max(0, e.mean));
  const info = metricInfo(m.column);
  g.append('rect')
    .attr('class', 'bar')
    .attr('x', r2(a))
    .attr('y', r2(cy - BAR_H / 2))
    .attr('width', r2(Math.max(b - a, 0.5)))
    .attr('height', BAR_H)
    .attr('fill', s.color)
    .append('title')
    .text(
      `${s.name}: ${m.fmt(e.mean)}${e.n >= 2 ? ` (95% CI ${info.fmt(Math.max(0, e.lo))} to ${info.fmt(Math.min(e.hi, m.max))}, n=${e.n})` : ''}`,
    );
  if (m.column === 'total_cost_per_job_usd' && em && em.mean > 0) {
    const ea = x(Math.max(0, e.mean - em.mean));
    g.append('rect')
      .attr('class', 'bar-emission')
      .attr('x', r2(ea))
      .attr('y', r2(cy - BAR_H / 2))
      .attr('width', r2(Math.max(b - ea, 0.5)))
      .attr('height', BAR_H)
      .attr('fill', `url(#${HATCH_ID})`);
  }
  let end = b;
  if (e.n >= 2) {
    const lo = r2(x(Math.max(0, e.lo)));
    const hi = r2(x(Math.min(e.hi, m.max)));
    end = Math.max(end, hi);
    const t = r2(cy - 5);
    const bt = r2(cy + 5);
    g.append('path')
      .attr('class', 'ci')
      .attr('d', `M${lo},${r2(cy)}H${hi}M${lo},${t}V${bt}M${hi},${t}V${bt}`)
      .attr('stroke', INK)
      .attr('stroke-width', 1.5)
      .attr('fill', 'none');
  }
  const text = m.fmt(e.mean);
  const tw = textWidth(text, VALUE_FONT);
  // Outside the bar when it fits, else inside it in white.
  const outside = end + 4 + tw <= panelW;
  g.append('text')
    .attr('class', 'value-label')
    .attr('x', r2(outside ? end + 4 : Math.max(2, b - 4)))
    .attr('y', r2(cy + 4))
    .attr('text-anchor', outside ? 'start' : 'end')
    .attr('font-size', VALUE_FONT)
    .attr('fill', outside ? INK : '#ffffff')
    .text(text);
}

/** A shortfall as a percentage with enough decimals to tell 0.3% from 0%. */
function pctLabel(x: number): string {
  const p = x * 100;
  if (p === 0) return '0%';
  if (p < 0.1) return `${p.toFixed(2)}%`;
  if (p < 10) return `${p.toFixed(1)}%`;
  return `${p.toFixed(0)}%`;
}

function defineHatch(svg: Sel): void {
  const p = svg
    .append('defs')
    .append('pattern')
    .attr('id', HATCH_ID)
    .attr('patternUnits', 'userSpaceOnUse')
    .attr('width', 6)
    .attr('height', 6)
    .attr('patternTransform', 'rotate(45)');
  p.append('rect').attr('width', 6).attr('height', 6).attr('fill', '#ffffff').attr('fill-opacity', 0.55);
  p.append('line').attr('x1', 0).attr('y1', 0).attr('x2', 0).attr('y2', 6).attr('stroke', INK).attr('stroke-width', 2);
}
