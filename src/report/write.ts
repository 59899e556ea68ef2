/** Writes a report's files (report.html, report.md, figures/) atomically. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeAtomic } from '../output/atomic.js';
import { buildReport } from './build.js';
import { renderHtml } from './html.js';
import { loadResults } from './load.js';
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
  const report = buildReport(res, { dirName: displayPath(resolve(resultsDir)) });
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
