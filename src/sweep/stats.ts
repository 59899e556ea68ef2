import { gammaln, mean, sampleStandardDeviation } from 'simple-statistics';

/** Mean, sample standard deviation and t-based 95% confidence interval of the mean. */
export interface Summary {
  readonly n: number;
  /** NaN when n = 0. */
  readonly mean: number;
  /** Sample standard deviation (n − 1); NaN when n < 2. */
  readonly sd: number;
  /** mean ∓ t(0.975, n − 1) · sd / √n; NaN when n < 2. */
  readonly lo: number;
  readonly hi: number;
}

/** Summarises finite values (the caller drops NaN / not-applicable values). */
export function summarize(xs: readonly number[]): Summary {
  const n = xs.length;
  if (n === 0) return { n, mean: NaN, sd: NaN, lo: NaN, hi: NaN };
  const m = mean(xs as number[]);
  if (n < 2) return { n, mean: m, sd: NaN, lo: NaN, hi: NaN };
  const sd = sampleStandardDeviation(xs as number[]);
  const half = tQuantile975(n - 1) * (sd / Math.sqrt(n));
  return { n, mean: m, sd, lo: m - half, hi: m + half };
}

const tCache = new Map<number, number>();

/** The 0.975 quantile of Student's t distribution with `df` degrees of freedom. */
export function tQuantile975(df: number): number {
  let q = tCache.get(df);
  if (q === undefined) {
    q = tQuantile(0.975, df);
    tCache.set(df, q);
  }
  return q;
}

/** Quantile of Student's t (p > 0.5) by bisection on the CDF: deterministic, ~1e-12 accurate. */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0.5 && p < 1) || !(df > 0)) return NaN;
  let lo = 0;
  let hi = 1;
  while (tCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** CDF of Student's t at t ≥ 0. */
export function tCdf(t: number, df: number): number {
  const x = df / (df + t * t);
  return 1 - 0.5 * incompleteBeta(x, df / 2, 0.5);
}

/** Regularized incomplete beta I_x(a, b) (continued fraction, Numerical Recipes `betai`). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(gammaln(a + b) - gammaln(a) - gammaln(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaCf(x, a, b)) / a;
  return 1 - (front * betaCf(1 - x, b, a)) / b;
}

function betaCf(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}
