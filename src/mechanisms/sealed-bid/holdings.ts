/**
 * Sealed-bid's bookkeeping of what the nodes hold, as the class walk and the close read it (issue 10,
 * bid classes): the ready, busy and may-hold flags of `bid-classes.ts`, the log of their recent
 * changes (`flag-log.ts`), and the gang jobs that entities staff themselves. Split from the rules in
 * `index.ts`; docs/mechanisms/sealed-bid.md, "Bid classes", "The close-time search" and "Gang jobs".
 */
import * as stake from '../stake.js';
import type { Seconds } from '../types.js';
import { gangSize } from '../types.js';
import { BUSY_BIT, READY_BIT } from './flag-log.js';
import type { SbJob, SealedBidState } from './index.js';

/** What the bookkeeping reads of the rules: whether stake decides eligibility, the cap, and the auction period. */
export interface HoldingsConfig {
  readonly staking: boolean;
  readonly mayHold: (s: SealedBidState, op: number, now: Seconds) => boolean;
  readonly period: Seconds;
}

/** The flag and gang updates. */
export function holdings({ staking, mayHold, period }: HoldingsConfig) {
  /** Sets a member's ready and busy flags, logging a change while auctions are open. */
  function setFlags(s: SealedBidState, op: number, ready: boolean, busy: boolean, now: Seconds): void {
    const f = (ready ? READY_BIT : 0) | (busy ? BUSY_BIT : 0);
    if (f === s.log.flags(op)) return;
    s.log.change(op, f, s.bidding > 0 ? s.opened : -1, now);
    s.classes.setReady(op, ready);
    s.classes.setBusy(op, busy);
  }

  /**
   * A close may pick a member that may hold one more job now, and that is active or left while an
   * auction still open may count it (the close does not test `active`, as a bid stands once made).
   */
  function setHold(s: SealedBidState, op: number, now: Seconds): void {
    const recent = s.active.isFree(op) || (s.leftAt[op] ?? -Infinity) >= now - period - 1;
    s.classes.setHold(op, recent && mayHold(s, op, now));
  }

  /**
   * A node is ready (a class bid counts it) while active, idle, holding nothing and, with stake,
   * eligible to bid; busy (the class walk may name it) while active, given a job since it last
   * reported `available`, and, with stake, eligible to bid.
   */
  function refresh(s: SealedBidState, op: number, now: Seconds): void {
    if (s.classes.size === 0 || s.classes.classOfNode(op) < 0) return;
    const active = s.active.isFree(op);
    const busy = s.busy[op] === 1;
    const staked = !staking || stake.eligible(s.stakes, op, now);
    setFlags(s, op, active && !busy && (s.held[op] ?? 0) === 0 && staked, active && busy && staked, now);
    setHold(s, op, now);
  }

  /** After a change of a node's stake: whether it is busy and may bid (its ready flag is refreshed where it always was). */
  function restaked(s: SealedBidState, op: number, now: Seconds): void {
    if (s.classes.size === 0 || s.classes.classOfNode(op) < 0) return;
    setFlags(s, op, s.classes.isReady(op), s.active.isFree(op) && s.busy[op] === 1 && stake.eligible(s.stakes, op, now), now);
    setHold(s, op, now);
  }

  /** `op` left: a close may still pick it while an auction it may have bid in is open ({@link prune} ends that). */
  function left(s: SealedBidState, op: number, now: Seconds): void {
    if (s.classes.classOfNode(op) < 0) return;
    s.leftAt[op] = now;
    s.leftQueue.push(op);
    refresh(s, op, now);
  }

  /** Drops the flag changes and departures no open auction can need (each opened at `now` − `period` or later). */
  function prune(s: SealedBidState, now: Seconds): void {
    const horizon = now - period - 1;
    s.log.prune(horizon);
    while (s.leftHead < s.leftQueue.length) {
      const op = s.leftQueue[s.leftHead]!;
      if ((s.leftAt[op] ?? -Infinity) >= horizon) break;
      s.leftHead++;
      setHold(s, op, now);
    }
    if (s.leftHead > 1024 && s.leftHead * 2 > s.leftQueue.length) {
      s.leftQueue = s.leftQueue.slice(s.leftHead);
      s.leftHead = 0;
    }
  }

  /** `op` won `rec`: for a gang job, its entity staffs the gang with nodes of its own (no `members` in the assign). */
  function gangWon(s: SealedBidState, rec: SbJob, op: number): void {
    if (gangSize(rec.job) <= 1) return;
    // The shell's free times of the gang's members move without a notice (`gang-work.ts`): from now on the close counts only named busy members.
    s.gangSeen = true;
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

  return { refresh, restaked, left, prune, gangWon, gangEnded };
}
