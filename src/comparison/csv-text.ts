import { toCsv } from '../output/csv.js';
import { summaryCell, summaryJsonRow } from './money.js';
import type { RunResult } from './run-scenario.js';
import { SUMMARY_COLUMNS } from './rows.js';

/** Names of the result tables {@link runTableTexts} renders (every run file but run.json). */
export const RUN_TABLE_FILES = ['summary.csv', 'summary.json', 'timeseries.csv', 'shares.csv', 'latency.csv'] as const;

/**
 * The text of a run's result tables, exactly as `pmsim run` writes them. Pure (no file system), so
 * the browser explorer offers byte-identical downloads.
 */
export function runTableTexts(result: RunResult): [(typeof RUN_TABLE_FILES)[number], string][] {
  return [
    // Money exact to the µUSD (money.ts): the ledger's identities can be checked from the files.
    ['summary.csv', toCsv(result.summary, SUMMARY_COLUMNS, summaryCell)],
    ['summary.json', result.summary.length === 0 ? '[]\n' : `[\n${result.summary.map((r) => summaryJsonRow(r, '  ')).join(',\n')}\n]\n`],
    ['timeseries.csv', toCsv(result.timeseries)],
    ['shares.csv', toCsv(result.shares)],
    ['latency.csv', toCsv(result.latency)],
  ];
}
