/**
 * Reads a results directory written by `pmsim run` or `pmsim sweep` (docs/outputs.md). Only the
 * summary (run) or the aggregate/runs (sweep) table is required; every other file is optional.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCsv, type Row } from './rows.js';
import { aggregateRuns } from './aggregate.js';

/** A `pmsim run` directory. */
export interface RunResults {
  readonly kind: 'run';
  readonly dir: string;
  readonly summary: Row[];
  readonly timeseries: Row[];
  readonly shares: Row[];
  readonly latency: Row[];
  /** jobs.csv (written with `pmsim run --jobs`), or empty. */
  readonly jobs: Row[];
  /** Parsed run.json, or null if absent or unreadable. */
  readonly runJson: Record<string, unknown> | null;
  /** Files that were found and read. */
  readonly files: string[];
}

/** A `pmsim sweep` directory. */
export interface SweepResults {
  readonly kind: 'sweep';
  readonly dir: string;
  /** One row per run (grid columns, then summary columns); may be empty. */
  readonly runs: Row[];
  /** One row per (grid point, mechanism); computed from runs.csv when aggregate.csv is absent. */
  readonly aggregate: Row[];
  /** Grid parameter columns (dot paths), in file order. */
  readonly gridColumns: string[];
  /** Parsed manifest.json, or null. */
  readonly manifest: Record<string, unknown> | null;
  readonly files: string[];
}

/** What {@link loadResults} returns. */
export type Results = RunResults | SweepResults;

/** A results directory that cannot be read; the message is meant for users. */
export class ResultsDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResultsDirError';
  }
}

function readCsvIf(dir: string, name: string, files: string[]): Row[] | null {
  const p = join(dir, name);
  if (!existsSync(p)) return null;
  let text: string;
  try {
    text = readFileSync(p, 'utf8');
  } catch (e) {
    throw new ResultsDirError(`cannot read ${p}: ${(e as Error).message}`);
  }
  files.push(name);
  return parseCsv(text);
}

function readJsonIf(dir: string, name: string, files: string[]): Record<string, unknown> | null {
  const p = join(dir, name);
  if (!existsSync(p)) return null;
  try {
    const v: unknown = JSON.parse(readFileSync(p, 'utf8'));
    files.push(name);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null; // a broken run.json only costs the report its metadata
  }
}

function gridFromRuns(runs: readonly Row[]): string[] {
  if (runs.length === 0) return [];
  const cols = Object.keys(runs[0]);
  const start = cols[0] === 'run_index' ? 1 : 0;
  const end = cols.indexOf('scenario');
  return end < 0 ? [] : cols.slice(start, end);
}

/**
 * Loads a run or sweep directory. A directory with `aggregate.csv` or `runs.csv` is a sweep; one
 * with `summary.csv` (or `summary.json`) is a run. Throws {@link ResultsDirError} with a readable
 * message when the directory is missing or holds neither.
 */
export function loadResults(dir: string): Results {
  const abs = resolve(dir);
  let st;
  try {
    st = statSync(abs);
  } catch {
    throw new ResultsDirError(`results directory not found: ${dir}`);
  }
  if (!st.isDirectory()) throw new ResultsDirError(`not a directory: ${dir}`);
  const files: string[] = [];

  const aggregate = readCsvIf(abs, 'aggregate.csv', files);
  const runs = readCsvIf(abs, 'runs.csv', files);
  if (aggregate !== null || runs !== null) {
    const runRows = runs ?? [];
    const gridFromAgg = aggregate?.length
      ? Object.keys(aggregate[0]).slice(0, Math.max(0, Object.keys(aggregate[0]).indexOf('mechanism')))
      : null;
    const gridColumns = gridFromAgg ?? gridFromRuns(runRows);
    return {
      kind: 'sweep',
      dir: abs,
      runs: runRows,
      aggregate: aggregate ?? aggregateRuns(runRows, gridColumns),
      gridColumns,
      manifest: readJsonIf(abs, 'manifest.json', files),
      files,
    };
  }

  let summary = readCsvIf(abs, 'summary.csv', files);
  if (summary === null) {
    const j = join(abs, 'summary.json');
    if (existsSync(j)) {
      try {
        const v: unknown = JSON.parse(readFileSync(j, 'utf8'));
        if (Array.isArray(v)) {
          summary = v as Row[];
          files.push('summary.json');
        }
      } catch {
        /* fall through to the error below */
      }
    }
  }
  if (summary === null) {
    throw new ResultsDirError(`${dir} holds no summary.csv (run) nor aggregate.csv/runs.csv (sweep): is it a pmsim results directory?`);
  }
  return {
    kind: 'run',
    dir: abs,
    summary,
    timeseries: readCsvIf(abs, 'timeseries.csv', files) ?? [],
    shares: readCsvIf(abs, 'shares.csv', files) ?? [],
    latency: readCsvIf(abs, 'latency.csv', files) ?? [],
    runJson: readJsonIf(abs, 'run.json', files),
    jobs: readCsvIf(abs, 'jobs.csv', files) ?? [],
    files,
  };
}
