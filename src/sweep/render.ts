import { stringify } from 'csv-stringify/sync';
import { join } from 'node:path';
import { AtomicStream } from '../output/atomic.js';
import { cell } from '../output/csv.js';
import { SUMMARY_COLUMNS } from '../comparison/rows.js';
import { VERSION } from '../version.js';
import type { RunRecord } from './execute.js';
import { DONE, FAILED, type ShardSpec } from './journal.js';
import { paramCell, pointOverrides, type SweepPlan } from './plan.js';
import { deriveSeed } from './seed.js';
import { summarize } from './stats.js';

/** The fixed output files of a sweep directory (docs/outputs.md). */
export const RUNS_FILE = 'runs.csv';
export const AGGREGATE_FILE = 'aggregate.csv';
export const MANIFEST_FILE = 'manifest.json';

/** Summary columns that are labels, not numbers to aggregate (`seed` is a number but not a measure). */
const LABEL_COLUMNS = new Set(['scenario', 'mechanism', 'mechanism_id', 'preset', 'seed']);
/** The numeric summary columns that aggregate.csv summarises. */
export const NUMERIC_COLUMNS: readonly string[] = SUMMARY_COLUMNS.filter((c) => !LABEL_COLUMNS.has(c));

/** Records of a range of runs, in any storage (one journal, several shards' journals). */
export interface RecordSource {
  /** DONE, FAILED or NONE (missing). */
  status(run: number): number;
  /** The run's latest record (only called when the status is DONE or FAILED). */
  record(run: number): RunRecord;
}

/** Facts for manifest.json beyond the plan and the records. */
export interface ManifestInfo {
  readonly shard: ShardSpec | null;
  readonly first: number;
  readonly end: number;
  readonly command?: string | null;
  /** For merges: the shard directories. */
  readonly sources?: readonly string[];
  readonly extra?: Record<string, unknown>;
}

/** Counts of a rendered sweep. */
export interface RenderCounts {
  readonly done: number;
  readonly failed: number;
  readonly missing: number;
  readonly failures: { run: number; error: string }[];
}

/** How each run's seed is derived (documented in manifest.json). */
export const SEED_DERIVATION =
  'seed(run) = first 6 bytes, big-endian, of SHA-256("pmsim-sweep-seed/<master seed>/<run index>"); engine run index 0';

/**
 * Writes runs.csv, aggregate.csv and manifest.json for runs first .. end − 1, streaming in run-index
 * order: one run's rows at a time for runs.csv, one grid point's rows for aggregate.csv. The bytes of
 * the CSVs depend only on the plan and the records, never on how or where the runs were executed.
 */
export function renderOutputs(plan: SweepPlan, src: RecordSource, dir: string, info: ManifestInfo): RenderCounts {
  const params = plan.params;
  const runsCols = ['run_index', ...params, ...SUMMARY_COLUMNS];
  const aggCols = [
    ...params,
    'mechanism',
    'n',
    ...NUMERIC_COLUMNS.flatMap((c) => [`${c}_mean`, `${c}_sd`, `${c}_ci95_lo`, `${c}_ci95_hi`]),
  ];
  const runs = new AtomicStream(join(dir, RUNS_FILE));
  const agg = new AtomicStream(join(dir, AGGREGATE_FILE));
  const man = new AtomicStream(join(dir, MANIFEST_FILE));
  try {
    runs.write(stringify([runsCols]));
    agg.write(stringify([aggCols]));

    let done = 0;
    let failed = 0;
    for (let i = info.first; i < info.end; i++) {
      const s = src.status(i);
      if (s === DONE) done++;
      else if (s === FAILED) failed++;
    }
    const missing = info.end - info.first - done - failed;
    const d = plan.definition;
    const head = {
      pmsim_version: VERSION,
      name: d.name,
      sweep_hash: plan.hash,
      sweep_file: d.sweep_file,
      scenario_file: d.scenario_file,
      command: info.command ?? null,
      sweep: {
        seed: d.seed,
        replicates: d.replicates,
        mechanisms: d.mechanisms,
        axes: d.axes,
        params,
        points: plan.points,
        runs_total: plan.runsTotal,
      },
      seed_derivation: SEED_DERIVATION,
      shard: info.shard,
      range: { first: info.first, end: info.end },
      ...(info.sources ? { sources: info.sources } : {}),
      ...(info.extra ?? {}),
      counts: { runs: info.end - info.first, done, failed, missing },
      complete: missing === 0,
      scenario: d.scenario,
    };
    const headJson = JSON.stringify(head, null, 2);
    man.write(`${headJson.slice(0, -2)},\n  "runs": [`);

    const failures: { run: number; error: string }[] = [];
    let group: { point: number; cells: (string | number | boolean)[]; rows: Map<string, Record<string, unknown>[]> } | undefined;
    const flush = () => {
      if (!group) return;
      for (const [mech, rows] of group.rows) {
        const line: (string | number | boolean)[] = [...group.cells, mech, rows.length];
        for (const c of NUMERIC_COLUMNS) {
          const xs: number[] = [];
          for (const r of rows) {
            const v = r[c];
            if (typeof v === 'number' && Number.isFinite(v)) xs.push(v);
          }
          const st = summarize(xs);
          line.push(cell(st.mean), cell(st.sd), cell(st.lo), cell(st.hi));
        }
        agg.write(stringify([line.map((v) => cell(v))]));
      }
      group = undefined;
    };

    let firstEntry = true;
    for (let i = info.first; i < info.end; i++) {
      const point = Math.floor(i / plan.replicates);
      const replicate = i % plan.replicates;
      if (group && group.point !== point) flush();
      const s = src.status(i);
      const entry: Record<string, unknown> = { run: i, point, replicate, seed: deriveSeed(plan.masterSeed, i) };
      if (s === DONE || s === FAILED) {
        const rec = src.record(i);
        entry.status = rec.status;
        entry.wall_s = rec.wall_s;
        if (rec.status === 'failed') {
          entry.error = rec.error;
          failures.push({ run: i, error: rec.error });
        } else {
          const cells = pointOverrides(plan, point).map(([, v]) => paramCell(v));
          if (!group) group = { point, cells, rows: new Map() };
          const lines: string[][] = [];
          for (const row of rec.rows) {
            lines.push([cell(i), ...cells.map((v) => cell(v)), ...SUMMARY_COLUMNS.map((c) => cell(row[c]))]);
            const mech = String(row.mechanism);
            let list = group.rows.get(mech);
            if (!list) group.rows.set(mech, (list = []));
            list.push(row);
          }
          runs.write(stringify(lines));
        }
      } else {
        entry.status = 'missing';
      }
      man.write(`${firstEntry ? '\n' : ',\n'}    ${JSON.stringify(entry)}`);
      firstEntry = false;
    }
    flush();
    man.write(`${firstEntry ? '' : '\n  '}]\n}\n`);
    runs.commit();
    agg.commit();
    man.commit();
    return { done, failed, missing, failures };
  } catch (e) {
    runs.abort();
    agg.abort();
    man.abort();
    throw e;
  }
}
