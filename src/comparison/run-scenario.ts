import { mechanismById } from '../mechanisms/registry.js';
import type { Mechanism } from '../mechanisms/types.js';
import type { MechanismRef, Scenario } from '../scenario/schema.js';
import { runMarket, type JobRow, type MarketResult, type StepRecorder } from '../market/market.js';
import { latencyRows, sharesRows, summaryRow, timeseriesRows, type Row, type RunKey } from './rows.js';

/** A mechanism reference with defaults resolved. */
export interface ResolvedMechanism {
  readonly id: string;
  readonly label: string;
  readonly preset: string;
  readonly params: Record<string, unknown>;
}

/** Resolves a scenario's mechanism entry (a bare id or an object). */
export function resolveMechanism(ref: MechanismRef): ResolvedMechanism {
  if (typeof ref === 'string') return { id: ref, label: ref, preset: '', params: {} };
  const preset = ref.preset ?? '';
  return { id: ref.id, label: ref.label ?? (preset ? `${ref.id}:${preset}` : ref.id), preset, params: ref.params };
}

/** Builds the mechanism object for a resolved reference. */
export function createMechanism(m: ResolvedMechanism): Mechanism {
  const entry = mechanismById(m.id);
  if (!entry) throw new Error(`unknown mechanism "${m.id}"`);
  return entry.create({ ...m.params, ...(m.preset ? { preset: m.preset } : {}) });
}

/** Options of {@link runScenario}. */
export interface RunOptions {
  /** Seed (default: the scenario's). */
  readonly seed?: number;
  /** Run index, for sweeps (default 0). */
  readonly run?: number;
  /** Only these mechanisms, by label (or by id, for an id that is no entry's label). Default: all. */
  readonly mechanisms?: readonly string[];
  /** Receives every finished job (for `jobs.csv`). */
  readonly onJob?: (mechanism: string, row: JobRow) => void;
  /** Gives each mechanism's run a recording hook (`pmsim run --record`). */
  readonly record?: (ref: ResolvedMechanism, mechanism: Mechanism) => StepRecorder;
  /** Called after each mechanism's run. */
  readonly onMechanismDone?: (label: string, result: MarketResult) => void;
}

/** Per-mechanism timing: goes only to run.json, never into the CSVs. */
export interface MechanismTiming {
  readonly mechanism: string;
  readonly events: number;
  readonly wall_s: number;
  readonly events_per_s: number;
}

/** Everything one `pmsim run` produces, as rows. */
export interface RunResult {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly summary: Row[];
  readonly timeseries: Row[];
  readonly shares: Row[];
  readonly latency: Row[];
  readonly timing: MechanismTiming[];
}

/**
 * Runs every mechanism of a scenario on the same demand, population and hardware draws (common
 * random numbers: every stream is derived from (seed, run, component), never from the mechanism).
 */
export function runScenario(scenario: Scenario, opts: RunOptions = {}): RunResult {
  const seed = opts.seed ?? scenario.seed;
  let refs = scenario.mechanisms.map(resolveMechanism);
  if (opts.mechanisms && opts.mechanisms.length > 0) {
    const want = opts.mechanisms;
    // A name selects the mechanism with that label; a name that is no label selects every entry with that id.
    refs = refs.filter((m) => want.includes(m.label) || (want.includes(m.id) && !refs.some((o) => o.label === m.id)));
    if (refs.length === 0) throw new Error(`no mechanism of the scenario matches ${want.join(', ')}`);
  }
  const result: RunResult = { scenario, seed, summary: [], timeseries: [], shares: [], latency: [], timing: [] };
  for (const ref of refs) {
    const key: RunKey = { scenario: scenario.name, mechanism: ref.label, mechanism_id: ref.id, preset: ref.preset, seed };
    const t0 = performance.now(); // (not process.hrtime: the explorer runs this in a browser)
    const mechanism = createMechanism(ref);
    const r = runMarket({
      scenario,
      mechanism,
      seed,
      run: opts.run ?? 0,
      onJob: opts.onJob ? (row) => opts.onJob!(ref.label, row) : undefined,
      record: opts.record?.(ref, mechanism),
    });
    const wall = (performance.now() - t0) / 1e3;
    result.summary.push(summaryRow(key, r));
    // Not push(...rows): a spread passes every row as an argument and overflows the stack at ~100k windows.
    for (const row of timeseriesRows(key, r)) result.timeseries.push(row);
    for (const row of sharesRows(key, r)) result.shares.push(row);
    for (const row of latencyRows(key, r)) result.latency.push(row);
    result.timing.push({ mechanism: ref.label, events: r.events, wall_s: wall, events_per_s: wall > 0 ? r.events / wall : 0 });
    opts.onMechanismDone?.(ref.label, r);
  }
  return result;
}
