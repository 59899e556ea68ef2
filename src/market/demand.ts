import { sampler, type DistSpec, type Sampler } from '../engine/distributions.js';
import { rngStream, type Rng } from '../engine/rng.js';
import type { Job } from '../mechanisms/types.js';
import { toMicros } from '../mechanisms/types.js';
import type { RequesterGroup, Scenario } from '../scenario/schema.js';

type DistInput = number | { dist: string; [k: string]: unknown };

/** Turns a scenario number-or-distribution into a sampler (a bare number is a constant). */
export function toSampler(d: DistInput): Sampler {
  if (typeof d === 'number') return sampler({ dist: 'constant', value: d });
  if (d.dist === 'empirical') return sampler({ dist: 'empirical', values: d.values as number[], mode: (d.mode as 'sample' | 'replay') ?? 'sample' });
  return sampler(d as unknown as DistSpec);
}

/**
 * One requester's job stream. Every draw comes from the requester's own named stream, so the
 * demand trace is identical under every mechanism (common random numbers).
 */
export class Requester {
  readonly rng: Rng;
  private readonly arrival: Sampler;
  private readonly size: Sampler;
  private readonly deadline: Sampler;
  emitted = 0;

  constructor(
    readonly index: number,
    readonly spec: RequesterGroup,
    seed: number,
    run: number,
  ) {
    this.rng = rngStream(seed, run, `requester/${index}/${spec.name}`);
    this.arrival = toSampler(spec.arrival as DistInput);
    this.size = toSampler(spec.size_mcycles as DistInput);
    this.deadline = toSampler(spec.deadline as DistInput);
  }

  /** Time until the next job, seconds. */
  nextGap(): number {
    return this.arrival.sample(this.rng);
  }

  /** Is the requester still submitting at time `t`? */
  activeAt(t: number, duration: number): boolean {
    if (this.spec.max_jobs !== undefined && this.emitted >= this.spec.max_jobs) return false;
    return t < (this.spec.stop ?? duration);
  }

  /** Draws the next job submitted at `now` with id `id`. */
  makeJob(id: number, now: number): Job {
    this.emitted++;
    const s = this.spec;
    const mcycles = Math.max(1e-3, this.size.sample(this.rng));
    const rel = Math.max(1, this.deadline.sample(this.rng));
    const maxUsd = (s.max_price_usd ?? 0) + (s.max_price_usd_per_mcycle ?? 0) * mcycles;
    return {
      id,
      requester: this.index,
      kind: s.kind,
      mcycles,
      request: { cpus: s.resources.cpus, gpus: s.resources.gpus, memoryGb: s.resources.memory_gb },
      submittedAt: now,
      deadline: now + rel,
      maxPrice: toMicros(maxUsd),
      redundancy: s.redundancy,
      estSeconds: (mcycles * 1e6) / (s.reference_khz * 1000 * Math.max(1, s.resources.gpus)),
    };
  }
}

/** Builds the requesters of a scenario for one (seed, run). */
export function buildDemand(s: Scenario, seed: number, run: number): Requester[] {
  return s.requesters.map((r, i) => new Requester(i, r, seed, run));
}
