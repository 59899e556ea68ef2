/**
 * Sealed-bid's bookkeeping of what the nodes hold, as the class walk reads it (issue 10, bid classes):
 * the ready and busy flags of `bid-classes.ts`, and the gang jobs that entities staff themselves.
 * Split from the rules in `index.ts`; docs/mechanisms/sealed-bid.md, "Bid classes" and "Gang jobs".
 */
import * as stake from '../stake.js';
import type { Seconds } from '../types.js';
import { gangSize } from '../types.js';
import type { SbJob, SealedBidState } from './index.js';

/** The flag and gang updates; `staking`: stake decides eligibility. */
export function holdings(staking: boolean) {
  /**
   * A node is ready (a class bid counts it) while active, idle, holding nothing and, with stake,
   * eligible to bid; busy (the class walk may name it) while active, given a job since it last
   * reported `available`, and, with stake, eligible to bid.
   */
  function refresh(s: SealedBidState, op: number, now: Seconds): void {
    if (s.classes.size === 0) return;
    const active = s.active.isFree(op);
    const busy = s.busy.has(op);
    const staked = !staking || stake.eligible(s.stakes, op, now);
    s.classes.setReady(op, active && !busy && (s.held[op] ?? 0) === 0 && staked);
    s.classes.setBusy(op, active && busy && staked);
  }

  /** After a change of a node's stake: whether it is busy and may bid (its ready flag is refreshed where it always was). */
  function restaked(s: SealedBidState, op: number, now: Seconds): void {
    if (s.classes.size === 0) return;
    s.classes.setBusy(op, s.active.isFree(op) && s.busy.has(op) && stake.eligible(s.stakes, op, now));
  }

  /** `op` won `rec`: for a gang job, its entity staffs the gang with nodes of its own (no `members` in the assign). */
  function gangWon(s: SealedBidState, rec: SbJob, op: number): void {
    if (gangSize(rec.job) <= 1) return;
    const e = s.entityOf[op] ?? -1;
    if (e < 0) return;
    s.gangs[e] = (s.gangs[e] ?? 0) + 1;
    s.gangsHeld++;
    rec.gangEntity = e;
  }

  /** `rec` ended: its gang, if any, no longer holds its entity's nodes. */
  function gangEnded(s: SealedBidState, rec: SbJob): void {
    if (rec.gangEntity < 0) return;
    s.gangs[rec.gangEntity]!--;
    s.gangsHeld--;
    rec.gangEntity = -1;
  }

  return { refresh, restaked, gangWon, gangEnded };
}
