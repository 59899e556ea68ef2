import type { Scenario } from './schema.js';

/** How much work a scenario asks for, estimated before it runs (all mechanisms together). */
export interface WorkEstimate {
  /** Jobs submitted, per mechanism (every mechanism sees the same demand). */
  readonly jobs: number;
  /** Prover nodes (identities) of the largest population, per mechanism. */
  readonly nodes: number;
  /** Time-series windows, per mechanism. */
  readonly windows: number;
  /** Simulation events, all mechanisms together (an upper-end estimate). */
  readonly events: number;
  readonly mechanisms: number;
}

/** Documented limits (docs/outputs.md, "Work estimate"). `--force` lifts them; `--max-events` sets the events one. */
export const WORK_LIMITS = {
  /** ~20 minutes at the engine's ~1M events/s. */
  events: 1e9,
  /** Job records are kept per mechanism: ~100 bytes each. */
  jobs: 2e7,
  nodes: 1e6,
  /** Each window is a timeseries row and six shares rows in memory. */
  windows: 1e6,
} as const;

/** Events per job per mechanism at the upper end of what the mechanisms take (reverse Dutch: ~36, others 2-6). */
const EVENTS_PER_JOB = 40;

/** An estimate beyond a limit, or a bad `--max-events`. Exit status 2. */
export class WorkLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkLimitError';
  }
}

type Dist = {
  dist: string;
  value?: number;
  min?: number;
  max?: number;
  mean?: number;
  median?: number;
  sigma?: number;
  values?: number[];
  mode?: string;
};

/** Mean of a gap distribution (seconds); for `timestamps`, NaN (count the values instead). */
function meanGap(d: number | Dist): number {
  if (typeof d === 'number') return d;
  switch (d.dist) {
    case 'constant':
      return d.value!;
    case 'uniform':
      return (d.min! + d.max!) / 2;
    case 'exponential':
    case 'normal':
      return d.mean!;
    case 'lognormal':
      return d.median! * Math.exp((d.sigma! * d.sigma!) / 2);
    case 'empirical': {
      const v = d.values ?? [];
      return v.length > 0 ? v.reduce((a, b) => a + b, 0) / v.length : Infinity;
    }
    default:
      return Infinity;
  }
}

/** Estimates jobs, nodes, windows and events of a parsed scenario (cheap: no simulation). */
export function estimateWork(s: Scenario): WorkEstimate {
  let jobs = 0;
  const own = new Map<string, number>();
  for (const r of s.requesters) {
    if (r.arrival === undefined) continue;
    const span = Math.max(0, Math.min(r.stop ?? s.duration, s.duration) - r.start);
    const a = r.arrival as number | Dist;
    let n: number;
    if (typeof a === 'object' && a.mode === 'timestamps') n = a.values?.length ?? 0;
    else {
      const gap = meanGap(a);
      // A zero gap is a burst of jobs at one instant: bounded only by max_jobs.
      n = gap > 0 ? span / gap : r.max_jobs !== undefined ? r.max_jobs : Infinity;
      // A burst multiplies the rate over its length: (factor − 1) × length / gap more jobs.
      for (const b of r.bursts ?? []) n += (Math.max(0, b.factor - 1) * Math.min(b.duration, span)) / (gap || Infinity);
    }
    if (r.max_jobs !== undefined) n = Math.min(n, r.max_jobs);
    own.set(r.name, n);
    jobs += n;
  }
  for (const r of s.requesters) if (r.aggregate) jobs += (own.get(r.aggregate.of) ?? 0) / r.aggregate.every;
  let nodes = 0;
  for (const g of s.operators) {
    const ids = typeof g.params.identities === 'number' && g.strategy === 'sybil' ? g.params.identities : g.strategy === 'sybil' ? 10 : 1;
    nodes += g.entities * g.nodes * ids;
  }
  for (const m of s.mechanisms) {
    if (typeof m === 'object' && m.id === 'self-hosted' && typeof m.params.nodes === 'number') nodes = Math.max(nodes, m.params.nodes);
  }
  const windows = Math.ceil(s.duration / s.window);
  const mech = s.mechanisms.length;
  const events = mech * (jobs * EVENTS_PER_JOB + windows);
  return { jobs: Math.ceil(jobs), nodes, windows, events: Math.ceil(events), mechanisms: mech };
}

/** One line: `7,686 jobs x 6 mechanisms, 240 nodes, 28 windows, ~1.8M events`. */
export function formatEstimate(e: WorkEstimate): string {
  return `${big(e.jobs)} jobs x ${e.mechanisms} mechanism${e.mechanisms === 1 ? '' : 's'}, ${big(e.nodes)} nodes, ${big(e.windows)} windows, ~${big(e.events)} events`;
}

function big(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n >= 1e9) return `${(n / 1e9).toPrecision(3)}G`;
  if (n >= 1e6) return `${(n / 1e6).toPrecision(3)}M`;
  return grouped(Math.round(n));
}

/**
 * A whole number with commas every three digits, as `toLocaleString('en-US')` prints it; written out
 * because the first `toLocaleString` call loads ICU's number-format data: 4-6 ms CPU of `pmsim
 * validate`'s (issue 10: a fast CLI), measured after yargs has started ICU for its `Intl.Segmenter`.
 */
function grouped(n: number): string {
  const digits = String(Math.abs(n));
  let out = '';
  for (let i = digits.length; i > 0; i -= 3) out = digits.slice(Math.max(0, i - 3), i) + (out ? `,${out}` : '');
  return n < 0 ? `-${out}` : out;
}

/**
 * Estimates the work and refuses a scenario beyond the limits ({@link WorkLimitError}, naming the
 * estimate and the way out), unless `force`. `maxEvents` replaces the events limit.
 */
export function checkWork(s: Scenario, file: string, opts: { force?: boolean; maxEvents?: number } = {}): WorkEstimate {
  const e = estimateWork(s);
  if (opts.maxEvents !== undefined && !(Number.isFinite(opts.maxEvents) && opts.maxEvents > 0)) {
    throw new WorkLimitError(`--max-events expects a number of events > 0, got ${String(opts.maxEvents)}`);
  }
  if (opts.force) return e;
  const limits = { ...WORK_LIMITS, events: opts.maxEvents ?? WORK_LIMITS.events };
  const over: string[] = [];
  if (!(e.events <= limits.events)) over.push(`~${big(e.events)} events (limit ${big(limits.events)})`);
  if (!(e.jobs <= limits.jobs)) over.push(`${big(e.jobs)} jobs per mechanism (limit ${big(limits.jobs)})`);
  if (!(e.nodes <= limits.nodes)) over.push(`${big(e.nodes)} nodes (limit ${big(limits.nodes)})`);
  if (!(e.windows <= limits.windows)) over.push(`${big(e.windows)} windows (limit ${big(limits.windows)}: use a longer window)`);
  if (over.length > 0) {
    throw new WorkLimitError(
      `${file}: the scenario asks for too much work: ${over.join(', ')}. Estimate: ${formatEstimate(e)}. Shrink it, or pass --max-events N or --force to run anyway`,
    );
  }
  return e;
}
