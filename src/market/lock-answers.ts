import { hashUniform } from '../mechanisms/beacon.js';
import type { Job } from '../mechanisms/types.js';
import { fits } from '../mechanisms/types.js';
import type { MarketContext } from './context.js';
import { gangCandidates } from './gang-work.js';
import { createLockAttempts, type LockAttempts, type LockRoom } from './lock-attempts.js';
import {
  type Candidate,
  indexOfClass,
  indexOfNode,
  insertAt,
  keepEarliest,
  type LockBook,
  type LockSolicit,
  lockTime,
  merge,
  T,
} from './lock-book.js';
import { LockBooks } from './lock-books.js';
import { lockClasses } from './lock-classes.js';

export { LOCK_CANDIDATES } from './lock-book.js';

/** What the shell's responder needs of the lock answers. */
export interface LockAnswers {
  respond(d: LockSolicit, job: Job): void;
}

/**
 * The agents' answers to a reverse-Dutch `solicit` (mode `lock`). Each would-be locker locks when the
 * ramp reaches its price, and only the earliest matters: the shell keeps a job's would-be lockers
 * in order and schedules one lock attempt at a time, the next only when that one did not take (the
 * node is busy by then, its entity cannot post the collateral, or the mechanism refused it).
 *
 * Both paths follow one rule, so they give the same distribution (test/lock-paths.test.ts): a
 * solicitation to all (at submission, and reverse Dutch's re-offers) is answered by every eligible
 * free node, one addressed to a node (`to`) by that node alone, and a would-be locker locks at its
 * time if it is free then with no lock in flight. When every node is in a lock class (pure
 * strategies), a solicitation costs O(classes) answers, and a class's turn locks any member free at
 * that moment (a free member's answer is the class's); otherwise (learners, random draws) every
 * free node answers for itself.
 */
export function createLockAnswers(ctx: MarketContext, free: LockRoom['free']): LockAnswers {
  const { classes, classOf } = lockClasses(ctx.nodes, ctx.entities);
  const room: LockRoom = { ctx, books: new LockBooks(), classes, classOf, seed: ctx.seeds.raceOrder, free, gangs: false };
  const { respondAll, respondOne } = lockAnswerers(room, createLockAttempts(room));
  return {
    respond(d, job) {
      // Before a gang job's lock, no gang has staffed its members (gang-work.ts changes their
      // queues without a node-change notice): from the first, lock checks read the nodes.
      if (job.gang !== undefined) room.gangs = true;
      if (d.to !== undefined && job.gang === undefined) respondOne(d, job, d.to);
      else respondAll(d, job);
    },
  };
}

/** The answering side: each solicitation's would-be lockers, with their lock times, into the job's book. */
function lockAnswerers(room: LockRoom, attempts: LockAttempts) {
  const { ctx, books, classes, classOf, seed } = room;
  const { sim, nodes, entities } = ctx;
  const allPure = classOf.every((c) => c >= 0);
  const lockJobOf = (until: number, job: Job): Job => (until < job.deadline ? { ...job, deadline: until } : job);
  const tieOf = (jobId: number, node: number): number => hashUniform(seed ^ 0x10c4, jobId, node, 1);

  function bookOf(d: LockSolicit): LockBook {
    let b = books.get(d.jobId);
    if (!b) {
      if (books.size > 2 * ctx.jobs.size + 1024) attempts.sweep();
      b = books.fresh(d.jobId);
      books.set(d.jobId, b);
    }
    b.until = d.until;
    b.reward = d.reward;
    b.ramp = d.ramp;
    b.delay = d.delay ?? 0;
    return b;
  }

  /**
   * Node `id`'s answer: its strategy's lock price, and when the ramp reaches it. A learner takes its
   * random draw (`draw`); a pure strategy reads none, and none is taken (as for a class).
   */
  function nodeCandidate(b: LockBook, lockJob: Job, id: number, bidders: number | undefined, draw: boolean): Candidate | undefined {
    const n = nodes[id]!;
    const e = entities[n.info.entity]!;
    const p = e.strategy.lockPrice(ctx.quote(n, lockJob, bidders), e.view, draw ? ctx.agentRng[e.id]!.next() : 0);
    if (p === null) return undefined;
    const t = lockTime(b, Math.round(p * 1e6), sim.now);
    return t < 0 ? undefined : { t, tie: tieOf(lockJob.id, id), node: id, cls: -1 };
  }
  /**
   * A class's answer, into the book: one strategy call on a free stand-in node. Its tie is the least
   * of the members' uniform ties (1 − (1 − u)^(1/size)), so a larger class wins an equal-time tie as
   * often as its members would one by one. Written straight into the book (every submission asks
   * every class: no `Candidate` object each).
   */
  function classAnswer(b: LockBook, lockJob: Job, k: number): void {
    const c = classes[k]!;
    if (!fits(c.rep.info.capacity, lockJob.request)) return;
    const p = c.owner.strategy.lockPrice(ctx.quote(c.rep, lockJob), c.owner.view, 0);
    if (p === null) return;
    const t = lockTime(b, Math.round(p * 1e6), sim.now);
    if (t < 0) return;
    const u = hashUniform(seed ^ 0x10c4, lockJob.id, nodes.length + k, 1);
    insertAt(b, t, 1 - (1 - u) ** (1 / c.nodes.length), -1, k);
  }

  /** Every eligible node answers (as a class where all can); the earliest few are kept. */
  function respondAll(d: LockSolicit, job: Job): void {
    const b = bookOf(d);
    if (allPure && d.exclude.length === 0 && job.gang === undefined) {
      // A re-offer finds most classes answered already: the job's copy (a read of every field of a
      // record that has gone cold at 10,000 operators) only when a class answers.
      let lockJob: Job | undefined;
      for (let k = 0; k < classes.length; k++) {
        if (indexOfClass(b, k) >= 0) continue;
        lockJob ??= lockJobOf(d.until, job);
        classAnswer(b, lockJob, k);
      }
    } else {
      const lockJob = lockJobOf(d.until, job);
      // A gang job: only entity leads that can field N nodes may lock (docs/gang.md).
      const all = candidatesOf(ctx, job, d.exclude);
      const list = job.gang === undefined ? all : gangCandidates(all, job, ctx.nodes, ctx.entities, true);
      b.reach = list.length;
      // The earliest LOCK_CANDIDATES of this solicitation, merged into the job's (a node once).
      const best: Candidate[] = [];
      for (const id of list) {
        const c = nodeCandidate(b, lockJob, id, list.length, true);
        if (c) keepEarliest(best, c);
      }
      for (const c of best) merge(b, c);
    }
    if (b.cands.length > 0) attempts.arm(b, b.cands[T]!);
  }

  /**
   * Node `x` became free and is offered the job alone (`solicit.to`): it answers, and no other node
   * (on both paths: the others answered when the job was offered to them). A pure strategy reads
   * no random draw; a learner takes one, and its newer answer replaces its older if it locks sooner.
   * The solicitation's reach is not one node: the job was offered to all before, and a learner's
   * `bidders` is that solicitation's reach.
   */
  function respondOne(d: LockSolicit, job: Job, x: number): void {
    if (!eligible(ctx, x, job, d.exclude, true)) return;
    const b = bookOf(d);
    if (classOf[x]! >= 0 && indexOfNode(b, x) >= 0) return;
    const lockJob = lockJobOf(d.until, job);
    const pure = classOf[x]! >= 0;
    const c = nodeCandidate(b, lockJob, x, pure || b.reach === 0 ? undefined : b.reach, !pure);
    if (!c) return;
    merge(b, c);
    attempts.arm(b, b.cands[T]!);
  }

  return { respondAll, respondOne };
}

/** Is node `i` active, fitting the job, not excluded, and free (with `needFree`) unless capacity-blind? */
export function eligible(
  ctx: Pick<MarketContext, 'nodes' | 'entities'>,
  i: number,
  job: Job,
  exclude: readonly number[],
  needFree: boolean,
): boolean {
  const n = ctx.nodes[i];
  if (!n?.active || n.ejected || !fits(n.info.capacity, job.request) || exclude.includes(i)) return false;
  return !needFree || n.outstanding === 0 || ctx.entities[n.info.entity]!.strategy.overcommits === true;
}

/** The exact path's solicitation: every eligible free node. */
function candidatesOf(ctx: MarketContext, job: Job, exclude: readonly number[]): number[] {
  const list: number[] = [];
  for (let i = 0; i < ctx.nodes.length; i++) if (eligible(ctx, i, job, exclude, true)) list.push(i);
  return list;
}
