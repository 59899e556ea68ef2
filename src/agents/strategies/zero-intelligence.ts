import type { OperatorStrategy } from '../strategy.js';
import type { StrategyParams } from '../params.js';
import { canFinish } from './common.js';

/**
 * Gode and Sunder's zero-intelligence sellers (`zi-c`, `zi-u`). Every price is a fresh uniform draw
 * from the `u` the shell passes (the entity's own seeded stream):
 * - ZI-C (budget-constrained) asks uniformly in [cost, cost × (1 + spread)]: it never sells below cost;
 * - ZI-U (unconstrained) asks uniformly in [0, cost × (1 + spread)]: about 1/(1 + spread) of its
 *   asks are below cost.
 * Accepting an offered price (random allocation) or joining a race means the price or reward is at
 * least the drawn ask. Neither reasons about competitors; both respect their capacity (deadline).
 */
export function zeroIntelligence(type: 'zi-c' | 'zi-u', p: StrategyParams): OperatorStrategy {
  const spread = p.spread!;
  const draw =
    type === 'zi-c'
      ? (cost: number, u: number): number => cost * (1 + spread * u)
      : (cost: number, u: number): number => cost * (1 + spread) * u;
  return {
    type,
    accept: (q, price, _e, u) => !q.busy && price >= draw(q.costUsd, u),
    bid: (q, _e, u) => (canFinish(q) ? draw(q.costUsd, u) : null),
    lockPrice: (q, _e, u) => (canFinish(q) ? draw(q.costUsd, u) : null),
    joinRace: (q, reward, _racers, _e, u) => canFinish(q) && reward >= draw(q.costUsd, u),
    ask: (c, _e, u) => draw(c, u),
  };
}
