import type { EntityView, OperatorStrategy } from '../strategy.js';
import type { StrategyParams } from '../params.js';
import { canFinish, clamp } from './common.js';

/**
 * `adaptive`: learns its markup by additive increase, multiplicative decrease (AIMD). It prices at
 * cost × (1 + markup), starting from the group's `margin`. After a job it was paid for (a win) the
 * markup rises by `step`; after a job it offered for and was not paid (a loss) it is multiplied by
 * (1 − `decrease`). It stays within [`min_markup`, `max_markup`]. Standing asks (order book) get no
 * per-job loss signal, so an ask made more than `patience_s` after the last win or cut also counts
 * as a loss. It accepts any offered price that covers its cost (random allocation: the price is the
 * protocol's, there is nothing to learn). State lives in `e.memory` (`markup`, `wins`, `losses`,
 * `profit_usd`, `last_event_s`, `won_since_ask`).
 */
export function adaptive(p: StrategyParams): OperatorStrategy {
  const lo = p.min_markup!;
  const hi = Math.max(lo, p.max_markup!);
  const markup = (e: EntityView): number => {
    const m = e.memory.markup;
    if (m !== undefined) return m;
    return (e.memory.markup = clamp(e.margin, lo, hi));
  };
  const win = (e: EntityView): void => {
    e.memory.markup = clamp(markup(e) + p.step!, lo, hi);
    e.memory.wins = (e.memory.wins ?? 0) + 1;
  };
  const loss = (e: EntityView): void => {
    e.memory.markup = clamp(markup(e) * (1 - p.decrease!), lo, hi);
    e.memory.losses = (e.memory.losses ?? 0) + 1;
  };
  return {
    type: 'adaptive',
    accept: (q, price) => !q.busy && price >= q.costUsd,
    bid: (q, e) => (canFinish(q) ? q.costUsd * (1 + markup(e)) : null),
    lockPrice: (q, e) => (canFinish(q) ? q.costUsd * (1 + markup(e)) : null),
    joinRace: (q, reward, racers, e) => canFinish(q) && reward / Math.max(1, racers) >= q.costUsd * (1 + markup(e)),
    ask: (c, e, _u, now) => {
      if (now !== undefined) {
        const last = e.memory.last_event_s;
        if (last === undefined || e.memory.won_since_ask === 1) {
          e.memory.last_event_s = now;
          e.memory.won_since_ask = 0;
        } else if (now - last > p.patience_s!) {
          loss(e);
          e.memory.last_event_s = now;
        }
      }
      return c * (1 + markup(e));
    },
    observe: (won, profitUsd, e) => {
      e.memory.profit_usd = (e.memory.profit_usd ?? 0) + profitUsd;
      if (won) {
        win(e);
        e.memory.won_since_ask = 1;
      } else loss(e);
    },
  };
}
