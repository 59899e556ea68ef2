import { bidTableFor, raceWinProbability } from '../bne.js';
import type { StrategyParams } from '../params.js';
import type { CostPrior, EntityView, OperatorStrategy, Quote } from '../strategy.js';
import { canFinish, collateralRiskUsd, limitUsd, opportunityCostUsd } from './common.js';

/**
 * `equilibrium`: the textbook rational bidder.
 *
 * - **First-price sealed bid and reverse Dutch**: bids (locks at) the symmetric Bayes–Nash
 *   equilibrium of a procurement auction, b(c) = c + ∫_c^c̄ (1 − F(t))^(n−1) dt / (1 − F(c))^(n−1)
 *   ({@link bidTableFor}), with the requester's limit as reserve. F is the public prior of the job's
 *   cost on a random active node that fits it (the hardware catalogue × each group's published
 *   cost-factor distribution: `MarketView.costPrior`); n is the number of nodes the solicitation
 *   reached (`Quote.bidders`), else the prior's node count; param `n` > 0 overrides both.
 * - **Second-price sealed bid**: bids its cost (truthful bidding is dominant: Vickrey 1961).
 * - **Order book** (standing asks, the ask is the trade price: discriminatory, so first-price-like):
 *   asks the first-price equilibrium price per Mcycle against the per-Mcycle prior of all active
 *   nodes, with n = that prior's node count (or param `n`).
 * - **Race**: joins when P(win) × reward ≥ cost, P(win) = p̄^(k−1) with p̄ its mean probability of
 *   beating one eligible rival given both nodes' speeds and the attempt-time jitter.
 * - **Random allocation**: accepts when the price covers its marginal cost, even if it may finish
 *   late (declines count toward ZkCloud's ejection limit, which costs all future work).
 *
 * Its cost includes the collateral risk (collateral × p², p the attempt failure probability, one
 * retry). With `scarcity` on (default) a node with queued work prices with cost + opportunity cost
 * (min(`scarcity_cap`, queued s / duration) × its equilibrium margin) as its cost.
 * `full_cost_utilisation` u > 0 adds capital per hour × duration / u to the cost (full-cost
 * recovery at utilisation u, as Succinct's reference bidder prices); 0 prices on marginal cost.
 */
export function equilibrium(p: StrategyParams): OperatorStrategy {
  const cap = p.scarcity_cap!;
  const scarce = p.scarcity! > 0;
  const util = p.full_cost_utilisation!;
  const nOf = (q: Quote, prior: CostPrior): number => (p.n! > 0 ? p.n! : (q.bidders ?? prior.count));
  /** The node's own cost of the job: marginal, plus capital at the target utilisation when asked. */
  const own = (q: Quote): number =>
    q.costUsd + collateralRiskUsd(q) + (util > 0 ? ((q.capitalUsdPerHour ?? 0) * q.durationS) / 3600 / util : 0);

  /** The first-price equilibrium bid, opportunity cost included; null when it cannot beat the limit. */
  function firstPrice(q: Quote, e: EntityView): number | null {
    if (!canFinish(q)) return null;
    const lim = limitUsd(q);
    const reserve = lim > 0 ? lim : Infinity;
    const c = own(q);
    const prior = e.market?.costPrior(q.job) ?? null;
    if (!prior) return c < reserve ? c : null;
    const table = bidTableFor(prior, nOf(q, prior));
    const b0 = table.bid(c, reserve);
    if (b0 === null) return null;
    if (!scarce) return b0;
    const cc = c + opportunityCostUsd(q, b0 - c, cap);
    if (cc === c) return b0;
    return table.bid(cc, reserve);
  }

  function secondPrice(q: Quote, e: EntityView): number | null {
    if (!canFinish(q)) return null;
    const c = own(q);
    if (!scarce) return c;
    // The margin a second-price winner expects is the gap to the next cost; the first-price shading is its expectation (revenue equivalence).
    const prior = e.market?.costPrior(q.job) ?? null;
    if (!prior) return c;
    const b0 = bidTableFor(prior, nOf(q, prior)).bid(c) ?? c;
    return c + opportunityCostUsd(q, b0 - c, cap);
  }

  return {
    type: 'equilibrium',
    pure: true,
    // Scarcity prices the queue in: then only idle nodes bid alike.
    pureBid: scarce ? 'idle' : 'always',
    // Not `canFinish`: ZkCloud ejects a prover after a few declines, a loss far above one late job.
    accept: (q, price) => price >= own(q),
    bid: (q, e) => (e.market?.settlement === 'second' ? secondPrice(q, e) : firstPrice(q, e)),
    lockPrice: (q, e) => firstPrice(q, e),
    joinRace: (q, reward, racers, e) => {
      if (!canFinish(q)) return false;
      const all = e.market?.durations(q.job);
      const win = all && all.length > 0 ? raceWinProbability(q.durationS, all, racers) : 1 / Math.max(1, racers);
      return win * reward >= own(q);
    },
    ask: (c0, e, _u, _now, capital) => {
      const c = c0 + (util > 0 ? (capital ?? 0) / util : 0);
      const prior = e.market?.mcyclePrior() ?? null;
      if (!prior) return c;
      return bidTableFor(prior, p.n! > 0 ? p.n! : prior.count).bid(c) ?? c;
    },
  };
}
