/**
 * Rows as the report reads them: plain objects keyed by column name.
 *
 * A row may come from a CSV (every value a string, an empty cell meaning "not applicable") or
 * from pmsim's API in memory (numbers and `null`). The helpers here read both the same way.
 */
import { csvParse } from 'd3';

/** One row of an output table (see docs/outputs.md). */
export type Row = Readonly<Record<string, unknown>>;

/**
 * Reads a cell as a number. Empty cells, `null`, missing columns and non-numeric text give
 * `null` ("not applicable").
 */
export function num(row: Row, column: string): number | null {
  const v = row[column];
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') return null;
    const n = Number(t);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** Reads a cell as text; `null` and missing cells give the empty string. */
export function str(row: Row, column: string): string {
  const v = row[column];
  if (v === null || v === undefined) return '';
  return String(v);
}

/** Parses CSV text (with a header line) into rows of strings. */
export function parseCsv(text: string): Row[] {
  const parsed = csvParse(text.replace(/^\uFEFF/, ''));
  return parsed.map((r) => ({ ...r }));
}

/** The column names of the rows, in the order of the first row's keys. */
export function columnsOf(rows: readonly Row[]): string[] {
  return rows.length > 0 ? Object.keys(rows[0]) : [];
}

/** Distinct values of a column in order of first appearance. */
export function distinct(rows: readonly Row[], column: string): string[] {
  const seen = new Set<string>();
  for (const r of rows) seen.add(str(r, column));
  return [...seen];
}

/** Groups rows by a column's text value, keeping first-appearance order. */
export function groupBy(rows: readonly Row[], column: string): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  for (const r of rows) {
    const k = str(r, column);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/** Non-null numeric values of a column. */
export function values(rows: readonly Row[], column: string): number[] {
  const out: number[] = [];
  for (const r of rows) {
    const v = num(r, column);
    if (v !== null) out.push(v);
  }
  return out;
}

/** True when at least one row has a numeric value in the column. */
export function hasValues(rows: readonly Row[], column: string): boolean {
  return rows.some((r) => num(r, column) !== null);
}

/**
 * The mechanisms in display order: `preferred` first (those present), then the others in order of
 * first appearance.
 */
export function mechanismOrder(rows: readonly Row[], preferred?: readonly string[]): string[] {
  const present = distinct(rows, 'mechanism').filter((m) => m !== '');
  if (!preferred) return present;
  const set = new Set(present);
  const first = preferred.filter((m) => set.has(m));
  const firstSet = new Set(first);
  return [...first, ...present.filter((m) => !firstSet.has(m))];
}
