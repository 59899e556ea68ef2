/** Aggregation of sweep runs per (grid point, mechanism), as in `aggregate.csv`. */
import { groupBy, num, str, type Row } from './rows.js';
import { estimate } from './stats.js';

const TEXT_COLUMNS = new Set(['run_index', 'scenario', 'mechanism', 'mechanism_id', 'preset']);

/**
 * Builds aggregate rows from run rows: the grid columns, `mechanism`, `n`, then for every numeric
 * column `c` its `c_mean`, `c_sd`, `c_ci95_lo`, `c_ci95_hi` (t-based). Used when a sweep directory
 * lacks aggregate.csv, and by notebooks.
 */
export function aggregateRuns(runs: readonly Row[], gridColumns: readonly string[]): Row[] {
  if (runs.length === 0) return [];
  const grid = new Set(gridColumns);
  const metrics = Object.keys(runs[0]).filter((c) => !grid.has(c) && !TEXT_COLUMNS.has(c));
  const keyOf = (r: Row) => JSON.stringify([...gridColumns.map((c) => str(r, c)), str(r, 'mechanism')]);
  const withKey = runs.map((r) => ({ ...r, __key: keyOf(r) }));
  const out: Row[] = [];
  for (const [, rows] of groupBy(withKey, '__key')) {
    const first = rows[0];
    const row: Record<string, unknown> = {};
    for (const c of gridColumns) row[c] = str(first, c);
    row.mechanism = str(first, 'mechanism');
    row.n = rows.length;
    for (const c of metrics) {
      const xs = rows.map((r) => num(r, c)).filter((v): v is number => v !== null);
      const e = estimate(xs);
      row[`${c}_mean`] = e ? e.mean : null;
      row[`${c}_sd`] = e ? e.sd : null;
      row[`${c}_ci95_lo`] = e ? e.lo : null;
      row[`${c}_ci95_hi`] = e ? e.hi : null;
    }
    out.push(row);
  }
  return out;
}
