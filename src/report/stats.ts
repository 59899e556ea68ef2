/** Small statistics for replicates: mean, sample sd and t-based 95% confidence intervals. */

/** Two-sided 95% Student t critical values t(0.975, df) for df = 1..30. */
const T975 = [
  12.706204736, 4.30265273, 3.182446305, 2.776445105, 2.570581836, 2.446911851, 2.364624252, 2.306004135, 2.262157163, 2.228138852,
  2.20098516, 2.17881283, 2.160368656, 2.144786688, 2.131449546, 2.119905299, 2.109815578, 2.10092204, 2.093024054, 2.085963447,
  2.079613845, 2.073873068, 2.06865761, 2.063898562, 2.059538553, 2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456,
];

/**
 * The 0.975 quantile of Student's t with `df` degrees of freedom (table up to 30, Cornish-Fisher
 * expansion beyond, accurate to better than 1e-4).
 */
export function tQuantile975(df: number): number {
  if (!(df >= 1)) return Number.NaN;
  const d = Math.floor(df);
  if (d <= 30) return T975[d - 1];
  const z = 1.959963984540054;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return z + (z3 + z) / (4 * d) + (5 * z5 + 16 * z3 + 3 * z) / (96 * d * d) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * d * d * d);
}

/** Mean, spread and 95% CI of replicate values. `lo`/`hi` equal the mean when n < 2. */
export interface Estimate {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1), 0 when n < 2. */
  readonly sd: number;
  readonly lo: number;
  readonly hi: number;
}

/** Estimates the mean of replicate values with a t-based 95% CI; `null` when there are none. */
export function estimate(xs: readonly number[]): Estimate | null {
  const n = xs.length;
  if (n === 0) return null;
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / n;
  if (n < 2) return { n, mean, sd: 0, lo: mean, hi: mean };
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  const half = (tQuantile975(n - 1) * sd) / Math.sqrt(n);
  return { n, mean, sd, lo: mean - half, hi: mean + half };
}

/** Arithmetic mean, or `null` for no values. */
export function mean(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}
