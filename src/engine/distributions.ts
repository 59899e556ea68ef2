import type { Rng } from './rng.js';

/** A distribution as written in a scenario file (after parsing durations to seconds). */
export type DistSpec =
  | { readonly dist: 'constant'; readonly value: number }
  | { readonly dist: 'uniform'; readonly min: number; readonly max: number }
  | { readonly dist: 'exponential'; readonly mean: number }
  | { readonly dist: 'normal'; readonly mean: number; readonly sd: number }
  | { readonly dist: 'lognormal'; readonly median: number; readonly sigma: number }
  | { readonly dist: 'empirical'; readonly values: readonly number[]; readonly mode: 'sample' | 'replay' };

/** A sampler: a plain object tagged by `type`, whose randomness is passed in. */
export interface Sampler {
  readonly type: DistSpec['dist'];
  /** The distribution's mean (of the truncated distribution for `normal`, approximately). */
  readonly mean: number;
  sample(rng: Rng): number;
}

/** Builds a sampler from a spec. Samples are never negative. */
export function sampler(spec: DistSpec): Sampler {
  switch (spec.dist) {
    case 'constant':
      return { type: 'constant', mean: spec.value, sample: () => spec.value };
    case 'uniform': {
      const { min, max } = spec;
      return { type: 'uniform', mean: (min + max) / 2, sample: (r) => min + (max - min) * r.next() };
    }
    case 'exponential': {
      const m = spec.mean;
      return { type: 'exponential', mean: m, sample: (r) => -m * Math.log(1 - r.next()) };
    }
    case 'normal': {
      const { mean, sd } = spec;
      // Truncated at 0 by rejection: a negative job size or delay has no meaning.
      return {
        type: 'normal',
        mean,
        sample: (r) => {
          for (let i = 0; i < 64; i++) {
            const x = mean + sd * gaussian(r);
            if (x >= 0) return x;
          }
          return 0;
        },
      };
    }
    case 'lognormal': {
      const mu = Math.log(spec.median);
      const s = spec.sigma;
      return { type: 'lognormal', mean: Math.exp(mu + (s * s) / 2), sample: (r) => Math.exp(mu + s * gaussian(r)) };
    }
    case 'empirical': {
      const v = spec.values;
      if (v.length === 0) throw new Error('empirical distribution needs at least one value');
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      if (spec.mode === 'replay') {
        let i = 0;
        return { type: 'empirical', mean, sample: () => v[i++ % v.length]! };
      }
      return { type: 'empirical', mean, sample: (r) => v[Math.floor(r.next() * v.length)]! };
    }
  }
}

/** A standard normal draw (Box-Muller, two uniforms, no cached spare: deterministic per call). */
export function gaussian(r: Rng): number {
  const u = 1 - r.next();
  const v = r.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
