/** Writes a report's files (report.html, report.md, figures/) atomically. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeAtomic } from '../output/atomic.js';
import { buildReport } from './build.js';
import { renderHtml } from './html.js';
import { loadResults, ResultsDirError, type Results } from './load.js';
import { renderMarkdown } from './markdown.js';
import { displayPath } from './meta.js';
import { svgToPng } from './png.js';

/** A report output format. */
export type ReportFormat = 'html' | 'md' | 'png';

/** All formats, the default. */
export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'md', 'png'];

/** Options of {@link writeReport}. */
export interface WriteReportOptions {
  /** Which files to write (default all): `html` → report.html; `md` → report.md + figures/*.svg; `png` → figures/*.png. */
  readonly formats?: ReadonlyArray<ReportFormat>;
  /** Summary columns to chart as well (see `BuildOptions.metrics`). */
  readonly metrics?: readonly string[];
}

/**
 * Reads the run or sweep in `resultsDir` and writes its report into `outDir` (created if needed).
 * Every file is written atomically (temp file, then rename). Returns the paths written, figures
 * first. Throws `ResultsDirError` for a missing or unrecognised results directory.
 */
export async function writeReport(resultsDir: string, outDir: string, opts: WriteReportOptions = {}): Promise<string[]> {
  const formats = new Set(opts.formats ?? REPORT_FORMATS);
  for (const f of formats) if (!REPORT_FORMATS.includes(f)) throw new Error(`unknown report format "${String(f)}" (use html, md, png)`);
  const res = loadResults(resultsDir);
  checkMetrics(res, opts.metrics ?? []);
  const report = buildReport(res, { dirName: displayPath(resolve(resultsDir)), metrics: opts.metrics });
  const out = resolve(outDir);
  mkdirSync(out, { recursive: true });
  const written: string[] = [];
  const put = (path: string, data: string | Uint8Array) => {
    writeAtomic(path, data);
    written.push(path);
  };
  if (formats.has('md') || formats.has('png')) {
    for (const f of report.figures) {
      if (formats.has('md')) put(join(out, 'figures', `${f.name}.svg`), f.svg);
      if (formats.has('png')) put(join(out, 'figures', `${f.name}.png`), svgToPng(f.svg));
    }
  }
  if (formats.has('md')) put(join(out, 'report.md'), renderMarkdown(report, { png: formats.has('png') }));
  if (formats.has('html')) put(join(out, 'report.html'), renderHtml(report));
  return written;
}

/** Every `--metrics` column must be a numeric column of the results (derived cost columns included). */
function checkMetrics(res: Results, metrics: readonly string[]): void {
  if (metrics.length === 0) return;
  const derived = ['total_cost_usd', 'total_cost_per_job_usd', 'requester_cost_per_job_usd', 'emission_per_job_usd'];
  const cols =
    res.kind === 'run'
      ? [...Object.keys(res.summary[0] ?? {}), ...derived]
      : Object.keys(res.aggregate[0] ?? {})
          .filter((c) => c.endsWith('_mean'))
          .map((c) => c.slice(0, -'_mean'.length));
  const bad = metrics.filter((m) => !cols.includes(m));
  const file = res.kind === 'run' ? 'summary.csv' : 'aggregate.csv';
  if (bad.length)
    throw new ResultsDirError(
      `--metrics: no column ${bad.map((b) => `"${b}"`).join(', ')} in ${file} (expected summary columns such as ${cols
        .filter((c) => !['scenario', 'mechanism', 'mechanism_id', 'preset', 'seed'].includes(c))
        .slice(0, 8)
        .join(', ')}, ...)`,
    );
}
