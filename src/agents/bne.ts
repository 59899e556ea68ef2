import type { CostPrior } from './strategy.js';

/** Grid points of a bid table (each cell integrated by Gauss–Legendre). */
const GRID = 128;
/** 5-point Gauss–Legendre nodes and weights on [−1, 1]. */
const GL_X = [0, -0.5384693101056831, 0.5384693101056831, -0.906179845938664, 0.906179845938664];
const GL_W = [0.5688888888888889, 0.4786286704993665, 0.4786286704993665, 0.2369268850561891, 0.2369268850561891];

/**
 * The symmetric Bayes–Nash equilibrium bid of a first-price procurement (reverse) auction, as a
 * table over the prior's support. With n bidders whose costs are i.i.d. with CDF F on [c̲, c̄],
 *
 *   b(c) = c + ∫_c^c̄ (1 − F(t))^(n−1) dt / (1 − F(c))^(n−1)
 *
 * (Krishna, *Auction Theory*, 2nd ed., §2.3, Proposition 2.2, written for costs: a seller with cost
 * c bids the expected lowest rival cost given that it exceeds c). With a reserve r (the requester's
 * limit) the integral stops at r (Krishna §2.5). The same bid is the equilibrium lock price of a
 * reverse Dutch auction, which is strategically equivalent to the first-price sealed bid (§2.2).
 */
export interface BidTable {
  /** The equilibrium bid at cost `c` under reserve `reserve` (Infinity: none); null when c ≥ reserve. */
  bid(c: number, reserve?: number): number | null;
}

/** Builds the bid table of a prior for n bidders (n ≥ 1; n = 1 bids the reserve, or c̄). */
export function bidTable(prior: CostPrior, n: number): BidTable {
  const { lo, hi } = prior;
  const k = Math.max(0, Math.round(n) - 1);
  const width = hi - lo;
  const h = width / (GRID - 1);
  const surv = (t: number): number => (1 - prior.cdf(t)) ** k;
  /** ∫_a^b S(t) dt by 5-point Gauss–Legendre (exact for polynomials of degree 9: uniform F and n ≤ 10). */
  const gauss = (a: number, b: number): number => {
    if (!(b > a)) return 0;
    const mid = (a + b) / 2;
    const half = (b - a) / 2;
    let sum = 0;
    for (let i = 0; i < 5; i++) sum += GL_W[i]! * surv(mid + half * GL_X[i]!);
    return sum * half;
  };
  // tail[i] = ∫_{t_i}^{hi} S(t) dt, cell by cell from the top.
  const tail = new Float64Array(GRID);
  for (let i = GRID - 2; i >= 0; i--) tail[i] = tail[i + 1]! + gauss(lo + i * h, lo + (i + 1) * h);
  /** ∫_x^hi S(t) dt: the grid's tail from the next grid point, plus the partial cell. */
  const integral = (x: number): number => {
    if (x >= hi || width <= 0) return 0;
    if (x <= lo) return tail[0]! + (lo - x); // S = 1 below the support
    const i = Math.min(GRID - 2, Math.floor((x - lo) / h));
    const next = lo + (i + 1) * h;
    return tail[i + 1]! + gauss(x, next);
  };
  return {
    bid(c: number, reserve = Infinity): number | null {
      if (c >= reserve) return null;
      const top = Math.min(hi, reserve);
      if (k === 0) return Number.isFinite(reserve) ? reserve : Math.max(c, hi);
      const sc = surv(c);
      if (sc <= 1e-300 || c >= top) return c;
      const num = integral(c) - (reserve < hi ? integral(reserve) : 0);
      return c + Math.max(0, num) / sc;
    },
  };
}

/** Bid tables by prior and n, shared by every bidder of a job (pure memo: the table is a function of its inputs). */
const cache = new WeakMap<CostPrior, Map<number, BidTable>>();

/** The (memoised) bid table of a prior for n bidders. */
export function bidTableFor(prior: CostPrior, n: number): BidTable {
  let m = cache.get(prior);
  if (!m) cache.set(prior, (m = new Map()));
  let t = m.get(n);
  if (!t) m.set(n, (t = bidTable(prior, n)));
  return t;
}

/**
 * Probability that a node of expected duration d0 finishes before a rival of expected duration d1
 * when each attempt's time is d × J, J ~ U(0.9, 1.1) i.i.d. (the shell's jitter): P(J0 d0 < J1 d1),
 * by a 32-point midpoint rule over J1.
 */
export function beatProbability(d0: number, d1: number): number {
  if (!(d0 > 0)) return 1;
  const rho = d1 / d0;
  let p = 0;
  for (let i = 0; i < 32; i++) {
    const j1 = 0.9 + (0.2 * (i + 0.5)) / 32;
    const x = (rho * j1 - 0.9) / 0.2;
    p += x <= 0 ? 0 : Math.min(x, 1);
  }
  return p / 32;
}

/** Grid of the racer's own jitter for {@link raceWinProbability} (midpoints of 32 cells of U(0.9, 1.1)). */
const JITTER = Array.from({ length: 32 }, (_, i) => 0.9 + (0.2 * (i + 0.5)) / 32);

/**
 * Win probability of a racer of expected duration `own` against `k − 1` rivals drawn at random from
 * the eligible nodes' durations `all` (which include the racer itself once), each attempt taking
 * d × J, J ~ U(0.9, 1.1) i.i.d. (the shell's jitter). Conditioning on the racer's own jitter j,
 * rivals beat it independently, so P(win) = E_j[q(j)^(k−1)] with q(j) the probability that one
 * random rival is slower than own × j. Among equally fast nodes this is 1/k exactly; a slow node
 * against fast rivals gets 0.
 */
export function raceWinProbability(own: number, all: Float64Array, k: number): number {
  if (k <= 1) return 1;
  const n = all.length;
  if (n <= 1 || !(own > 0)) return 1 / k;
  // The free-entry search asks every candidate for several k on one job: remember the answers for
  // the current `all` (a pure memo; nodes of one group share their duration).
  if (all !== memoAll) {
    memoAll = all;
    memo.clear();
  }
  const key = `${own}|${k}`;
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const p = winProbability(own, all, k);
  memo.set(key, p);
  return p;
}

let memoAll: Float64Array | undefined;
const memo = new Map<string, number>();

function winProbability(own: number, all: Float64Array, k: number): number {
  const n = all.length;
  // Runs of equal durations (sorted input: the nodes of one group) are evaluated once, weighted by their length.
  const vals: number[] = [];
  const counts: number[] = [];
  for (let r = 0; r < n; r++) {
    if (r > 0 && all[r] === all[r - 1]) counts[counts.length - 1]!++;
    else {
      vals.push(all[r]!);
      counts.push(1);
    }
  }
  let p = 0;
  for (const j of JITTER) {
    const t = own * j;
    let sum = 0;
    for (let r = 0; r < vals.length; r++) {
      const x = (1.1 - t / vals[r]!) / 0.2; // P(rival's jitter > t / d_r)
      sum += counts[r]! * (x <= 0 ? 0 : Math.min(x, 1));
    }
    // Remove the racer itself from the rivals.
    const self = Math.min(1, Math.max(0, (1.1 - j) / 0.2));
    const q = Math.min(1, Math.max(0, (sum - self) / (n - 1)));
    p += q ** (k - 1);
  }
  return p / JITTER.length;
}
