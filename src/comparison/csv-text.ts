import { jsonRow, toCsv } from '../output/csv.js';
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
    ['summary.csv', toCsv(result.summary, SUMMARY_COLUMNS)],
    ['summary.json', `${JSON.stringify(result.summary.map(jsonRow), null, 2)}\n`],
    ['timeseries.csv', toCsv(result.timeseries)],
    ['shares.csv', toCsv(result.shares)],
    ['latency.csv', toCsv(result.latency)],
  ];
}
