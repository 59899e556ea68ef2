import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import type { ReportFormat } from '../../report/index.js';
import { UsageError } from '../errors.js';

interface ReportArgs {
  'results-dir': string;
  out?: string;
  format: string | string[];
  metrics?: string | string[];
  quiet: boolean;
}

/** The report formats (report/index.ts REPORT_FORMATS; repeated here so `--help` need not load d3). */
const REPORT_FORMATS = ['html', 'md', 'png'] as const;

/** Parses `--format html,md` (comma lists and repeated flags both work). */
export function parseFormats(raw: readonly string[]): ReportFormat[] {
  const list = raw
    .flatMap((s) => String(s).split(','))
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  const bad = list.filter((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (bad.length) throw new UsageError(`--format: unknown format ${bad.map((b) => `"${b}"`).join(', ')} (use html, md, png)`);
  if (list.length === 0) throw new UsageError('--format: give at least one of html, md, png');
  return [...new Set(list)] as ReportFormat[];
}

/** `pmsim report <results-dir>`: report.html, report.md and figures for a run or sweep directory. */
const command: CommandModule<object, ReportArgs> = {
  command: 'report <results-dir>',
  describe: 'Write report.html, report.md and figures (SVG, PNG) for the results of a run or a sweep',
  builder: (y) =>
    y
      .positional('results-dir', { type: 'string', demandOption: true, describe: 'Directory written by `pmsim run` or `pmsim sweep`' })
      .option('out', { type: 'string', describe: 'Output directory (default: the results directory)' })
      .option('format', { type: 'string', default: 'html,md,png', describe: 'Formats, comma-separated: html, md, png' })
      .option('metrics', { type: 'string', describe: 'Also chart these summary columns, comma-separated (e.g. hhi,top1_share)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'Print nothing but errors' })
      .example('$0 report results/default', 'report.html, report.md and figures/ next to the results')
      .example('$0 report results/sweep --out site/sweep --format html', 'only the self-contained HTML page'),
  handler: async (a) => {
    const formats = parseFormats(Array.isArray(a.format) ? a.format : [a.format]);
    const dir = a['results-dir'];
    const out = resolve(a.out ?? dir);
    const { ResultsDirError, writeReport } = await import('../../report/index.js');
    let files: string[];
    try {
      const metrics = (Array.isArray(a.metrics) ? a.metrics : a.metrics ? [a.metrics] : [])
        .flatMap((m) => String(m).split(','))
        .map((m) => m.trim())
        .filter((m) => m !== '');
      files = await writeReport(dir, out, { formats, metrics });
    } catch (e) {
      if (e instanceof ResultsDirError) throw new UsageError(e.message);
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR') {
        throw new UsageError(`cannot write the report to ${out}: ${(e as Error).message}`);
      }
      throw e;
    }
    if (!a.quiet) {
      const main = files.filter((f) => f.endsWith('.html') || f.endsWith('.md'));
      const figs = files.length - main.length;
      process.stdout.write(
        `${main.map((f) => `wrote ${f}\n`).join('')}${figs ? `wrote ${figs} figure file${figs === 1 ? '' : 's'} in ${resolve(out, 'figures')}\n` : ''}`,
      );
    }
  },
};

export default command;
