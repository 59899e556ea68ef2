/**
 * Learning converges (docs/validation.md, `## economics`): `no-regret` (EXP3) bidders in a repeated
 * first-price sealed-bid procurement auction, each round with fresh private costs i.i.d. U($1, $2),
 * learn from their own payoffs only and end near the Bayes–Nash equilibrium.
 *
 * Setup: n = 3 bidders, horizon 100,000 rounds, measured over the last 20,000. Grid of 11 markups
 * 0, 0.05, ..., 0.5; γ = 0.05, η = 0.05; 8 contexts (cost quantile buckets). The measured markup is
 * the winner's: (price − winner's cost) / winner's cost, against the equilibrium's on the same cost
 * draws, (c̄ − c_min) / (n c_min). Losing bids earn nothing whatever their markup, so a learner gets
 * no signal on them and their markups stay exploratory; the markup requesters pay is the winner's.
 * Tolerance: 20% of the equilibrium markup; the mean price also within 5% of E[second-lowest cost].
 */
import { describe, expect, it } from 'vitest';
import { createStrategy } from '../src/agents/registry.js';
import { entity, fixedView, job, rng, sealedBidAuction, uniformPrior, type Bidder } from './econ-driver.js';

export function repeatedFirstPrice(n: number, rounds: number, seed: number): { learned: number; equilibrium: number; price: number } {
  const draw = rng(seed);
  const u = rng(seed + 1);
  const view = fixedView(uniformPrior(1, 2, n), 'first');
  const strategies = Array.from({ length: n }, () =>
    createStrategy('no-regret', { arms: 11, max_markup: 0.5, gamma: 0.05, eta: 0.05, contexts: 8, scarcity: 0 }),
  );
  const views = strategies.map((_, i) => entity(i, view));
  let learned = 0;
  let eq = 0;
  let price = 0;
  let k = 0;
  for (let t = 0; t < rounds; t++) {
    const bidders: Bidder[] = strategies.map((strategy, i) => ({ strategy, view: views[i]!, cost: 1 + draw.next() }));
    const r = sealedBidAuction('first', job(t), bidders, () => u.next());
    bidders.forEach((b, i) => b.strategy.observe!(r.winner === i, r.winner === i ? r.price - b.cost : 0, b.view, t));
    if (t < rounds * 0.8) continue;
    const cw = bidders[r.winner]!.cost;
    const cmin = Math.min(...bidders.map((b) => b.cost));
    learned += (r.price - cw) / cw;
    eq += (2 - cmin) / n / cmin;
    price += r.price;
    k++;
  }
  return { learned: learned / k, equilibrium: eq / k, price: price / k };
}

describe('economics: no-regret learners converge near the equilibrium of a repeated first-price auction', () => {
  it("n = 3, 100,000 rounds: the winners' mean markup is within 20 percent of the equilibrium markup, the mean price within 5 percent of E[second-lowest cost]", () => {
    const r = repeatedFirstPrice(3, 100_000, 9);
    expect(Math.abs(r.learned / r.equilibrium - 1)).toBeLessThan(0.2);
    expect(Math.abs(r.price / 1.5 - 1)).toBeLessThan(0.05);
  });
  it('learns from its own payoffs: with no wins ever, every arm keeps its weight and prices stay spread over the grid', () => {
    const s = createStrategy('no-regret', { arms: 11, max_markup: 0.5, contexts: 1, scarcity: 0 });
    const v = entity(0);
    const u = rng(3);
    const seen = new Set<number>();
    for (let t = 0; t < 2000; t++) {
      const b = s.bid({ job: job(t), costUsd: 1, durationS: 100, finishAt: 100, busy: false, now: 0 }, v, u.next())!;
      seen.add(Math.round((b - 1) * 100));
      s.observe!(false, 0, v, t);
    }
    expect(seen.size).toBe(11);
  });
});
