/** Chart (d): where the money goes, per mechanism, as stacked horizontal bars. */
import { drawXAxis, fitTicks, zeroBasedScale } from '../axes.js';
import { fmtUsd, r2 } from '../format.js';
import { drawLegend, type LegendItem } from '../legend.js';
import { groupBy, values, type Row } from '../rows.js';
import { mean } from '../stats.js';
import { createChart, drawHeader, INK, serialize } from '../svg.js';
import { categoryColumn, scenarioOf, seedPhrase, seedsIn, seriesOf, widthOf, type ChartOptions } from './common.js';

/** The stacked components, in stacking order, with their colours (Okabe-Ito). */
export const COST_COMPONENTS = [
  { column: 'useful_compute_usd', label: 'useful compute', color: '#0072B2' },
  { column: 'wasted_compute_usd', label: 'wasted compute', color: '#D55E00' },
  { column: 'idle_cost_usd', label: 'idle hours', color: '#999999' },
  { column: 'operator_profit_usd', label: 'operator profit', color: '#009E73' },
  { column: 'protocol_revenue_usd', label: 'protocol revenue', color: '#E69F00' },
  { column: 'burned_usd', label: 'burned', color: '#CC79A7' },
] as const;

const ROW_H = 32;
const BAR_H = 18;

/** One mechanism's stacked segments. */
export interface CostStack {
  readonly mechanism: string;
  readonly segments: ReadonlyArray<{ column: string; label: string; color: string; value: number; x0: number; x1: number }>;
  /** Mean requester cost, or null if not reported. */
  readonly requesterCost: number | null;
}

/**
 * Stacks the cost components of each mechanism (means over seeds). Positive values stack right
 * of zero, negative ones (an operator loss) left of zero.
 */
export function costStacks(summary: readonly Row[], mechanisms: readonly string[]): CostStack[] {
  const by = groupBy(summary, 'mechanism');
  return mechanisms.map((m) => {
    const rows = by.get(m) ?? [];
    let pos = 0;
    let neg = 0;
    const segments = COST_COMPONENTS.map((c) => {
      const v = mean(values(rows, c.column)) ?? 0;
      const x0 = v >= 0 ? pos : neg + v;
      const x1 = v >= 0 ? pos + v : neg;
      if (v >= 0) pos += v;
      else neg += v;
      return { column: c.column, label: c.label, color: c.color, value: v, x0, x1 };
    });
    return { mechanism: m, segments, requesterCost: mean(values(rows, 'requester_cost_usd')) };
  });
}

/**
 * Draws the cost breakdown from summary rows: useful compute, wasted compute, operator profit,
 * protocol revenue and burned, stacked per mechanism (totals over the run, means over seeds),
 * with a tick at the requesters' total cost. Returns the SVG.
 */
export function costBreakdownChart(summary: readonly Row[], opts: ChartOptions = {}): string {
  const W = widthOf(opts);
  const series = seriesOf(summary, opts);
  const stacks = costStacks(
    summary,
    series.map((s) => s.name),
  );
  const seeds = seedsIn(summary);
  const title = opts.title ?? 'Cost breakdown: where the money goes';
  const scen = scenarioOf(summary);
  const subtitle = `${scen ? `${scen}: ` : ''}totals over the run${seeds.length ? `, ${seedPhrase(seeds)}` : ''}; black tick: what requesters paid`;
  const root = createChart('cost-breakdown', W, 0, title);
  const { svg } = root;
  let y = drawHeader(svg, title, subtitle);
  const items: LegendItem[] = COST_COMPONENTS.map((c) => ({ label: c.label, color: c.color, kind: 'box' as const }));
  items.push({ label: 'requester cost', color: INK, kind: 'tick' });
  y += drawLegend(svg, items, 12, y + 2, W - 24) + 14;

  const cat = categoryColumn(
    series.map((s) => s.name),
    12,
  );
  const left = 12 + cat.width + 12;
  const plotW = W - left - 24;
  const plotH = Math.max(1, series.length) * ROW_H + 6;
  const ext = stacks.flatMap((s) => [...s.segments.flatMap((g) => [g.x0, g.x1]), ...(s.requesterCost === null ? [] : [s.requesterCost])]);
  const x = zeroBasedScale(ext, [0, plotW]);
  const ticks = fitTicks(x, plotW, 'x');
  const height = Math.ceil(y + plotH + 50);
  svg.attr('height', height).attr('viewBox', `0 0 ${W} ${height}`);
  svg.select('rect.background').attr('height', height);

  const g = svg
    .append('g')
    .attr('class', 'plot')
    .attr('transform', `translate(${r2(left)},${r2(y)})`);
  drawXAxis(g, x, ticks, { y: plotH, label: 'USD (total over the run)', grid: plotH, width: plotW });
  stacks.forEach((st, i) => {
    const cy = 6 + i * ROW_H + ROW_H / 2;
    g.append('text')
      .attr('x', -10)
      .attr('y', r2(cy + 4))
      .attr('text-anchor', 'end')
      .attr('font-size', 12)
      .text(cat.labels[i]);
    for (const sgm of st.segments) {
      if (sgm.value === 0) continue;
      g.append('rect')
        .attr('class', 'bar')
        .attr('x', r2(x(sgm.x0)))
        .attr('y', r2(cy - BAR_H / 2))
        .attr('width', r2(Math.max(0.5, x(sgm.x1) - x(sgm.x0))))
        .attr('height', BAR_H)
        .attr('fill', sgm.color)
        .attr('stroke', '#ffffff')
        .attr('stroke-width', 0.5)
        .append('title')
        .text(`${st.mechanism}, ${sgm.label}: ${fmtUsd(sgm.value)}`);
    }
    if (st.requesterCost !== null) {
      const rx = r2(x(st.requesterCost));
      g.append('path')
        .attr('class', 'marker')
        .attr('d', `M${rx},${r2(cy - BAR_H / 2 - 4)}V${r2(cy + BAR_H / 2 + 4)}`)
        .attr('stroke', INK)
        .attr('stroke-width', 2)
        .append('title')
        .text(`${st.mechanism}, requester cost: ${fmtUsd(st.requesterCost)}`);
    }
  });
  if (series.length && x.domain()[0] < 0) {
    g.append('line')
      .attr('class', 'zero')
      .attr('x1', r2(x(0)))
      .attr('x2', r2(x(0)))
      .attr('y1', 0)
      .attr('y2', r2(plotH))
      .attr('stroke', INK);
  }
  return serialize(root);
}
