/**
 * Stake as one protocol concept: an operator posts stake when it joins, bounded by its capital.
 * Mechanisms use it for eligibility (a minimum), for concurrency caps (Succinct: "the amount of stake
 * a prover has is used to determine the number of concurrent auctions they can participate in"),
 * for selection weight, and for slashing. A prover whose stake was slashed below the minimum, or
 * that was removed from the prover set, may re-stake from its remaining capital and return after a
 * cooldown, where the protocol allows. Sources: docs/mechanisms/stake.md.
 *
 * Money flows through the existing escrow decisions, so the shell needs no stake account: the part
 * of a node's stake that backs a job is posted into that job's escrow (`collateral`) when the node
 * takes the job, and comes back (`release`) or is slashed (`slash`) when the job ends. What is not
 * backing a job stays with the operator and is only counted here. Pure: the book lives in the
 * mechanism's state.
 */
import type { Decision, Micros, OperatorInfo, Seconds } from './types.js';

/** Parameters of a stake rule. Dollar amounts are USD. */
export interface StakeParams {
  /** Stake a node posts at join (bounded by its capital). 0: no stake rule. */
  stakeUsd: number;
  /** Least free stake to be eligible for a job (ZkCloud, Succinct's minimum stake per request). */
  minStakeUsd: number;
  /** Stake locked per job held; concurrency = floor(stake / perJobUsd) (Succinct). 0: no cap from stake. */
  perJobUsd: number;
  /** Share of a job's locked stake slashed on a missed deadline (Succinct: "part of your stake"). */
  slashShare: number;
  /** Share of a slash that is burned; the rest goes to the treasury. */
  slashBurnShare: number;
  /** May a node whose stake fell below the minimum, or that was removed, re-stake from its capital? */
  restake: boolean;
  /** Seconds before a re-staked or removed node may take work again (a cooldown). */
  restakeDelay: Seconds;
}

/** No stake. */
export const noStake: StakeParams = {
  stakeUsd: 0,
  minStakeUsd: 0,
  perJobUsd: 0,
  slashShare: 0,
  slashBurnShare: 0.5,
  restake: false,
  restakeDelay: 0,
};

/** Per-node stake state. Arrays are indexed by node id. */
export interface StakeBook {
  readonly p: StakeParams;
  /** Stake the node holds (free + locked), micro-USD. */
  stake: Micros[];
  /** Stake backing jobs in progress, micro-USD. */
  locked: Micros[];
  /** Capital the node may still draw on to (re-)stake, micro-USD (Infinity: unbounded). */
  capital: number[];
  /** Earliest time the node may take work (after a re-stake cooldown). */
  readyAt: Seconds[];
  /** Micro-USD slashed so far, all nodes. */
  slashed: Micros;
}

/** Is any stake rule active? */
export function staking(p: StakeParams): boolean {
  return p.stakeUsd > 0;
}

/** A fresh book. Throws on invalid parameters. */
export function stakeBook(p: StakeParams): StakeBook {
  for (const k of ['stakeUsd', 'minStakeUsd', 'perJobUsd', 'restakeDelay'] as const) {
    if (!(p[k] >= 0)) throw new Error(`stake: ${k} must be ≥ 0, got ${String(p[k])}`);
  }
  if (!(p.slashShare >= 0 && p.slashShare <= 1) || !(p.slashBurnShare >= 0 && p.slashBurnShare <= 1))
    throw new Error('stake: slashShare and slashBurnShare must be in [0, 1]');
  return { p, stake: [], locked: [], capital: [], readyAt: [], slashed: 0 };
}

const micros = (usd: number): Micros => Math.round(usd * 1_000_000);

/**
 * A node joins: it posts `stakeUsd`, or all its capital if that is less (`info.capitalUsd`,
 * unbounded when absent). The rest of its capital stays available for re-staking.
 */
export function join(b: StakeBook, info: OperatorInfo): void {
  const cap = info.capitalUsd === undefined || !Number.isFinite(info.capitalUsd) ? Infinity : micros(info.capitalUsd);
  const want = micros(b.p.stakeUsd);
  const posted = Math.min(want, cap);
  b.stake[info.id] = posted;
  b.locked[info.id] = 0;
  b.capital[info.id] = cap - posted;
  b.readyAt[info.id] = 0;
}

/** Free stake of a node (not backing a job). */
export function freeStake(b: StakeBook, op: number): Micros {
  return (b.stake[op] ?? 0) - (b.locked[op] ?? 0);
}

/** How many jobs a node may hold at once under the stake rule (Infinity without a per-job amount). */
export function concurrency(b: StakeBook, op: number): number {
  const per = micros(b.p.perJobUsd);
  return per > 0 ? Math.floor((b.stake[op] ?? 0) / per) : Infinity;
}

/**
 * May the node take one more job at `now`? It needs the minimum free stake, one more job's worth
 * of stake (`perJobUsd`), and to be past any re-stake cooldown. Always true without a stake rule.
 */
export function eligible(b: StakeBook, op: number, now: Seconds): boolean {
  if (!staking(b.p)) return true;
  if ((b.readyAt[op] ?? 0) > now) return false;
  const free = freeStake(b, op);
  return free >= micros(b.p.minStakeUsd) && free >= micros(b.p.perJobUsd) && free > 0;
}

/** The stake a job locks when a node takes it. */
export function perJob(b: StakeBook): Micros {
  return micros(b.p.perJobUsd);
}

/**
 * The node takes job `jobId`: `perJobUsd` of its stake backs the job. With `post` (the stake can be
 * slashed for this job) it is posted into the job's escrow; otherwise it is only counted, and no
 * money moves. Returns the amount locked (0 without a per-job amount).
 */
export function lock(b: StakeBook, op: number, jobId: number, out: Decision[], post = true): Micros {
  const amount = Math.min(perJob(b), Math.max(0, freeStake(b, op)));
  if (amount <= 0) return 0;
  b.locked[op] = (b.locked[op] ?? 0) + amount;
  if (post) out.push({ type: 'collateral', jobId, operator: op, amount });
  return amount;
}

/** The job ended well: its locked stake is free again (and comes back from escrow if it was posted). */
export function unlock(b: StakeBook, op: number, jobId: number, amount: Micros, out: Decision[], posted = true): void {
  if (amount <= 0) return;
  b.locked[op] = Math.max(0, (b.locked[op] ?? 0) - amount);
  if (posted) out.push({ type: 'release', jobId, operator: op, amount });
}

/**
 * A missed deadline: `slashShare` of the job's locked stake is slashed (part burned, the rest to the
 * treasury), the remainder goes back. The node's stake shrinks by the slash; if it falls below what
 * one job needs and re-staking is allowed, the node tops up from its capital and waits `restakeDelay`.
 * Returns the micro-USD slashed.
 */
export function slash(b: StakeBook, op: number, jobId: number, amount: Micros, now: Seconds, out: Decision[]): Micros {
  if (amount <= 0) return 0;
  const cut = Math.floor(amount * b.p.slashShare);
  const burn = Math.floor(cut * b.p.slashBurnShare);
  b.locked[op] = Math.max(0, (b.locked[op] ?? 0) - amount);
  b.stake[op] = Math.max(0, (b.stake[op] ?? 0) - cut);
  if (cut > 0) out.push({ type: 'slash', jobId, operator: op, burn, toOperator: -1, reward: 0, toTreasury: cut - burn });
  if (amount - cut > 0) out.push({ type: 'release', jobId, operator: op, amount: amount - cut });
  b.slashed += cut;
  if (b.p.restake && freeStake(b, op) < Math.max(perJob(b), micros(b.p.minStakeUsd), 1)) restake(b, op, now);
  return cut;
}

/**
 * Re-stakes a node back to `stakeUsd` from its remaining capital, if the protocol allows it, and
 * starts the cooldown. Returns whether the node holds enough stake to work again.
 */
export function restake(b: StakeBook, op: number, now: Seconds): boolean {
  if (!b.p.restake) return false;
  const want = micros(b.p.stakeUsd) - (b.stake[op] ?? 0);
  const top = Math.max(0, Math.min(want, b.capital[op] ?? 0));
  b.stake[op] = (b.stake[op] ?? 0) + top;
  b.capital[op] = (b.capital[op] ?? 0) - top;
  b.readyAt[op] = now + b.p.restakeDelay;
  return freeStake(b, op) >= Math.max(perJob(b), micros(b.p.minStakeUsd), 1);
}

/** Selection weight of a node: its free stake (for stake-weighted draws). */
export function weight(b: StakeBook, op: number): number {
  return Math.max(0, freeStake(b, op));
}

/**
 * Reserves an arbitrary amount of a node's free stake (a collateral balance, as Boundless's
 * `collateralBalance`). Returns false, reserving nothing, when the free stake is short: the lock
 * reverts (`BoundlessMarket.sol:227`).
 */
export function reserve(b: StakeBook, op: number, amount: Micros): boolean {
  if (amount <= 0) return true;
  if (freeStake(b, op) < amount) return false;
  b.locked[op] = (b.locked[op] ?? 0) + amount;
  return true;
}

/** Ends a reservation: `lost` of it is gone (slashed), the rest is free again. */
export function unreserve(b: StakeBook, op: number, amount: Micros, lost: Micros): void {
  if (amount <= 0) return;
  b.locked[op] = Math.max(0, (b.locked[op] ?? 0) - amount);
  if (lost > 0) {
    b.stake[op] = Math.max(0, (b.stake[op] ?? 0) - lost);
    b.slashed += lost;
  }
}
