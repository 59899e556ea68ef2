import type { OperatorStrategy } from '../strategy.js';
import type { StrategyParams } from '../params.js';
import { canFinish } from './common.js';
import { costPlus } from './cost-plus.js';

/**
 * `sybil`: one entity behind many identities. Each physical node is advertised as `identities`
 * separate nodes (the population builds them; they share the physical node's work queue), so a
 * random draw among free nodes picks the entity `identities` times as often. Every identity answers
 * as if it were an idle node of its own: it prices at cost × (1 + margin) and is capacity-blind
 * (it takes work whatever the shared queue holds).
 */
export function sybil(p: StrategyParams): OperatorStrategy {
  return { ...capacityBlindCostPlus('sybil'), identities: p.identities! };
}

/** Cost × (1 + margin) on every decision, whatever the node's queue holds (no deadline check). */
function capacityBlindCostPlus(type: string): OperatorStrategy {
  const m = (margin: number): number => 1 + margin;
  return {
    type,
    pureBid: 'always',
    overcommits: true,
    accept: (q, price, e) => price >= q.costUsd * m(e.margin),
    bid: (q, e) => q.costUsd * m(e.margin),
    lockPrice: (q, e) => q.costUsd * m(e.margin),
    joinRace: (q, reward, racers, e) => reward / Math.max(1, racers) >= q.costUsd * m(e.margin),
    ask: (c, e) => c * m(e.margin),
  };
}

/**
 * `flaky`: prices like `cost-plus`, but each attempt fails with probability `fail_prob` (it
 * replaces the hardware profile's failure rate; the group's `failure_prob`, when given, wins), and
 * each time it is consulted it is offline with probability `offline_prob` (it declines an
 * assignment, abstains from a bid, lock, race or ask).
 */
export function flaky(p: StrategyParams): OperatorStrategy {
  const base = costPlus('flaky');
  const off = p.offline_prob!;
  return {
    type: 'flaky',
    failureProb: p.fail_prob!,
    accept: (q, price, e, u) => u >= off && base.accept(q, price, e, u),
    bid: (q, e, u) => (u < off ? null : base.bid(q, e, u)),
    lockPrice: (q, e, u) => (u < off ? null : base.lockPrice(q, e, u)),
    joinRace: (q, reward, racers, e, u) => u >= off && base.joinRace(q, reward, racers, e, u),
    ask: (c, e, u) => (u < off ? null : base.ask(c, e, u)),
  };
}

/**
 * `griefer`: locks and abandons. It prices at cost × `price_factor` (0: free, so it locks a reverse
 * Dutch offer at once and wins sealed bids), accepts every assignment and is capacity-blind. It
 * never joins open races: there is nothing to lock in a race, and an abandoned racer harms no one. When work would start it abandons with probability `abandon_prob`: no work is
 * done and the attempt is reported failed `abandon_after_s` seconds later. What that costs it
 * (collateral) and the requester (delay, expiry) is the mechanism's business.
 */
export function griefer(p: StrategyParams): OperatorStrategy {
  const f = p.price_factor!;
  return {
    type: 'griefer',
    pureBid: 'always',
    overcommits: true,
    accept: () => true,
    bid: (q) => q.costUsd * f,
    lockPrice: (q) => q.costUsd * f,
    joinRace: () => false,
    ask: (c) => c * f,
    abandon: (_q, _e, u) => u < p.abandon_prob!,
    abandonAfter: () => p.abandon_after_s!,
  };
}

/**
 * `overcommit`: capacity-blind `cost-plus`. It bids, locks, accepts and races for work whether or
 * not its queue lets it finish by the deadline (boundless #1611: a broker set to 1 concurrent proof
 * with ~10 orders locked).
 */
export function overcommit(): OperatorStrategy {
  return capacityBlindCostPlus('overcommit');
}

/**
 * `cartel`: `cost-plus` with a shared price floor. Every member (every entity of the group, or of
 * every group with the same `floor_usd_per_mcycle`) prices at max(cost × (1 + margin),
 * floor × Mcycles) and refuses any price, bid, lock or race reward below the floor.
 */
export function cartel(p: StrategyParams): OperatorStrategy {
  const floor = p.floor_usd_per_mcycle!;
  const want = (cost: number, mcycles: number, margin: number): number => Math.max(cost * (1 + margin), floor * mcycles);
  return {
    type: 'cartel',
    pureBid: 'always',
    accept: (q, price, e) => !q.busy && price >= want(q.costUsd, q.job.mcycles, e.margin),
    bid: (q, e) => (canFinish(q) ? want(q.costUsd, q.job.mcycles, e.margin) : null),
    lockPrice: (q, e) => (canFinish(q) ? want(q.costUsd, q.job.mcycles, e.margin) : null),
    joinRace: (q, reward, racers, e) =>
      canFinish(q) && reward >= floor * q.job.mcycles && reward / Math.max(1, racers) >= q.costUsd * (1 + e.margin),
    ask: (c, e) => Math.max(c * (1 + e.margin), floor),
  };
}
