import type { OperatorStrategy } from '../strategy.js';

/**
 * `cost-plus`: asks its expected compute cost times (1 + margin), accepts any price at or above
 * that, and joins a race when its fair share of the reward (reward / racers) covers it.
 */
export function costPlus(type = 'cost-plus', marginOverride?: number): OperatorStrategy {
  const m = (margin: number): number => 1 + (marginOverride ?? margin);
  return {
    type,
    accept: (q, price, e) => !q.busy && price >= q.costUsd * m(e.margin),
    bid: (q, e) => (q.finishAt <= q.job.deadline ? q.costUsd * m(e.margin) : null),
    lockPrice: (q, e) => (q.finishAt <= q.job.deadline ? q.costUsd * m(e.margin) : null),
    joinRace: (q, reward, racers, e) => q.finishAt <= q.job.deadline && reward / Math.max(1, racers) >= q.costUsd * m(e.margin),
    ask: (c, e) => c * m(e.margin),
  };
}
