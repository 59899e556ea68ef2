import type { OperatorStrategy, Quote } from '../strategy.js';
import { opportunityCostUsd } from './common.js';

/** Scarcity option of `cost-plus` (off by default, so old scenarios keep their meaning). */
export interface ScarcityOption {
  /** 1: price in the opportunity cost of queued work; 0: off. */
  readonly scarcity?: number;
  /** Most jobs of displaced work counted (see {@link opportunityCostUsd}). */
  readonly scarcityCap?: number;
}

/**
 * `cost-plus`: asks its expected compute cost times (1 + margin), accepts any price at or above
 * that, and joins a race when its fair share of the reward (reward / racers) covers it. With the
 * `scarcity` option a node with queued work adds the opportunity cost of the work it would
 * displace: price = cost × (1 + margin) + min(cap, queued seconds / duration) × cost × margin.
 */
export function costPlus(type = 'cost-plus', marginOverride?: number, opt: ScarcityOption = {}): OperatorStrategy {
  const m = (margin: number): number => 1 + (marginOverride ?? margin);
  const cap = opt.scarcityCap ?? 4;
  const price =
    (opt.scarcity ?? 0) > 0
      ? (q: Quote, margin: number): number => q.costUsd * m(margin) + opportunityCostUsd(q, q.costUsd * (m(margin) - 1), cap)
      : (q: Quote, margin: number): number => q.costUsd * m(margin);
  return {
    type,
    pure: true,
    pureBid: (opt.scarcity ?? 0) > 0 ? 'idle' : 'always',
    accept: (q, p, e) => !q.busy && p >= price(q, e.margin),
    bid: (q, e) => (q.finishAt <= q.job.deadline ? price(q, e.margin) : null),
    lockPrice: (q, e) => (q.finishAt <= q.job.deadline ? price(q, e.margin) : null),
    joinRace: (q, reward, racers, e) => q.finishAt <= q.job.deadline && reward / Math.max(1, racers) >= price(q, e.margin),
    ask: (c, e) => c * m(e.margin),
  };
}
