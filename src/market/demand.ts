import { gangSpeedup } from '../hardware-models/gang-efficiency.js';
import { sampler, type DistSpec, type Sampler } from '../engine/distributions.js';
import { rngStream, type Rng } from '../engine/rng.js';
import type { Simulation } from '../engine/simulation.js';
import type { Job, Resources } from '../mechanisms/types.js';
import { toMicros } from '../mechanisms/types.js';
import type { RequesterGroup, Scenario } from '../scenario/schema.js';
import { requesterBid } from '../agents/requester-bidding.js';

type DistInput = number | { dist: string; [k: string]: unknown };

/** Turns a scenario number-or-distribution into a sampler (a bare number is a constant). */
export function toSampler(d: DistInput): Sampler {
  if (typeof d === 'number') return sampler({ dist: 'constant', value: d });
  if (d.dist === 'empirical') {
    const mode = (d.mode as string | undefined) ?? 'sample';
    if (mode === 'timestamps') return sampler({ dist: 'empirical', values: timestampGaps(d.values as number[]), mode: 'replay' });
    return sampler({ dist: 'empirical', values: d.values as number[], mode: mode as 'sample' | 'replay' });
  }
  return sampler(d as unknown as DistSpec);
}

/** Gaps between sorted absolute timestamps (one `Infinity` when there is a single timestamp). */
function timestampGaps(values: readonly number[]): number[] {
  const t = [...values].sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < t.length; i++) gaps.push(t[i]! - t[i - 1]!);
  return gaps.length > 0 ? gaps : [Infinity];
}

/** A time-varying multiplier of a requester's arrival rate (daily cycle × bursts). */
export interface RateShape {
  /** Multiplier at time `t` (≥ 0). */
  at(t: number): number;
  /** An upper bound of `at` over all times (> 0 unless the rate is always 0). */
  readonly max: number;
}

/** The rate shape of a requester group, or undefined when its rate is constant. */
export function rateShape(spec: Pick<RequesterGroup, 'cycle' | 'bursts'>): RateShape | undefined {
  const c = spec.cycle;
  const bursts = spec.bursts ?? [];
  if ((!c || c.amplitude === 0) && bursts.length === 0) return undefined;
  const burstAt = (t: number): number => {
    let f = 1;
    for (const b of bursts) if (t >= b.at && t < b.at + b.duration) f *= b.factor;
    return f;
  };
  let burstMax = 1;
  for (const b of bursts) burstMax = Math.max(burstMax, burstAt(b.at));
  const amp = c?.amplitude ?? 0;
  const w = c ? (2 * Math.PI) / c.period : 0;
  const peak = c?.peak ?? 0;
  return {
    at: (t) => (amp > 0 ? 1 + amp * Math.cos(w * (t - peak)) : 1) * burstAt(t),
    max: (1 + amp) * burstMax,
  };
}

/** Most candidate arrivals thinning examines for one gap before giving up (a rate stuck at 0). */
const MAX_THINNING = 1_000_000;

/**
 * One requester's job stream. Every draw comes from the requester's own named stream, so the
 * demand trace is identical under every mechanism (common random numbers). A daily cycle and
 * bursts thin a stream of candidates drawn at the peak rate (exact for Poisson arrivals). An
 * aggregator (`aggregate`) has no arrivals of its own: the shell submits one of its jobs per
 * `every` proofs delivered to the requester it aggregates ({@link Requester.proofDelivered}).
 */
export class Requester {
  readonly rng: Rng;
  /** The group as the shell sees it (`start` moved to the first timestamp of a timestamp trace). */
  readonly spec: RequesterGroup;
  /** Indices of the aggregators that aggregate this requester's proofs. */
  readonly aggregators: number[] = [];
  private readonly arrival: Sampler | undefined;
  private readonly size: Sampler;
  private readonly deadline: Sampler;
  private readonly shape: RateShape | undefined;
  /** Most jobs the trace holds (timestamp replay). */
  private readonly limit: number;
  private lastT = 0;
  private delivered = 0;
  emitted = 0;
  /** Private values (`value_usd_per_mcycle`) and bids come from their own stream: the main trace is unchanged. */
  private readonly value: Sampler | undefined;
  private readonly valueRng: Rng;
  /** The value of the last job made, USD (what a proof by its deadline is worth to the requester). */
  lastValueUsd = 0;

  constructor(
    readonly index: number,
    spec: RequesterGroup,
    seed: number,
    run: number,
  ) {
    this.rng = rngStream(seed, run, `requester/${index}/${spec.name}`);
    const arr = spec.arrival as DistInput | undefined;
    let start = spec.start;
    let limit = Infinity;
    if (typeof arr === 'object' && arr.dist === 'empirical' && arr.mode === 'timestamps') {
      const v = arr.values as number[];
      start += Math.min(...v);
      limit = v.length;
    }
    this.spec = start === spec.start ? spec : { ...spec, start };
    this.limit = limit;
    this.arrival = arr === undefined ? undefined : toSampler(arr);
    this.size = toSampler(spec.size_mcycles as DistInput);
    this.deadline = toSampler(spec.deadline as DistInput);
    this.shape = rateShape(spec);
    this.value = spec.value_usd_per_mcycle === undefined ? undefined : toSampler(spec.value_usd_per_mcycle as DistInput);
    this.valueRng = rngStream(seed, run, `requester-value/${index}/${spec.name}`);
  }

  /** An aggregator submits only when proofs it aggregates are delivered. */
  get isAggregator(): boolean {
    return this.spec.aggregate !== undefined;
  }

  /** Time until the next job after the last one, seconds (Infinity: no more jobs). */
  nextGap(): number {
    const a = this.arrival;
    if (!a) return Infinity;
    const shape = this.shape;
    if (!shape) return a.sample(this.rng);
    if (!(shape.max > 0)) return Infinity;
    // Thinning: candidates at the peak rate, each kept with probability rate(t) / peak.
    let t = this.lastT;
    for (let i = 0; i < MAX_THINNING; i++) {
      t += a.sample(this.rng) / shape.max;
      if (!Number.isFinite(t)) return Infinity;
      if (this.rng.next() * shape.max < shape.at(t)) return t - this.lastT;
    }
    return Infinity;
  }

  /**
   * Draws the gap to this requester's next job and schedules it as `kind` (payload `r`) if the
   * requester is still active then. One call for the three steps: the gap, a double, stays in a
   * register instead of being boxed at each of the calls that passed it on (one number per job).
   */
  scheduleNext(sim: Simulation, kind: number, r: number, duration: number): void {
    const gap = this.nextGap();
    if (this.activeAt(sim.now + gap, duration)) sim.schedule(gap, kind, r, 0);
  }

  /** Does the requester schedule its own next job at time `t`? (Aggregators never do.) */
  activeAt(t: number, duration: number): boolean {
    if (this.isAggregator) return false;
    if (this.spec.max_jobs !== undefined && this.emitted >= this.spec.max_jobs) return false;
    if (this.emitted >= this.limit) return false;
    return t < (this.spec.stop ?? duration);
  }

  /**
   * An aggregator learns that a proof it aggregates was delivered at `now`; true when that
   * completes a batch of `every` and the aggregator should submit a job now.
   */
  proofDelivered(now: number, duration: number): boolean {
    const agg = this.spec.aggregate;
    if (!agg) return false;
    if (++this.delivered < agg.every) return false;
    this.delivered = 0;
    if (now < this.spec.start || now >= (this.spec.stop ?? duration)) return false;
    return this.spec.max_jobs === undefined || this.emitted < this.spec.max_jobs;
  }

  /** The resources every job of this requester needs (shared: jobs are read-only). */
  private get request(): Resources {
    const r = this.spec.resources;
    return (this.req ??= { cpus: r.cpus, gpus: r.gpus, memoryGb: r.memory_gb });
  }

  private req: Resources | undefined;

  /**
   * Draws the next job submitted now (`clock.now`) with id `id`. `into`: a closed job's object that nothing
   * reads any more, overwritten instead of a new object when both are single-node jobs (same shape).
   * The time is read from the clock, not passed: a double passed to this call (too large to inline) is boxed.
   */
  makeJob(id: number, clock: { readonly now: number }, into?: Job): Job {
    const now = clock.now;
    this.emitted++;
    this.lastT = now;
    const s = this.spec;
    const mcycles = Math.max(1e-3, this.size.sample(this.rng));
    const rel = Math.max(1, this.deadline.sample(this.rng));
    const capUsd =
      s.max_price_usd !== undefined || s.max_price_usd_per_mcycle !== undefined
        ? (s.max_price_usd ?? 0) + (s.max_price_usd_per_mcycle ?? 0) * mcycles
        : Infinity;
    let maxUsd = capUsd;
    if (this.value) {
      // The value is private; the limit is the bid the requester's rule makes on it (never above an explicit limit).
      const v = this.value.sample(this.valueRng) * mcycles;
      this.lastValueUsd = v;
      const ceiling = Number.isFinite(capUsd) ? capUsd : 2 * v;
      maxUsd = Math.min(capUsd, requesterBid(s.bidding, v, this.valueRng.next(), 0, ceiling, 2));
    } else this.lastValueUsd = capUsd;
    const gang = s.gang !== undefined && s.gang > 1 ? s.gang : 0;
    const estSeconds =
      gang > 0
        ? // A gang declares its time on all its GPUs (gang × gpus) at the reference speed, on the gang curve.
          (mcycles * 1e6) / (s.reference_khz * 1000 * gangSpeedup(gang * Math.max(1, s.resources.gpus)))
        : (mcycles * 1e6) / (s.reference_khz * 1000 * Math.max(1, s.resources.gpus));
    const request = this.request;
    const maxPrice = toMicros(maxUsd);
    // Only gang jobs carry the field, so single-node jobs (and their outputs) are unchanged. Two
    // literals, not a spread: a spread copies through a runtime call and allocates a temporary per job.
    if (gang > 0) {
      return {
        id,
        requester: this.index,
        kind: s.kind,
        mcycles,
        request,
        submittedAt: now,
        deadline: now + rel,
        maxPrice,
        redundancy: s.redundancy,
        estSeconds,
        gang,
      };
    }
    if (into !== undefined && into.gang === undefined) {
      // Written in place: the double fields keep their boxes, so no number is allocated either.
      const j = into as { -readonly [K in keyof Job]: Job[K] };
      j.id = id;
      j.requester = this.index;
      j.kind = s.kind;
      j.mcycles = mcycles;
      j.request = request;
      j.submittedAt = now;
      j.deadline = now + rel;
      j.maxPrice = maxPrice;
      j.redundancy = s.redundancy;
      j.estSeconds = estSeconds;
      return j;
    }
    return {
      id,
      requester: this.index,
      kind: s.kind,
      mcycles,
      request,
      submittedAt: now,
      deadline: now + rel,
      maxPrice,
      redundancy: s.redundancy,
      estSeconds,
    };
  }
}

/** Builds the requesters of a scenario for one (seed, run), and links aggregators to their sources. */
export function buildDemand(s: Scenario, seed: number, run: number): Requester[] {
  const reqs = s.requesters.map((r, i) => new Requester(i, r, seed, run));
  reqs.forEach((r, i) => {
    const of = r.spec.aggregate?.of;
    if (of === undefined) return;
    const src = reqs.find((x) => x.spec.name === of);
    if (src && src !== r) src.aggregators.push(i);
  });
  return reqs;
}
