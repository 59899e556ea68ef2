/** The figures of a run's report, from its tables alone (no file system: the explorer uses it too). */
import type { Figure } from './build.js';
import { attackChart, hasAttack } from './charts/attack.js';
import { comparisonChart, costMetricOf } from './charts/comparison.js';
import { costBreakdownChart } from './charts/cost-breakdown.js';
import { frontierChart } from './charts/frontier.js';
import { latencyCdfChart } from './charts/latency-cdf.js';
import { marketShareChart } from './charts/market-share.js';
import { priceDistributionChart } from './charts/price-distribution.js';
import { priceOverTimeChart } from './charts/price-over-time.js';
import { metricInfo } from './metrics.js';
import { hasValues, type Row } from './rows.js';

/** A run's tables, as `pmsim run` writes them (rows from the CSVs, or in memory). */
export interface RunTables {
  readonly summary: readonly Row[];
  readonly timeseries: readonly Row[];
  readonly shares: readonly Row[];
  readonly latency: readonly Row[];
  /** `jobs.csv` rows, when the run wrote them (`--jobs`). */
  readonly jobs?: readonly Row[];
}

/**
 * The charts of a run, in report order; `mechanisms` fixes the colours, `metrics` adds comparison
 * charts of any summary columns (`pmsim report --metrics`).
 */
export function runFigures(res: RunTables, mechanisms: readonly string[], metrics?: readonly string[]): Figure[] {
  const s = res.summary;
  const jobs = res.jobs ?? [];
  const figures: Figure[] = [];
  figures.push({
    name: 'comparison',
    title: 'Mechanisms compared',
    caption: `Cost (${metricInfo(costMetricOf(s)).label}${costMetricOf(s) === 'total_cost_per_job_usd' ? ': what requesters paid plus what the protocol minted, per delivered job; the hatched part is emission' : ''}), the share of jobs not delivered on time, and the variability of the price per Mcycle across windows (lower is more predictable).`,
    svg: comparisonChart(s, { mechanisms }),
  });
  figures.push({
    name: 'frontier',
    title: 'Cost–liveness frontier',
    caption:
      'Each mechanism at its total cost of proving per delivered job (requester payments plus emission) and its share of jobs on time, with 95% CIs over seeds when there are several; the dashed line joins the mechanisms that no other one beats on both.',
    svg: frontierChart(s, { mechanisms }),
  });
  for (let i = 0; i < (metrics?.length ?? 0); i += 3) {
    const cols = metrics!.slice(i, i + 3);
    figures.push({
      name: `metrics-${i / 3 + 1}`,
      title: `Mechanisms compared: ${cols.map((c) => metricInfo(c).label).join(', ')}`,
      caption: `The summary columns ${cols.map((c) => `\`${c}\``).join(', ')} per mechanism (means over seeds, 95% CI whiskers with several seeds).`,
      svg: comparisonChart(s, { mechanisms, columns: cols, name: `metrics-${i / 3 + 1}` }),
    });
  }
  figures.push({
    name: 'cost-breakdown',
    title: 'Cost breakdown',
    caption:
      'Where the money goes: compute that produced the counted proofs, compute wasted on failed, losing or duplicate attempts, operator profit (left of zero when negative), protocol revenue and burned fees.',
    svg: costBreakdownChart(s, { mechanisms }),
  });
  if (hasValues(res.timeseries, 'price_per_mcycle_mean_usd')) {
    figures.push({
      name: 'price-over-time',
      title: 'Price per Mcycle over time',
      caption:
        "Mean price paid per million cycles of the jobs delivered in each window (self-hosted: the window's rent over the Mcycles it delivered), one panel per mechanism on a common axis; gaps are windows with no delivery.",
      svg: priceOverTimeChart(res.timeseries, { mechanisms }),
    });
  }
  if (hasValues(res.timeseries, 'price_per_mcycle_mean_usd') || jobs.length) {
    figures.push({
      name: 'price-distribution',
      title: 'Price distribution',
      caption: `How the price per Mcycle is spread, per mechanism: ${jobs.length ? 'one value per delivered job from jobs.csv (per-window prices where nothing is paid per job)' : 'one value per window (run with --jobs for one per job)'}; box: quartiles, bar: median, whiskers: 5th to 95th percentile.`,
      svg: priceDistributionChart(jobs, res.timeseries, { mechanisms }),
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
      caption:
        'Share of delivered work per window for the largest entities (stacked), with the number of active operators (dashed, right axis).',
      svg: marketShareChart(res.shares, res.timeseries, { mechanisms }),
    });
  }
  if (hasAttack(res.timeseries)) {
    figures.push({
      name: 'attack',
      title: 'Attack panel',
      caption:
        "The attackers' share of each window's delivered work and the price per Mcycle, per mechanism, with the first window in which the attackers delivered at least half of the work and the price ratio after / before it.",
      svg: attackChart(res.timeseries, s, { mechanisms }),
    });
  }
  return figures;
}
