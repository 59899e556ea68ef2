/** Assembles a report from loaded results: provenance, headlines, tables and figures. */
import { runFigures } from './figures.js';
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
    figures.push(...runFigures(res, mechanisms, opts.metrics));
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
  const metrics = opts.metrics?.length
    ? [...opts.metrics]
    : ['liveness', hasValues(agg, 'price_per_job_mean_usd_mean') ? 'price_per_job_mean_usd' : 'requester_cost_usd', 'price_cv'];
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
  if (failed > 0)
    headlines.push(`${failed} of ${runs.length} runs failed (their errors are in manifest.json); the figures leave them out.`);
  return {
    title: `${meta.name || 'pmsim sweep'}: sweep over ${p}`,
    meta,
    headlines,
    tables,
    figures,
  };
}
