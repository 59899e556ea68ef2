import { stringify } from 'csv-stringify/sync';

/** A CSV/JSON row: numbers (NaN = not applicable), strings and booleans. */
export type Row = Record<string, number | string | boolean>;

/**
 * Formats a cell: NaN/undefined → empty (not applicable), numbers with up to 10 significant
 * digits (stable across platforms, and short enough to read), booleans as true/false.
 */
export function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return '';
    if (Number.isInteger(v)) return String(v);
    return String(Number(v.toPrecision(10)));
  }
  return String(v);
}

/** Renders rows as CSV with the given columns (default: the first row's keys); `format` renders a cell. */
export function toCsv(
  rows: readonly Row[],
  columns?: readonly string[],
  format: (column: string, v: unknown) => string = (_c, v) => cell(v),
): string {
  const cols = columns ?? (rows.length > 0 ? Object.keys(rows[0]!) : []);
  return stringify([cols as string[], ...rows.map((r) => cols.map((c) => format(c, r[c])))]);
}

/** Makes a row JSON-safe: NaN → null, numbers rounded like the CSV. */
export function jsonRow(r: Row): Record<string, number | string | boolean | null> {
  const o: Record<string, number | string | boolean | null> = {};
  for (const [k, v] of Object.entries(r)) {
    if (typeof v === 'number') o[k] = Number.isFinite(v) ? Number(cell(v)) : null;
    else o[k] = v;
  }
  return o;
}
