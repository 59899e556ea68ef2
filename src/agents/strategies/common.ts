import type { Quote } from '../strategy.js';

/** Would the node finish the job by its deadline if it took it now (after its queued work)? */
export const canFinish = (q: Quote): boolean => q.finishAt <= q.job.deadline;

/** The requester's price limit for the job, USD (its escrowed maximum). */
export const limitUsd = (q: Quote): number => q.job.maxPrice / 1e6;

/** Clamps `x` to [lo, hi]. */
export const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : Math.min(x, hi));

/** Seconds of work queued on the node ahead of this job. */
export const backlogS = (q: Quote): number => Math.max(0, q.finishAt - q.durationS - q.now);

/**
 * Opportunity cost of taking the job: the expected value of the work it would displace. A node with
 * B seconds of work queued ahead is in demand; each job it takes pushes its free time back by the
 * job's duration d and displaces, in expectation, as many jobs of this size as are queued ahead,
 * min(cap, B / d), each worth the margin `marginUsd` it expects on a job (Naor 1969, "The regulation
 * of queue size by levying tolls", Econometrica 37: the toll that prices a queue's congestion
 * equals the value lost by the customers a joiner delays). An idle node's opportunity cost is 0.
 */
export function opportunityCostUsd(q: Quote, marginUsd: number, cap: number): number {
  if (!(q.durationS > 0) || !(marginUsd > 0)) return 0;
  return Math.min(cap, backlogS(q) / q.durationS) * marginUsd;
}

/**
 * Expected collateral loss of taking the job: collateral × P(the job fails), where a failed proof
 * is retried once (Boundless broker `proof_retry_count = 1`), so P = p² for an attempt failure
 * probability p.
 */
export function collateralRiskUsd(q: Quote): number {
  const p = q.failureProb ?? 0;
  const c = q.collateralUsd ?? 0;
  return c > 0 && p > 0 ? c * p * p : 0;
}
