/**
 * Revenue equivalence, emerging from equilibrium bidders (docs/validation.md, `## economics`).
 *
 * n bidders with private costs i.i.d. U(c̲, c̄) = U($1, $2) per job and a limit of $10 (the reserve
 * does not bind). In the symmetric Bayes–Nash equilibrium of the first-price procurement auction
 * each bids b(c) = c + (c̄ − c)/n, the reverse Dutch auction is strategically the same, and the
 * second-price auction is won at the second-lowest cost by truthful bidders; all three pay
 * E[second-lowest cost] = c̲ + 2(c̄ − c̲)/(n + 1) on average (revenue equivalence: Krishna, *Auction
 * Theory*, 2nd ed., §3.1, Proposition 3.1; Myerson 1981). Tolerance: 3% of that expectation, over
 * 3,000 auctions per format and n (standard error of the mean price ≤ 0.5%).
 */
import { describe, expect, it } from 'vitest';
import { createStrategy } from '../src/agents/registry.js';
import {
  entity,
  fixedView,
  job,
  reverseDutchAuction,
  rng,
  sealedBidAuction,
  uniformPrior,
  type AuctionResult,
  type Bidder,
} from './econ-driver.js';

const LO = 1;
const HI = 2;
const REPS = 3000;

/** Mean price over REPS auctions of `format` with n bidders of strategy `id`; also the first-price shading error. */
export function run(
  format: 'first' | 'second' | 'dutch',
  id: string,
  n: number,
  seed: number,
): { mean: number; maxShadingError: number; meanShading: number; meanShadingTarget: number } {
  const draw = rng(seed);
  const u = rng(seed ^ 0x5eed);
  const prior = uniformPrior(LO, HI, n);
  const view = fixedView(prior, format === 'second' ? 'second' : 'first');
  const strategies = Array.from({ length: n }, () => createStrategy(id));
  let sum = 0;
  let maxErr = 0;
  let shade = 0;
  let target = 0;
  for (let k = 0; k < REPS; k++) {
    const bidders: Bidder[] = strategies.map((strategy, i) => ({ strategy, view: entity(i, view), cost: LO + (HI - LO) * draw.next() }));
    const j = job(k);
    const r: AuctionResult =
      format === 'dutch' ? reverseDutchAuction(j, bidders, () => u.next()) : sealedBidAuction(format, j, bidders, () => u.next());
    expect(r.winner).toBeGreaterThanOrEqual(0);
    sum += r.price;
    if (format === 'first') {
      bidders.forEach((b, i) => {
        const want = (HI - b.cost) / n;
        shade += r.bids[i]! - b.cost;
        target += want;
        // Relative error where the shading is not vanishingly small (the top 1% of costs shade ~0).
        if (want > 0.01 / n) maxErr = Math.max(maxErr, Math.abs(r.bids[i]! - b.cost - want) / want);
      });
    }
  }
  return { mean: sum / REPS, maxShadingError: maxErr, meanShading: shade, meanShadingTarget: target };
}

const secondLowest = (n: number): number => LO + (2 * (HI - LO)) / (n + 1);

describe('economics: revenue equivalence emerges with equilibrium bidders (costs U($1, $2), 3,000 auctions, tolerance 3%)', () => {
  it.each([3, 5, 10])(
    'n = %i: first-price sealed bid, reverse Dutch and second-price sealed bid each pay E[second-lowest cost] within 3 percent',
    (n) => {
      const want = secondLowest(n);
      const first = run('first', 'equilibrium', n, 100 + n).mean;
      const dutch = run('dutch', 'equilibrium', n, 200 + n).mean;
      const second = run('second', 'equilibrium', n, 300 + n).mean;
      for (const got of [first, dutch, second]) expect(Math.abs(got / want - 1)).toBeLessThan(0.03);
    },
  );

  it.each([3, 5, 10])('n = %i: first-price bids are shaded above cost by (c̄ − c)/n within 3 percent', (n) => {
    const r = run('first', 'equilibrium', n, 400 + n);
    expect(r.maxShadingError).toBeLessThan(0.03);
    expect(Math.abs(r.meanShading / r.meanShadingTarget - 1)).toBeLessThan(0.03);
  });

  it.each([3, 5, 10])(
    'n = %i: with cost-plus bidders (margin 0.2) the auctions differ: second price pays over 5 percent more than first price',
    (n) => {
      const first = run('first', 'cost-plus', n, 500 + n).mean;
      const dutch = run('dutch', 'cost-plus', n, 600 + n).mean;
      const second = run('second', 'cost-plus', n, 700 + n).mean;
      // Cost-plus ignores the format: first price and reverse Dutch pay 1.2 × the lowest cost, second price 1.2 × the second lowest.
      expect(second / first - 1).toBeGreaterThan(0.05);
      expect(Math.abs(dutch / first - 1)).toBeLessThan(0.01);
      expect(Math.abs(first / (1.2 * (LO + (HI - LO) / (n + 1))) - 1)).toBeLessThan(0.03);
    },
  );
});
