/** The figures of a run's report, from its tables alone (no file system: the explorer uses it too). */
import type { Figure } from './build.js';
import { comparisonChart, costMetricOf } from './charts/comparison.js';
import { costBreakdownChart } from './charts/cost-breakdown.js';
import { latencyCdfChart } from './charts/latency-cdf.js';
import { marketShareChart } from './charts/market-share.js';
import { priceOverTimeChart } from './charts/price-over-time.js';
import { metricInfo } from './metrics.js';
import { hasValues, type Row } from './rows.js';

/** A run's tables, as `pmsim run` writes them (rows from the CSVs, or in memory). */
export interface RunTables {
  readonly summary: readonly Row[];
  readonly timeseries: readonly Row[];
  readonly shares: readonly Row[];
  readonly latency: readonly Row[];
}

/** The charts of a run, in report order; `mechanisms` fixes the colours. */
export function runFigures(res: RunTables, mechanisms: readonly string[]): Figure[] {
  const s = res.summary;
  const figures: Figure[] = [];
  figures.push({
    name: 'comparison',
    title: 'Mechanisms compared',
    caption: `Cost (${metricInfo(costMetricOf(s)).label}), share of jobs delivered on time, and variability of the price per Mcycle across windows (lower is more predictable).`,
    svg: comparisonChart(s, { mechanisms }),
  });
  figures.push({
    name: 'cost-breakdown',
    title: 'Cost breakdown',
    caption: 'Where the money goes: compute that produced the counted proofs, compute wasted on failed, losing or duplicate attempts, operator profit (left of zero when negative), protocol revenue and burned fees.',
    svg: costBreakdownChart(s, { mechanisms }),
  });
  if (hasValues(res.timeseries, 'price_per_mcycle_mean_usd')) {
    figures.push({
      name: 'price-over-time',
      title: 'Price per Mcycle over time',
      caption: 'Mean price paid per million cycles of the jobs delivered in each window; gaps are windows with no delivery.',
      svg: priceOverTimeChart(res.timeseries, { mechanisms }),
    });
  }
  if (hasValues(res.latency, 'latency_s')) {
    figures.push({
      name: 'latency-cdf',
      title: 'Latency distribution',
      caption: 'Share of delivered jobs (y) proved within a given time after submission (x); curves further left are faster.',
      svg: latencyCdfChart(res.latency, { mechanisms }),
    });
  }
  if (hasValues(res.shares, 'share')) {
    figures.push({
      name: 'market-share',
      title: 'Market share over time',
      caption: 'Share of delivered work per window for the largest entities (stacked), with the number of active operators (dashed, right axis).',
      svg: marketShareChart(res.shares, res.timeseries, { mechanisms }),
    });
  }
  return figures;
}
