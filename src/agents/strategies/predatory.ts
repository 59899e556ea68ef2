import type { EntityView, OperatorStrategy, Quote } from '../strategy.js';
import type { StrategyParams } from '../params.js';
import { canFinish, limitUsd } from './common.js';

const PREDATION = 0;
const RECOUP = 1;

/**
 * `predatory`: predation, then recoupment. While the entity's share of delivered work (`e.share`,
 * the last window's) is below `target_share`, it prices at cost × `predation_price` (0: free) and
 * takes any work it can finish. Once its share reaches the target (which is also what happens when
 * its rivals have exited: its share is then 1) it recoups: its price starts at cost × (1 + margin)
 * and rises linearly over `ramp_s` seconds to the requester's limit (the job's escrowed maximum;
 * for standing asks, which see no job, cost × (1 + `recoup_markup`)). If its share falls below
 * `target_share` × `release_fraction` it goes back to predation. State in `e.memory`: `phase`
 * (0 predation, 1 recoup), `dominant_since` (s), `last_now` (s).
 */
export function predatory(p: StrategyParams): OperatorStrategy {
  const target = p.target_share!;
  const release = target * p.release_fraction!;
  function phase(e: EntityView, now: number): number {
    e.memory.last_now = now;
    let ph = e.memory.phase ?? PREDATION;
    if (ph === PREDATION && e.share >= target) {
      ph = RECOUP;
      e.memory.dominant_since = now;
    } else if (ph === RECOUP && e.share < release) ph = PREDATION;
    e.memory.phase = ph;
    return ph;
  }
  /** Price for a cost and a top price (the requester's limit), at time `now`. */
  function price(cost: number, top: number, e: EntityView, now: number): number {
    if (phase(e, now) === PREDATION) return cost * p.predation_price!;
    const floor = cost * (1 + Math.max(0, e.margin));
    const frac = p.ramp_s! > 0 ? Math.min(1, Math.max(0, now - (e.memory.dominant_since ?? now)) / p.ramp_s!) : 1;
    return floor + frac * Math.max(0, top - floor);
  }
  const jobPrice = (q: Quote, e: EntityView): number => {
    const lim = limitUsd(q);
    return price(q.costUsd, lim > 0 ? lim : q.costUsd * (1 + p.recoup_markup!), e, q.now);
  };
  return {
    type: 'predatory',
    accept: (q, offered, e) => !q.busy && (phase(e, q.now) === PREDATION || offered >= q.costUsd),
    bid: (q, e) => (canFinish(q) ? jobPrice(q, e) : null),
    lockPrice: (q, e) => (canFinish(q) ? jobPrice(q, e) : null),
    joinRace: (q, reward, racers, e) => canFinish(q) && (phase(e, q.now) === PREDATION || reward / Math.max(1, racers) >= q.costUsd),
    ask: (c, e, _u, now) => price(c, c * (1 + p.recoup_markup!), e, now ?? e.memory.last_now ?? 0),
  };
}
