import type { Quote } from '../strategy.js';

/** Would the node finish the job by its deadline if it took it now (after its queued work)? */
export const canFinish = (q: Quote): boolean => q.finishAt <= q.job.deadline;

/** The requester's price limit for the job, USD (its escrowed maximum). */
export const limitUsd = (q: Quote): number => q.job.maxPrice / 1e6;

/** Clamps `x` to [lo, hi]. */
export const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);
