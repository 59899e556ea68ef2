import { hashUniform } from '../mechanisms/beacon.js';
import type { Job } from '../mechanisms/types.js';
import { CLS, dropFirst, firstExactTurn, type LockBook, NODE, T, TRIES } from './lock-book.js';
import type { LockBooks } from './lock-books.js';
import type { LockClass } from './lock-classes.js';
import { LOCK_TRY, type MarketContext } from './context.js';
import type { RaceEntryIndex } from './race-entry.js';

/** Members of one lock class tried per job before the class is given up (collateral, refusals). */
const CLASS_TRIES = 8;
/** Random draws of a free class member before a scan (a draw is exactly uniform over the free members). */
const CLASS_DRAWS = 8;

/** What the answers and the attempts of reverse-Dutch locks share during one run. */
export interface LockRoom {
  readonly ctx: MarketContext;
  /** Each open job's would-be lockers. */
  readonly books: LockBooks;
  readonly classes: readonly LockClass[];
  /** Node id → its lock class, -1: none (the exact path). */
  readonly classOf: readonly number[];
  readonly seed: number;
  /**
   * The race entry index's free candidates (active, not ejected, idle unless capacity-blind), kept
   * exact by every node-change notice: a dense read where a node's own object is a cache miss.
   */
  readonly free: Pick<RaceEntryIndex, 'isMember' | 'overcommits'>;
  /** A gang job was solicited: its members' queues change without a notice, so lock checks read the nodes. */
  gangs: boolean;
}

/** The attempts' side: the one kernel event per job, and what the answers need of it. */
export interface LockAttempts {
  /** Schedules the book's next attempt at `at` (an earlier one replaces a later). */
  arm(b: LockBook, at: number): void;
  /** Forgets the books of jobs that ended or were locked. */
  sweep(): void;
}

/**
 * Can node `i` lock now? One rule for both paths: it is active and free, with no lock in flight
 * (`inFlightUntil`). Its answer stands while the job is open, as a broker's priced order stays
 * pending until it has capacity (at capacity the committer defers its pending orders,
 * service.rs:236). A capacity-blind node (`overcommits`) locks whatever its queue holds, as before.
 */
function lockCheck(room: LockRoom, inFlightUntil: Float64Array): (i: number) => boolean {
  const { sim, nodes } = room.ctx;
  // Capacity-blindness is the race entry index's dense flag (the owner's and its strategy's objects
  // are two cache misses per check at 10,000 operators).
  const overcommits = room.free.overcommits;
  return (i) => {
    // The same rule from the index's flag: a candidate is active, not ejected, and idle or capacity-blind.
    if (!room.gangs) return room.free.isMember(i) && (overcommits[i] === 1 || inFlightUntil[i]! < sim.now);
    const n = nodes[i]!;
    if (!n.active || n.ejected) return false;
    if (overcommits[i] === 1) return true;
    return n.outstanding === 0 && inFlightUntil[i]! < sim.now;
  };
}

/**
 * The lock attempts of reverse-Dutch would-be lockers: one attempt at a time per job, at its
 * earliest would-be locker, the next only when that one did not take (its node is busy by then,
 * its entity cannot post the collateral, or the mechanism refused it). With a reaction delay the
 * next waits until the lock has landed.
 */
export function createLockAttempts(room: LockRoom): LockAttempts {
  const { ctx, books, classes, seed } = room;
  const { sim, nodes, metrics } = ctx;
  /**
   * A node whose lock is on its way to the chain holds its capacity until it lands: the broker's
   * committer takes a `max_concurrent_proofs` slot when it dispatches an order to its locker and
   * frees it only if the lock fails (boundless-xyz/boundless@3835bc4
   * crates/broker/src/order_committer/service.rs:15-30, :236). Until then it sends no other lock.
   */
  const inFlightUntil = new Float64Array(nodes.length).fill(-Infinity);
  const canLock = lockCheck(room, inFlightUntil);
  const locked = (jobId: number): boolean => {
    const rec = ctx.jobs.get(jobId);
    return !rec || (rec.locker ?? -1) >= 0;
  };

  function sweep(): void {
    books.forEach((b, id) => {
      if (!locked(id)) return;
      if (b.handle >= 0) sim.cancel(b.handle);
      books.delete(id);
    });
  }

  function arm(b: LockBook, at: number): void {
    if (at < sim.now) at = sim.now;
    if (b.handle >= 0) {
      if (b.armedAt <= at) return;
      sim.cancel(b.handle);
    }
    b.armedAt = at;
    b.handle = sim.at(at, LOCK_TRY, b.jobId, 0);
  }

  /**
   * A reusable lock input: a lock is sent only from this book's own kernel event (`fire`), at the top
   * of it, when no input is pending, and mechanisms never keep an input (as events.ts' submit input).
   */
  const lockIn: { type: 'lock'; jobId: number; operator: number } = { type: 'lock', jobId: 0, operator: 0 };

  /** Sends node `op`'s lock; true when it took or is in flight (then the book waits for it to land). */
  function send(b: LockBook, job: Job, op: number): boolean {
    // Capital bounds collateral: a lock the entity cannot cover is not sent (see collateral-limits.ts),
    // unless the mechanism applies the contract's own rule (`collateralBalance`).
    if (ctx.collateralFor && !ctx.collateralChecked && !ctx.canPost(nodes[op]!.info.entity, ctx.collateralFor(job, 0))) {
      metrics.refusedForCollateral++;
      return false;
    }
    lockIn.jobId = b.jobId;
    lockIn.operator = op;
    ctx.feed(lockIn);
    if (locked(b.jobId)) {
      if (b.handle >= 0) sim.cancel(b.handle);
      b.handle = -1;
      b.armedAt = Infinity;
      afterLock(b);
      return true;
    }
    if (b.delay <= 0) return false;
    // With a reaction delay the lock lands later: whether it took is known only then.
    b.sentAt = sim.now;
    inFlightUntil[op] = sim.now + b.delay;
    arm(b, sim.now + b.delay);
    return true;
  }

  /** A member of class `cls` (on its `tries`-th try) that can lock now: uniform draws first, then a scan from a random place. */
  function member(cls: number, tries: number, jobId: number): number {
    const ms = classes[cls]!.nodes;
    for (let k = 0; k < CLASS_DRAWS; k++) {
      const id = ms[Math.floor(hashUniform(seed ^ 0x1c5, jobId, tries * CLASS_DRAWS + k, 3) * ms.length)]!;
      if (canLock(id)) return id;
    }
    const first = Math.floor(hashUniform(seed ^ 0x1c5, jobId, tries, 4) * ms.length);
    for (let k = 0; k < ms.length; k++) {
      const id = ms[(first + k) % ms.length]!;
      if (canLock(id)) return id;
    }
    return -1;
  }

  /**
   * The job is locked. Learners hear which jobs they tried for (`observe`): the would-be lockers
   * whose turn comes while the job is still open, and who are free then, are told they offered, as
   * when their lock reached the mechanism and was refused (`taken`). Without learners the book goes.
   */
  function afterLock(b: LockBook): void {
    const cs = b.cands;
    const now = sim.now;
    const open = ctx.jobs.has(b.jobId);
    while (open && cs.length > 0 && cs[T]! <= now) {
      const t = cs[T]!;
      const cls = cs[CLS]!;
      const node = cs[NODE]!;
      dropFirst(b, 1);
      if (cls < 0 && canLock(node) && t <= b.until) ctx.feedback.offered(b.jobId, nodes[node]!.info.entity);
    }
    const next = firstExactTurn(b);
    if (!open || !ctx.feedback.enabled || next < 0) {
      // Called only from this job's own attempt (never inside another book's), with no event armed:
      // nothing holds the book after this, so it can serve a new job. (A swept book is not reused: a
      // sweep may run inside an attempt that still holds its book.)
      books.delete(b.jobId);
      books.recycle(b);
      return;
    }
    dropFirst(b, next);
    arm(b, cs[T]!);
  }

  /** Tries the would-be lockers whose time has come, in order, until one lock takes or is in flight. */
  function fire(jobId: number): void {
    const b = books.get(jobId);
    if (!b) return;
    b.handle = -1;
    b.armedAt = Infinity;
    const rec = ctx.jobs.get(jobId);
    const now = sim.now;
    if (rec && b.sentAt + b.delay > now) return arm(b, b.sentAt + b.delay);
    if (!rec || (rec.locker ?? -1) >= 0) return afterLock(b);
    const cs = b.cands;
    while (cs.length > 0 && cs[T]! <= now && now <= b.until) {
      const cls = cs[CLS]!;
      const node = cs[NODE]!;
      const op = cls >= 0 ? member(cls, cs[TRIES]!, jobId) : canLock(node) ? node : -1;
      if (cls < 0 || op < 0 || ++cs[TRIES]! >= CLASS_TRIES) dropFirst(b, 1);
      if (op >= 0 && send(b, rec.job, op)) return;
    }
    if (now > b.until) cs.length = 0;
    if (cs.length > 0) arm(b, cs[T]!);
  }

  sim.on(LOCK_TRY, (jobId) => fire(jobId));
  return { arm, sweep };
}
