import { cell } from '../output/csv.js';
import type { JobRow } from '../market/market.js';

/** The columns of `jobs.csv`, in order (the output contract, docs/outputs.md). */
export const JOB_COLUMNS = [
  'mechanism',
  'seed',
  'job_id',
  'requester',
  'kind',
  'mcycles',
  'submitted_s',
  'deadline_s',
  'outcome',
  'ended_s',
  'on_time',
  'latency_s',
  'price_usd',
  'operator',
  'entity',
  'attempts',
] as const;

/** The header line of `jobs.csv`. */
export function jobsHeader(): string {
  return `${JOB_COLUMNS.join(',')}\n`;
}

/** One line of `jobs.csv` for a finished job of `mechanism` (its label) under `seed`. */
export function jobsLine(mechanism: string, seed: number, row: JobRow): string {
  const r = row as unknown as Record<string, unknown>;
  return `${JOB_COLUMNS.map((c) => csvCell(c === 'mechanism' ? mechanism : c === 'seed' ? seed : r[c])).join(',')}\n`;
}

function csvCell(v: unknown): string {
  const s = cell(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
