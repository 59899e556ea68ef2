/** Assembles a report from loaded results: provenance, headlines, tables and figures. */
import { comparisonChart, costMetricOf } from './charts/comparison.js';
import { costBreakdownChart } from './charts/cost-breakdown.js';
import { latencyCdfChart } from './charts/latency-cdf.js';
import { marketShareChart } from './charts/market-share.js';
import { attackChart, hasAttack } from './charts/attack.js';
import { frontierChart } from './charts/frontier.js';
import { priceDistributionChart } from './charts/price-distribution.js';
import { priceOverTimeChart } from './charts/price-over-time.js';
import { shortParam, sweepChart, sweepSlice } from './charts/sweep-lines.js';
import { runHeadlines, sweepHeadlines } from './headlines.js';
import type { Results } from './load.js';
import { reportMeta, type ReportMeta } from './meta.js';
import { metricInfo } from './metrics.js';
import { hasValues } from './rows.js';
import { runTable, sweepTable, type Table } from './tables.js';

/** One chart of a report. */
export interface Figure {
  /** File stem under figures/ (also the SVG's `data-chart`). */
  readonly name: string;
  readonly title: string;
  /** One sentence on how to read it. */
  readonly caption: string;
  readonly svg: string;
}

/** Everything a report shows, before it is rendered to HTML or Markdown. */
export interface Report {
  readonly title: string;
  readonly meta: ReportMeta;
  readonly headlines: string[];
  readonly tables: Table[];
  readonly figures: Figure[];
}

/** Options of {@link buildReport}. */
export interface BuildOptions {
  /** How the results directory is shown in the commands (default: relative to the cwd). */
  readonly dirName?: string;
  /**
   * Summary columns to chart besides the standard figures (`pmsim report --metrics`): for a run,
   * comparison panels of these columns (three per figure); for a sweep, these metrics replace the
   * default ones (liveness, price, price CV, attacker share).
   */
  readonly metrics?: readonly string[];
}

/** Builds the report of a run or sweep. Deterministic: the same results give the same report. */
export function buildReport(res: Results, opts: BuildOptions = {}): Report {
  const meta = reportMeta(res, opts.dirName);
  const mechanisms = meta.mechanisms;
  const figures: Figure[] = [];
  if (res.kind === 'run') {
    const s = res.summary;
    figures.push({
      name: 'comparison',
      title: 'Mechanisms compared',
      caption: `Cost (${metricInfo(costMetricOf(s)).label}${costMetricOf(s) === 'total_cost_per_job_usd' ? ': what requesters paid plus what the protocol minted, per delivered job; the hatched part is emission' : ''}), the share of jobs not delivered on time, and the variability of the price per Mcycle across windows (lower is more predictable).`,
      svg: comparisonChart(s, { mechanisms }),
    });
    figures.push({
      name: 'frontier',
      title: 'Cost–liveness frontier',
      caption: 'Each mechanism at its total cost of proving per delivered job (requester payments plus emission) and its share of jobs on time, with 95% CIs over seeds when there are several; the dashed line joins the mechanisms that no other one beats on both.',
      svg: frontierChart(s, { mechanisms }),
    });
    for (let i = 0; i < (opts.metrics?.length ?? 0); i += 3) {
      const cols = opts.metrics!.slice(i, i + 3);
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
      caption: 'Where the money goes: compute that produced the counted proofs, compute wasted on failed, losing or duplicate attempts, operator profit (left of zero when negative), protocol revenue and burned fees.',
      svg: costBreakdownChart(s, { mechanisms }),
    });
    if (hasValues(res.timeseries, 'price_per_mcycle_mean_usd')) {
      figures.push({
        name: 'price-over-time',
        title: 'Price per Mcycle over time',
        caption: 'Mean price paid per million cycles of the jobs delivered in each window (self-hosted: the window\'s rent over the Mcycles it delivered), one panel per mechanism on a common axis; gaps are windows with no delivery.',
        svg: priceOverTimeChart(res.timeseries, { mechanisms }),
      });
    }
    if (hasValues(res.timeseries, 'price_per_mcycle_mean_usd') || res.jobs.length) {
      figures.push({
        name: 'price-distribution',
        title: 'Price distribution',
        caption: `How the price per Mcycle is spread, per mechanism: ${res.jobs.length ? 'one value per delivered job from jobs.csv (per-window prices where nothing is paid per job)' : 'one value per window (run with --jobs for one per job)'}; box: quartiles, bar: median, whiskers: 5th to 95th percentile.`,
        svg: priceDistributionChart(res.jobs, res.timeseries, { mechanisms }),
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
    if (hasAttack(res.timeseries)) {
      figures.push({
        name: 'attack',
        title: 'Attack panel',
        caption: "The attackers' share of each window's delivered work and the price per Mcycle, per mechanism, with the first window in which the attackers delivered at least half of the work and the price ratio after / before it.",
        svg: attackChart(res.timeseries, s, { mechanisms }),
      });
    }
    return {
      title: `${meta.name || 'pmsim run'}: ${mechanisms.length >= 2 ? 'mechanism comparison' : `${mechanisms[0] ?? 'run'} results`}`,
      meta,
      headlines: runHeadlines(s, { mechanisms }),
      tables: [runTable(s, { mechanisms })],
      figures,
    };
  }

  const agg = res.aggregate;
  const grid = res.gridColumns;
  const { param } = sweepSlice(agg, { gridColumns: grid });
  const p = param ? shortParam(param) : 'grid point';
  const metrics = opts.metrics?.length ? [...opts.metrics] : ['liveness', hasValues(agg, 'price_per_job_mean_usd_mean') ? 'price_per_job_mean_usd' : 'requester_cost_usd', 'price_cv'];
  if (!opts.metrics?.length && hasValues(agg, 'attacker_share_peak_mean')) metrics.push('attacker_share_peak');
  for (const m of metrics) {
    if (!hasValues(agg, `${m}_mean`)) continue;
    const info = metricInfo(m);
    figures.push({
      name: `sweep-${m}`,
      title: `${info.label} vs ${p}`,
      caption: `Mean ${info.label} at each value of ${param ?? 'the grid'}, one line per mechanism, one panel per value of the other grid parameters; the band is the 95% confidence interval over seeds, clipped to the values the metric can take.`,
      svg: sweepChart(agg, { metric: m, mechanisms, gridColumns: grid }),
    });
  }
  const tables = [sweepTable(agg, 'liveness', { mechanisms, gridColumns: grid })];
  if (metrics[1] && hasValues(agg, `${metrics[1]}_mean`)) tables.push(sweepTable(agg, metrics[1], { mechanisms, gridColumns: grid }));
  const headlines = sweepHeadlines(agg, { mechanisms, gridColumns: grid });
  const runs = res.manifest && Array.isArray(res.manifest.runs) ? (res.manifest.runs as unknown[]) : [];
  const failed = runs.filter((r) => r !== null && typeof r === 'object' && (r as { status?: unknown }).status === 'failed').length;
  if (failed > 0) headlines.push(`${failed} of ${runs.length} runs failed (their errors are in manifest.json); the figures leave them out.`);
  return {
    title: `${meta.name || 'pmsim sweep'}: sweep over ${p}`,
    meta,
    headlines,
    tables,
    figures,
  };
}
