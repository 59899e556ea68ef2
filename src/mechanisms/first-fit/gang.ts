import type { FreeIndex } from '../free-index.js';
import { takeGang } from '../gang.js';
import type { Job } from '../types.js';
import { gangSize } from '../types.js';

/**
 * First-fit's gang rule (docs/mechanisms/first-fit.md, "Gang jobs"): Fermah's Matchmaker assigns a
 * task to "the first [Operator] that has a compatible hardware configuration"
 * (docs.fermah.xyz/network/proof-request-life-cycle); a job needing N nodes takes the first N free
 * compatible nodes in the same (registration) order, any owners, all at once, and waits in the queue
 * while fewer are free. Nodes that declined the job are skipped. Returns the members (lead first)
 * marked busy, or undefined.
 */
export function firstFitGang(index: FreeIndex, profiles: readonly number[], job: Job, declined: readonly number[]): number[] | undefined {
  return takeGang(index, profiles, gangSize(job), declined);
}
