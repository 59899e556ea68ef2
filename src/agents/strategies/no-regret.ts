import { raceWinProbability } from '../bne.js';
import type { StrategyParams } from '../params.js';
import type { EntityView, OperatorStrategy, Quote } from '../strategy.js';
import { canFinish, collateralRiskUsd, limitUsd, opportunityCostUsd } from './common.js';

/** Jobs a learner remembers its arm for at most. */
const PENDING_MAX = 256;

/** One EXP3 learner: log-weights over the markup grid, one row per context. */
interface Learner {
  readonly logW: Float64Array[];
  /** Arms and contexts of the jobs it offered for and has not heard about yet. */
  readonly pending: Map<number, { arm: number; ctx: number; prob: number; scale: number }>;
  /** The last standing ask's arm (asks carry no job: the next ask without a trade scores it 0). */
  lastAsk: { arm: number; ctx: number; prob: number; scale: number } | null;
}

/**
 * `no-regret`: EXP3 (Auer, Cesa-Bianchi, Freund & Schapire 2002, "The nonstochastic multiarmed
 * bandit problem", SIAM J. Computing 32(1), Fig. 1) over a grid of `arms` markups
 * m_i = `max_markup` × i / (arms − 1). It prices at cost × (1 + m_i) (plus, with `scarcity`, the
 * opportunity cost of queued work) and learns only from its own payoff on each job it offered for:
 * reward x = clamp(profit / (cost × max_markup), 0, 1), importance-weighted x / p_i, and
 * w_i ← w_i × exp(γ x̂ / K). Choice probabilities are (1 − γ) w_i / Σ w + γ / K (γ = `gamma`).
 *
 * Costs differ between jobs and nodes, and the best markup depends on where the own cost sits in
 * the market: the learner keeps one EXP3 per `contexts` bucket of F(c), its cost's quantile in the
 * public prior (one bucket without a market view), as the contextual learners of Feng et al.
 * (2021, "Convergence analysis of no-regret bidding algorithms in repeated auctions", AAAI) do
 * per value. The arm is drawn with the entity's own uniform `u` (its seeded stream), so two
 * entities never share randomness. Random allocation: accepts any price covering its cost. Its cost
 * includes the collateral risk and, with `full_cost_utilisation` u > 0, capital per hour × duration / u.
 */
export function noRegret(p: StrategyParams): OperatorStrategy {
  const K = Math.max(2, Math.round(p.arms!));
  const C = Math.max(1, Math.round(p.contexts!));
  const top = p.max_markup!;
  const gamma = p.gamma!;
  // Learning rate: Auer et al.'s γ/K unless `eta` is set (the Exp3 variant with a separate rate, Bubeck & Cesa-Bianchi 2012, §3.1).
  const eta = p.eta! > 0 ? p.eta! : gamma / K;
  const cap = p.scarcity_cap!;
  const scarce = p.scarcity! > 0;
  const util = p.full_cost_utilisation!;
  const markups = Float64Array.from({ length: K }, (_, i) => (top * i) / (K - 1));
  const learners = new Map<number, Learner>();
  const learner = (e: EntityView): Learner => {
    let l = learners.get(e.id);
    if (!l) learners.set(e.id, (l = { logW: Array.from({ length: C }, () => new Float64Array(K)), pending: new Map(), lastAsk: null }));
    return l;
  };
  const probs = (w: Float64Array): Float64Array => {
    let max = -Infinity;
    for (let i = 0; i < K; i++) max = Math.max(max, w[i]!);
    let sum = 0;
    const out = new Float64Array(K);
    for (let i = 0; i < K; i++) sum += out[i] = Math.exp(w[i]! - max);
    for (let i = 0; i < K; i++) out[i] = ((1 - gamma) * out[i]!) / sum + gamma / K;
    return out;
  };
  const draw = (pr: Float64Array, u: number): number => {
    let acc = 0;
    for (let i = 0; i < K; i++) if (u < (acc += pr[i]!)) return i;
    return K - 1;
  };
  const update = (l: Learner, a: { arm: number; ctx: number; prob: number; scale: number }, profit: number): void => {
    const x = a.scale > 0 ? Math.min(1, Math.max(0, profit / a.scale)) : 0;
    l.logW[a.ctx]![a.arm]! += eta * (x / a.prob);
  };
  const context = (q: Quote, e: EntityView): number => {
    if (C === 1) return 0;
    const prior = e.market?.costPrior(q.job);
    if (!prior) return 0;
    return Math.min(C - 1, Math.floor(prior.cdf(q.costUsd) * C));
  };
  /** Prices the job with a drawn arm and remembers the arm under the job's id. */
  function offer(q: Quote, e: EntityView, u: number): number | null {
    if (!canFinish(q)) return null;
    const c = q.costUsd + collateralRiskUsd(q) + (util > 0 ? ((q.capitalUsdPerHour ?? 0) * q.durationS) / 3600 / util : 0);
    const lim = limitUsd(q);
    if (lim > 0 && c >= lim) return null;
    const l = learner(e);
    const ctx = context(q, e);
    const pr = probs(l.logW[ctx]!);
    const arm = draw(pr, u);
    l.pending.set(q.job.id, { arm, ctx, prob: pr[arm]!, scale: c * top });
    // Offers the shell never sent (a reverse-Dutch lock that came too late, a race it did not join)
    // get no feedback: past a bound the oldest are scored as losses (reward 0) and forgotten.
    if (l.pending.size > PENDING_MAX) {
      const [oldest, a0] = l.pending.entries().next().value as [number, { arm: number; ctx: number; prob: number; scale: number }];
      l.pending.delete(oldest);
      update(l, a0, 0);
    }
    const base = c * (1 + markups[arm]!);
    const price = scarce ? base + opportunityCostUsd(q, base - c, cap) : base;
    return lim > 0 ? Math.min(lim, price) : price;
  }
  return {
    type: 'no-regret',
    accept: (q, price) => price >= q.costUsd, // as `equilibrium`: a decline risks ejection
    bid: offer,
    lockPrice: offer,
    joinRace: (q, reward, racers, e, u) => {
      if (!canFinish(q)) return false;
      const all = e.market?.durations(q.job);
      const win = all && all.length > 0 ? raceWinProbability(q.durationS, all, racers) : 1 / Math.max(1, racers);
      const want = offer(q, e, u);
      return want !== null && win * reward >= want;
    },
    ask: (c0, e, u, _now, capital) => {
      const c = c0 + (util > 0 ? (capital ?? 0) / util : 0);
      const l = learner(e);
      if (l.lastAsk) update(l, l.lastAsk, 0);
      const pr = probs(l.logW[0]!);
      const arm = draw(pr, u);
      l.lastAsk = { arm, ctx: 0, prob: pr[arm]!, scale: 0 };
      return c * (1 + markups[arm]!);
    },
    observe: (_won, profitUsd, e, jobId) => {
      const l = learner(e);
      const a = jobId !== undefined ? l.pending.get(jobId) : undefined;
      if (a) {
        l.pending.delete(jobId!);
        update(l, a, profitUsd);
      } else if (l.lastAsk) {
        // A standing ask traded: score its arm on the profit over the markup it could have earned.
        const ask = l.lastAsk;
        l.lastAsk = null;
        const x = profitUsd > 0 ? 1 : 0;
        update(l, { ...ask, scale: 1 }, x * Math.min(1, markups[ask.arm]! / (top || 1)));
      }
    },
  };
}
