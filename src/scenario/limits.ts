import type { ScenarioIssue } from './errors.js';
import type { Scenario } from './schema.js';

/** Largest job size a distribution may draw (at its one-in-a-billion quantile), Mcycles. */
export const MAX_SIZE_MCYCLES = 1e9;
/** Longest time a distribution may draw (gaps, deadlines) at its one-in-a-billion quantile, seconds. */
export const MAX_DRAW_SECONDS = 1e10;
/**
 * Highest price limit of one job, USD. In integer µUSD, times a collateral multiple ≤ 100, this
 * stays below 2^53, so every amount the ledger moves is an exact integer.
 */
export const MAX_JOB_PRICE_USD = 1e7;

/** z of the one-in-a-billion upper quantile of a standard normal. */
const Z = 6;

type Dist = {
  dist: string;
  value?: number;
  min?: number;
  max?: number;
  mean?: number;
  sd?: number;
  median?: number;
  sigma?: number;
  values?: number[];
};

/** The value a distribution exceeds with probability about 1e-9 (Infinity when it overflows). */
export function upperQuantile(d: number | Dist): number {
  if (typeof d === 'number') return d;
  switch (d.dist) {
    case 'constant':
      return d.value!;
    case 'uniform':
      return Math.max(d.min!, d.max!);
    case 'exponential':
      return d.mean! * Math.log(1e9);
    case 'normal':
      return d.mean! + Z * d.sd!;
    case 'lognormal':
      return d.median! * Math.exp(Z * d.sigma!);
    case 'empirical': {
      let m = 0;
      for (const v of d.values ?? []) if (v > m) m = v;
      return m;
    }
    default:
      return NaN;
  }
}

/**
 * Refuses distributions whose draws would overflow what a run can hold: sizes and times beyond the
 * limits above (a lognormal with sigma 1e9 draws Infinity), and price limits that would not be
 * exact integers of µUSD. Call after trace files are loaded.
 */
export function checkDrawLimits(s: Scenario, issues: ScenarioIssue[]): void {
  s.requesters.forEach((r, i) => {
    const at = (k: string) => `requesters[${i}].${k}`;
    for (const k of ['arrival', 'size_mcycles', 'deadline'] as const) {
      const d = r[k] as number | Dist | undefined;
      if (typeof d === 'object' && d.dist === 'empirical' && (d.values?.length ?? 0) === 0)
        issues.push({ path: at(`${k}.values`), message: 'expected at least one value, got none' });
    }
    const size = upperQuantile(r.size_mcycles as number | Dist);
    if (!(size <= MAX_SIZE_MCYCLES)) {
      issues.push({
        path: at('size_mcycles'),
        message: `expected sizes up to ${MAX_SIZE_MCYCLES} Mcycles, got a distribution whose one-in-a-billion draw is ${fmt(size)}`,
      });
    }
    for (const k of ['arrival', 'deadline'] as const) {
      const d = r[k] as number | Dist | undefined;
      if (d === undefined) continue;
      const q = upperQuantile(d);
      if (!(q <= MAX_DRAW_SECONDS))
        issues.push({
          path: at(k),
          message: `expected times up to ${MAX_DRAW_SECONDS} s, got a distribution whose one-in-a-billion draw is ${fmt(q)} s`,
        });
    }
    const price = (r.max_price_usd ?? 0) + (r.max_price_usd_per_mcycle ?? 0) * Math.min(size, MAX_SIZE_MCYCLES);
    if (!(price <= MAX_JOB_PRICE_USD)) {
      const key =
        r.max_price_usd !== undefined && r.max_price_usd > MAX_JOB_PRICE_USD
          ? 'max_price_usd'
          : r.max_price_usd_per_mcycle !== undefined
            ? 'max_price_usd_per_mcycle'
            : 'max_price_usd';
      issues.push({
        path: at(key),
        message: `expected a price limit up to $${MAX_JOB_PRICE_USD} per job, got one that reaches $${fmt(price)}`,
      });
    }
  });
}

function fmt(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}
