import type { FreeIndex } from '../free-index.js';
import { takeGang } from '../gang.js';
import type { Job } from '../types.js';
import { gangSize } from '../types.js';

/**
 * The self-hosted baseline's gang rule (docs/mechanisms/self-hosted.md, "Gang jobs"): the
 * requester's own cluster runs a job needing N nodes on its first N free nodes (lowest ids), all at
 * once; the job waits in the FIFO queue while fewer are free. This is how a team runs its own
 * real-time proving cluster (Brevis's 8 machines x 8 RTX 5090, pico-ethproofs
 * docs/multi-machine-setup.md). Returns the members (lead first) marked busy, or undefined.
 */
export function selfHostedGang(index: FreeIndex, profiles: readonly number[], job: Job): number[] | undefined {
  return takeGang(index, profiles, gangSize(job));
}
