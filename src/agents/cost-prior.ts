import type { Job, Resources } from '../mechanisms/types.js';
import { fits } from '../mechanisms/types.js';
import type { CostPrior, MarketView } from './strategy.js';

/** A cost-factor distribution as the scenario writes it: a number, or `{dist: ...}` (inline values only). */
export type FactorSpec = number | { readonly dist: string; readonly [k: string]: unknown };

/** The CDF of a one-dimensional distribution with its support (upper end: the 0.999 quantile when unbounded). */
export interface Cdf {
  readonly lo: number;
  readonly hi: number;
  cdf(x: number): number;
}

/** Standard normal CDF (Abramowitz & Stegun 26.2.17, |error| < 7.5e-8). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const d = 0.3989422804014327 * Math.exp((-z * z) / 2);
  const p = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return z >= 0 ? 1 - p : p;
}

/** The CDF of a scenario distribution (numbers are constants). Normal is truncated at 0, as the sampler does. */
export function cdfOf(spec: FactorSpec): Cdf {
  if (typeof spec === 'number') return step([spec]);
  const d = spec as Record<string, number & unknown[]>;
  switch (spec.dist) {
    case 'constant':
      return step([d.value as unknown as number]);
    case 'uniform': {
      const lo = d.min as unknown as number;
      const hi = d.max as unknown as number;
      if (!(hi > lo)) return step([lo]);
      return { lo, hi, cdf: (x) => (x < lo ? 0 : x >= hi ? 1 : (x - lo) / (hi - lo)) };
    }
    case 'exponential': {
      const m = d.mean as unknown as number;
      return { lo: 0, hi: m * Math.log(1000), cdf: (x) => (x <= 0 ? 0 : 1 - Math.exp(-x / m)) };
    }
    case 'normal': {
      const mu = d.mean as unknown as number;
      const sd = d.sd as unknown as number;
      if (!(sd > 0)) return step([mu]);
      const below = normalCdf(-mu / sd);
      return {
        lo: Math.max(0, mu - 3.1 * sd),
        hi: mu + 3.1 * sd,
        cdf: (x) => (x < 0 ? 0 : (normalCdf((x - mu) / sd) - below) / (1 - below)),
      };
    }
    case 'lognormal': {
      const med = d.median as unknown as number;
      const s = d.sigma as unknown as number;
      if (!(s > 0)) return step([med]);
      return { lo: med * Math.exp(-3.1 * s), hi: med * Math.exp(3.1 * s), cdf: (x) => (x <= 0 ? 0 : normalCdf(Math.log(x / med) / s)) };
    }
    case 'empirical':
      return step((spec.values as number[] | undefined) ?? [1]);
    default:
      throw new Error(`cost factor: unknown distribution ${String(spec.dist)}`);
  }
}

/** The empirical (step) CDF of a list of values. */
function step(values: readonly number[]): Cdf {
  const v = [...values].sort((a, b) => a - b);
  const n = v.length;
  return {
    lo: v[0]!,
    hi: v[n - 1]!,
    cdf(x: number): number {
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (v[mid]! <= x) lo = mid + 1;
        else hi = mid;
      }
      return lo / n;
    },
  };
}

/**
 * The prior of a random node's cost when node j's cost is base_j × X_j, X_j ~ G_j: the mixture
 * F(t) = (1/N) Σ_j G_j(t / base_j). A base of 0 is a cost of 0.
 */
export function mixturePrior(bases: readonly number[], factors: readonly Cdf[]): CostPrior | null {
  const n = bases.length;
  if (n === 0) return null;
  // Nodes of one group share their base and factor distribution: one mixture component each, weighted.
  const b: number[] = [];
  const f: Cdf[] = [];
  const w: number[] = [];
  const index = new Map<Cdf, Map<number, number>>();
  for (let j = 0; j < n; j++) {
    let byBase = index.get(factors[j]!);
    if (!byBase) index.set(factors[j]!, (byBase = new Map()));
    // base = cost / factor is computed per node: equal up to rounding within a group, so compare at 12 digits.
    const key = Number(bases[j]!.toPrecision(12));
    const k = byBase.get(key);
    if (k !== undefined) w[k]!++;
    else {
      byBase.set(key, b.length);
      b.push(bases[j]!);
      f.push(factors[j]!);
      w.push(1);
    }
  }
  let lo = Infinity;
  let hi = 0;
  for (let j = 0; j < b.length; j++) {
    lo = Math.min(lo, b[j]! * f[j]!.lo);
    hi = Math.max(hi, b[j]! * f[j]!.hi);
  }
  return {
    lo,
    hi,
    count: n,
    cdf(t: number): number {
      if (t < lo) return 0;
      if (t >= hi) return 1;
      let s = 0;
      for (let j = 0; j < b.length; j++) s += w[j]! * (b[j]! > 0 ? f[j]!.cdf(t / b[j]!) : 1);
      return s / n;
    },
  };
}

/** What the market view needs of a node's hardware model (a `NodeModel` fits). */
export interface ViewModel {
  readonly hourlyCostUsd: number;
  readonly profile: { readonly setupSeconds: number };
  duration(mcycles: number, kind: string): number;
}

/** One node as the market view sees it. */
export interface ViewNode {
  readonly model: ViewModel;
  readonly capacity: Resources;
  /** The node's drawn cost factor (its marginal cost is base × factor). */
  readonly factor: number;
  /** The distribution its group's factors are drawn from (public). */
  readonly factorCdf: Cdf;
  isActive(): boolean;
}

/**
 * Builds the public market view over a network's nodes. Priors are recomputed once per job (all
 * bidders of a job share them) and once per `mcyclePrior` call time.
 */
export function marketView(nodeList: readonly ViewNode[] | (() => readonly ViewNode[])): MarketView {
  // The nodes may come as a builder, called at the first question (few strategies read the market view).
  let built: readonly ViewNode[] | undefined = typeof nodeList === 'function' ? undefined : nodeList;
  const all = (): readonly ViewNode[] => (built ??= (nodeList as () => readonly ViewNode[])());
  let lastJob = -1;
  let lastPrior: CostPrior | null = null;
  let lastDur = new Float64Array(0);
  let lastDurJob = -1;
  let mcycleCount = -1;
  let mcycle: CostPrior | null = null;
  const eligible = (job: Job): ViewNode[] => all().filter((n) => n.isActive() && fits(n.capacity, job.request));
  const base = (n: ViewNode, mcycles: number, kind: string): number =>
    (n.model.duration(mcycles, kind) * n.model.hourlyCostUsd) / 3600 / (n.factor > 0 ? n.factor : 1);
  return {
    costPrior(job: Job): CostPrior | null {
      if (job.id === lastJob) return lastPrior;
      const el = eligible(job);
      lastJob = job.id;
      lastPrior = mixturePrior(
        el.map((n) => base(n, job.mcycles, job.kind)),
        el.map((n) => n.factorCdf),
      );
      return lastPrior;
    },
    mcyclePrior(): CostPrior | null {
      const el = all().filter((n) => n.isActive());
      // The prior changes only when nodes join or leave (energy schedules aside): keep it while the active set is the same size.
      if (el.length === mcycleCount) return mcycle;
      mcycleCount = el.length;
      const per = (n: ViewNode): number =>
        base(n, 1000, 'zkvm') / 1000 - (n.model.profile.setupSeconds * n.model.hourlyCostUsd) / 3600 / 1000 / (n.factor > 0 ? n.factor : 1);
      mcycle = mixturePrior(
        el.map(per),
        el.map((n) => n.factorCdf),
      );
      return mcycle;
    },
    durations(job: Job): Float64Array {
      if (job.id === lastDurJob) return lastDur;
      const el = eligible(job);
      lastDurJob = job.id;
      lastDur = Float64Array.from(el, (n) => n.model.duration(job.mcycles, job.kind));
      // Sorted, so equal durations (the nodes of one group) are adjacent: win probabilities count them once, weighted.
      lastDur.sort();
      return lastDur;
    },
  };
}
