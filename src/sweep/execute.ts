import { runScenario } from '../comparison/run-scenario.js';
import { jsonRow } from '../output/csv.js';
import { SUMMARY_COLUMNS } from '../comparison/rows.js';
import { buildScenario } from './plan.js';

/** What a worker needs once: the sweep's base scenario and settings. */
export interface WorkerContext {
  readonly base: Record<string, unknown>;
  readonly scenarioPath: string;
  readonly sweepFile: string;
  readonly mechanisms: readonly string[] | null;
}

/** One run to execute. */
export interface RunTask {
  readonly index: number;
  readonly point: number;
  readonly seed: number;
  readonly overrides: readonly (readonly [string, unknown])[];
}

/** A finished run: its journal line (JSON, with a trailing newline) and status. */
export interface RunOutcome {
  readonly index: number;
  readonly ok: boolean;
  readonly line: string;
}

/** A journal record of one run. */
export type RunRecord =
  | { run: number; status: 'done'; seed: number; wall_s: number; rows: Record<string, number | string | boolean | null>[] }
  | { run: number; status: 'failed'; seed: number; wall_s: number; error: string };

/**
 * Executes one run: builds its scenario (base + overrides), runs every selected mechanism on the
 * run's seed and returns the journal line. Never throws: an error becomes a `failed` record. The
 * result is a pure function of (context, task): run index 0 of the engine's streams is used, so
 * `pmsim run <scenario with the overrides> --seed <seed>` reproduces the run's rows.
 */
export function executeRun(ctx: WorkerContext, task: RunTask): RunOutcome {
  const t0 = process.hrtime.bigint();
  let rec: RunRecord;
  try {
    const scenario = buildScenario(ctx.base, task.overrides, ctx.scenarioPath, ctx.sweepFile, task.point);
    const result = runScenario(scenario, { seed: task.seed, run: 0, mechanisms: ctx.mechanisms ?? undefined });
    const rows = result.summary.map((r) => {
      const o: Record<string, number | string | boolean> = {};
      for (const c of SUMMARY_COLUMNS) o[c] = r[c] as number | string | boolean;
      return jsonRow(o);
    });
    rec = { run: task.index, status: 'done', seed: task.seed, wall_s: wall(t0), rows };
  } catch (e) {
    rec = { run: task.index, status: 'failed', seed: task.seed, wall_s: wall(t0), error: errorText(e) };
  }
  return { index: task.index, ok: rec.status === 'done', line: `${JSON.stringify(rec)}\n` };
}

function wall(t0: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - t0) / 1e6) / 1e3;
}

/** A one-line description of an error (the first stack frame kept, for bugs). */
export function errorText(e: unknown): string {
  if (e instanceof Error) {
    const frame = e.stack
      ?.split('\n')
      .find((l) => l.trim().startsWith('at '))
      ?.trim();
    return `${e.name === 'Error' || e.name === 'SweepError' ? '' : `${e.name}: `}${e.message}${frame && e.name !== 'SweepError' ? ` (${frame})` : ''}`;
  }
  return String(e);
}
