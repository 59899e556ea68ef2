/**
 * Gang allocation: jobs that need N nodes at once (`Job.gang`), such as real-time Ethereum block
 * proving on 16-160 GPUs (SP1 Hypercube on 160 RTX 4090, blog.succinct.xyz/sp1-hypercube; Brevis
 * Pico Prism on 64 RTX 5090, github.com/brevis-network/pico-ethproofs docs/multi-machine-setup.md).
 *
 * Two ways a mechanism fills a gang, and the contract both share (`docs/gang.md`):
 * - **protocol-chosen members**: the mechanism picks every node and names them in the `assign`
 *   decision's `members` (random allocation draws N provers from the beacon, {@link drawGang};
 *   first-fit and the self-hosted baseline take the first N free compatible nodes, {@link takeGang});
 * - **entity-staffed**: the mechanism contracts one prover (the lead node named by `operator`)
 *   and its entity brings the other N - 1 nodes from its own fleet. This is how auctions, races
 *   and order books see a prover: an address with a cluster behind it, which the protocol does not
 *   inspect (Succinct's and Boundless's provers bid as one account whatever hardware they run).
 *
 * Either way `deliver`, `fail`, `decline` and `abort` name the lead only; each member tells the
 * mechanism `available` when it is free again; a payment to the lead is shared among the members
 * ({@link splitAmong}).
 */
import { selectionIndex } from './beacon.js';
import type { FreeIndex } from './free-index.js';
import type { Job, Resources } from './types.js';
import { fits, gangSize } from './types.js';

/** Could these nodes ever run the job: at least `gangSize(job)` of them meet its request? */
export function canEverFit(capacities: readonly Resources[], job: Job): boolean {
  const n = gangSize(job);
  let k = 0;
  for (const c of capacities) if (fits(c, job.request) && ++k >= n) return true;
  return false;
}

/**
 * Takes the first `n` free nodes (ascending id) among `profiles`, skipping `skip`, and marks them
 * busy in `index`. Returns them, or undefined (and changes nothing) when fewer than `n` are free:
 * a gang never holds part of its nodes while it waits.
 */
export function takeGang(index: FreeIndex, profiles: readonly number[], n: number, skip: readonly number[] = []): number[] | undefined {
  if (index.countFree(profiles) < n) return undefined;
  const hidden: number[] = [];
  for (const op of skip) {
    if (index.has(op) && index.isFree(op)) {
      index.setFree(op, false);
      hidden.push(op);
    }
  }
  const out: number[] = [];
  if (index.countFree(profiles) >= n) {
    for (let k = 0; k < n; k++) {
      const op = index.kth(profiles, 0);
      index.setFree(op, false);
      out.push(op);
    }
  }
  for (const op of hidden) index.setFree(op, true);
  return out.length === n ? out : undefined;
}

/**
 * Draws a gang of `n` distinct free nodes among `profiles` with the job's beacon: draw number
 * `firstDraw + k` picks the k-th member among the nodes still free (each pick is marked busy at
 * once, so the next draw cannot pick it). This is exactly `audit(beacon, eligible, jobId,
 * firstDraw, n)` over the free eligible nodes at the time of the draw. Returns undefined (and
 * changes nothing) when fewer than `n` are free. Nodes in `skip` (they already tried) are hidden.
 */
export function drawGang(
  index: FreeIndex,
  profiles: readonly number[],
  n: number,
  beacon: Int32Array,
  jobId: number,
  firstDraw: number,
  skip: readonly number[] = [],
): number[] | undefined {
  const hidden: number[] = [];
  for (const op of skip) {
    if (index.has(op) && index.isFree(op)) {
      index.setFree(op, false);
      hidden.push(op);
    }
  }
  let out: number[] | undefined;
  if (index.countFree(profiles) >= n) {
    out = [];
    for (let k = 0; k < n; k++) {
      const op = index.kth(profiles, selectionIndex(beacon, jobId, firstDraw + k, index.countFree(profiles)));
      index.setFree(op, false);
      out.push(op);
    }
  }
  for (const op of hidden) index.setFree(op, true);
  return out;
}

/**
 * Splits `amount` micro-USD among `n` gang members: equal integer shares, the remainder (fewer
 * than `n` micro-USD) to the first member (the lead), so the shares sum to `amount` exactly.
 */
export function splitAmong(amount: number, n: number): number[] {
  const each = Math.floor(amount / n);
  const shares = new Array<number>(n).fill(each);
  shares[0] = amount - each * (n - 1);
  return shares;
}
