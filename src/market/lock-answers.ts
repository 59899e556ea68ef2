import { gangCandidates } from './gang-work.js';
import { hashUniform } from '../mechanisms/beacon.js';
import type { Decision, Job } from '../mechanisms/types.js';
import { fits } from '../mechanisms/types.js';
import { LOCK_TRY, type MarketContext } from './context.js';
import type { Entity, Node } from './population.js';

/** How many of the earliest would-be lockers of a reverse-Dutch offer the shell keeps per job (exact path). */
export const LOCK_CANDIDATES = 8;
/** Members of one lock class tried per job before the class is given up (collateral, refusals). */
const CLASS_TRIES = 8;
/** Random draws of a free class member before a scan (a draw is exactly uniform over the free members). */
const CLASS_DRAWS = 8;

type LockSolicit = Extract<Decision, { type: 'solicit' }>;

/**
 * One would-be locker: a node (exact path), or a lock class (`cls` ≥ 0: any free member locks). `t`
 * is when the ramp reaches its price, `tie` orders equal times.
 */
interface Candidate {
  readonly t: number;
  readonly tie: number;
  readonly node: number;
  readonly cls: number;
  tries: number;
}

/** A job's would-be lockers, earliest first, and the one kernel event that tries the next. */
interface LockBook {
  readonly jobId: number;
  /** The latest solicitation's window, price, ramp and reaction delay. */
  until: number;
  reward: number;
  ramp: LockSolicit['ramp'];
  delay: number;
  /** Nodes the job's last solicitation to all reached (a learner's `bidders` when it is re-offered alone). */
  reach: number;
  cands: Candidate[];
  handle: number;
  armedAt: number;
  /** A lock sent at `sentAt` is in flight until `sentAt + delay`. */
  sentAt: number;
}

/**
 * Nodes whose lock price is a pure function of (hardware model, cost factor, margin, job) answer a
 * lock solicitation as one class: one strategy call per class, not per node.
 */
interface LockClass {
  readonly nodes: number[];
  readonly rep: Node;
  readonly owner: Entity;
}

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
export function createLockAnswers(ctx: MarketContext): LockAnswers {
  const { sim, nodes, entities, metrics } = ctx;
  const books = new Map<number, LockBook>();
  const seed = ctx.seeds.raceOrder;
  const { classes, classOf } = lockClasses(nodes, entities);
  const allPure = classOf.every((c) => c >= 0);

  sim.on(LOCK_TRY, (jobId) => fire(jobId));

  /**
   * A node whose lock is on its way to the chain holds its capacity until it lands: the broker's
   * committer takes a `max_concurrent_proofs` slot when it dispatches an order to its locker and
   * frees it only if the lock fails (boundless-xyz/boundless@3835bc4
   * crates/broker/src/order_committer/service.rs:15-30, :236). Until then it sends no other lock.
   */
  const inFlightUntil = new Float64Array(nodes.length).fill(-Infinity);
  /**
   * Can node `i` lock now? One rule for both paths: it is active and free, with no lock in flight.
   * Its answer stands while the job is open, as a broker's priced order stays pending until it has
   * capacity (the committer dispatches pending orders as slots free, service.rs:28-30). A
   * capacity-blind node (`overcommits`) locks whatever its queue holds, as before.
   */
  const canLock = (i: number): boolean => {
    const n = nodes[i]!;
    if (!n.active || n.ejected) return false;
    if (ctx.ownerOf[i]!.strategy.overcommits === true) return true;
    return n.outstanding === 0 && inFlightUntil[i]! < sim.now;
  };
  const locked = (jobId: number): boolean => {
    const rec = ctx.jobs.get(jobId);
    return !rec || (rec.locker ?? -1) >= 0;
  };

  /** When the ramp reaches `want` (micro-USD), or -1 if never before `until`. */
  function lockTime(b: Pick<LockBook, 'ramp' | 'reward' | 'until'>, want: number): number {
    const r = b.ramp;
    const now = sim.now;
    let t: number;
    if (!r || want <= b.reward) t = now;
    else if (want > r.to) return -1;
    else t = r.start + (r.to === r.from ? 0 : Math.ceil(((want - r.from) * (r.end - r.start)) / (r.to - r.from)));
    if (t < now) t = now;
    return t > b.until ? -1 : t;
  }

  function bookOf(d: LockSolicit): LockBook {
    let b = books.get(d.jobId);
    if (!b) {
      if (books.size > 2 * ctx.jobs.size + 1024) sweep();
      b = {
        jobId: d.jobId,
        until: 0,
        reward: 0,
        ramp: undefined,
        delay: 0,
        reach: 0,
        cands: [],
        handle: -1,
        armedAt: Infinity,
        sentAt: -Infinity,
      };
      books.set(d.jobId, b);
    }
    b.until = d.until;
    b.reward = d.reward;
    b.ramp = d.ramp;
    b.delay = d.delay ?? 0;
    return b;
  }

  /** Forgets the books of jobs that ended or were locked. */
  function sweep(): void {
    for (const [id, b] of books) {
      if (!locked(id)) continue;
      if (b.handle >= 0) sim.cancel(b.handle);
      books.delete(id);
    }
  }

  function insert(b: LockBook, c: Candidate): void {
    const cs = b.cands;
    let k = cs.length;
    cs.push(c);
    while (k > 0 && before(c, cs[k - 1]!)) {
      cs[k] = cs[k - 1]!;
      k--;
    }
    cs[k] = c;
  }

  /** One kernel event per job, at its earliest would-be locker (an earlier one replaces it). */
  function arm(b: LockBook, at: number): void {
    if (at < sim.now) at = sim.now;
    if (b.handle >= 0) {
      if (b.armedAt <= at) return;
      sim.cancel(b.handle);
    }
    b.armedAt = at;
    b.handle = sim.at(at, LOCK_TRY, b.jobId, 0);
  }

  const lockJobOf = (until: number, job: Job): Job => (until < job.deadline ? { ...job, deadline: until } : job);
  const tieOf = (jobId: number, node: number): number => hashUniform(seed ^ 0x10c4, jobId, node, 1);

  /** The exact answer of node `id`: its strategy's lock price, and when the ramp reaches it. */
  function exactCandidate(b: LockBook, lockJob: Job, id: number, bidders: number | undefined): Candidate | undefined {
    const n = nodes[id]!;
    const e = entities[n.info.entity]!;
    const p = e.strategy.lockPrice(ctx.quote(n, lockJob, bidders), e.view, ctx.agentRng[e.id]!.next());
    if (p === null) return undefined;
    const t = lockTime(b, Math.round(p * 1e6));
    return t < 0 ? undefined : { t, tie: tieOf(lockJob.id, id), node: id, cls: -1, tries: 0 };
  }

  /**
   * A class's answer: one strategy call on a free stand-in node. Its tie is the least of the
   * members' uniform ties (1 − (1 − u)^(1/size)), so a larger class wins an equal-time tie as often
   * as its members would one by one.
   */
  function classCandidate(b: LockBook, lockJob: Job, k: number): Candidate | undefined {
    const c = classes[k]!;
    if (!fits(c.rep.info.capacity, lockJob.request)) return undefined;
    const p = c.owner.strategy.lockPrice(ctx.quote(c.rep, lockJob), c.owner.view, 0);
    if (p === null) return undefined;
    const t = lockTime(b, Math.round(p * 1e6));
    if (t < 0) return undefined;
    const u = hashUniform(seed ^ 0x10c4, lockJob.id, nodes.length + k, 1);
    return { t, tie: 1 - (1 - u) ** (1 / c.nodes.length), node: -1, cls: k, tries: 0 };
  }

  /** Every eligible node answers (as a class where all can); the earliest few are kept. */
  function respondAll(d: LockSolicit, job: Job): void {
    const b = bookOf(d);
    const lockJob = lockJobOf(d.until, job);
    if (allPure && d.exclude.length === 0 && job.gang === undefined) {
      for (let k = 0; k < classes.length; k++) {
        if (b.cands.some((c) => c.cls === k)) continue;
        const c = classCandidate(b, lockJob, k);
        if (c) insert(b, c);
      }
    } else {
      // A gang job: only entity leads that can field N nodes may lock (docs/gang.md).
      const all = candidatesOf(ctx, job, d.exclude);
      const list = job.gang === undefined ? all : gangCandidates(all, job, ctx.nodes, ctx.entities, true);
      b.reach = list.length;
      // The earliest LOCK_CANDIDATES of this solicitation, merged into the job's (a node once).
      const best: Candidate[] = [];
      for (const id of list) {
        const c = exactCandidate(b, lockJob, id, list.length);
        if (!c || (best.length >= LOCK_CANDIDATES && !before(c, best[best.length - 1]!))) continue;
        let k = best.length < LOCK_CANDIDATES ? best.length : best.length - 1;
        while (k > 0 && before(c, best[k - 1]!)) {
          best[k] = best[k - 1]!;
          k--;
        }
        best[k] = c;
      }
      for (const c of best) {
        // A node once: its newer answer replaces the older if it locks sooner (a learner's price moves).
        const i = b.cands.findIndex((o) => o.node === c.node);
        if (i >= 0 && !before(c, b.cands[i]!)) continue;
        if (i >= 0) b.cands.splice(i, 1);
        insert(b, c);
      }
      if (b.cands.length > 4 * LOCK_CANDIDATES) b.cands.length = 4 * LOCK_CANDIDATES;
    }
    if (b.cands.length > 0) arm(b, b.cands[0]!.t);
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
    const lockJob = lockJobOf(d.until, job);
    let c: Candidate | undefined;
    if (classOf[x]! >= 0) {
      if (b.cands.some((o) => o.node === x)) return;
      const e = ctx.ownerOf[x]!;
      const p = e.strategy.lockPrice(ctx.quote(nodes[x]!, lockJob), e.view, 0);
      const t = p === null ? -1 : lockTime(b, Math.round(p * 1e6));
      if (t >= 0) c = { t, tie: tieOf(job.id, x), node: x, cls: -1, tries: 0 };
    } else c = exactCandidate(b, lockJob, x, b.reach > 0 ? b.reach : undefined);
    if (!c) return;
    const i = b.cands.findIndex((o) => o.node === x);
    if (i >= 0 && !before(c, b.cands[i]!)) return;
    if (i >= 0) b.cands.splice(i, 1);
    insert(b, c);
    if (b.cands.length > 4 * LOCK_CANDIDATES) b.cands.length = 4 * LOCK_CANDIDATES;
    arm(b, b.cands[0]!.t);
  }

  /** Sends node `op`'s lock; true when it took or is in flight (then the book waits for it to land). */
  function send(b: LockBook, job: Job, op: number): boolean {
    // Capital bounds collateral: a lock the entity cannot cover is not sent (see collateral-limits.ts),
    // unless the mechanism applies the contract's own rule (`collateralBalance`).
    if (ctx.collateralFor && !ctx.collateralChecked && !ctx.canPost(nodes[op]!.info.entity, ctx.collateralFor(job, 0))) {
      metrics.refusedForCollateral++;
      return false;
    }
    ctx.feed({ type: 'lock', jobId: b.jobId, operator: op });
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

  /** A free member of class `c`: uniform draws first, then a scan from a random place. */
  function member(c: Candidate, jobId: number): number {
    const ms = classes[c.cls]!.nodes;
    for (let k = 0; k < CLASS_DRAWS; k++) {
      const id = ms[Math.floor(hashUniform(seed ^ 0x1c5, jobId, c.tries * CLASS_DRAWS + k, 3) * ms.length)]!;
      if (canLock(id)) return id;
    }
    const first = Math.floor(hashUniform(seed ^ 0x1c5, jobId, c.tries, 4) * ms.length);
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
    while (open && cs.length > 0 && cs[0]!.t <= now) {
      const c = cs.shift()!;
      if (c.cls < 0 && canLock(c.node) && c.t <= b.until) ctx.feedback.offered(b.jobId, nodes[c.node]!.info.entity);
    }
    const next = cs.findIndex((c) => c.cls < 0 && c.t <= b.until);
    if (!open || !ctx.feedback.enabled || next < 0) {
      books.delete(b.jobId);
      return;
    }
    cs.splice(0, next);
    arm(b, cs[0]!.t);
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
    while (cs.length > 0 && cs[0]!.t <= now && now <= b.until) {
      const c = cs[0]!;
      const op = c.cls >= 0 ? member(c, jobId) : canLock(c.node) ? c.node : -1;
      if (c.cls < 0 || op < 0 || ++c.tries >= CLASS_TRIES) cs.shift();
      if (op >= 0 && send(b, rec.job, op)) return;
    }
    if (now > b.until) cs.length = 0;
    if (cs.length > 0) arm(b, cs[0]!.t);
  }

  return {
    respond(d, job) {
      if (d.to !== undefined && job.gang === undefined) respondOne(d, job, d.to);
      else respondAll(d, job);
    },
  };
}

const before = (a: Candidate, b: Candidate): boolean => a.t < b.t || (a.t === b.t && a.tie < b.tie);

/** Is node `i` active, fitting the job, not excluded, and free (with `needFree`) unless capacity-blind? */
export function eligible(
  ctx: Pick<MarketContext, 'nodes' | 'entities'>,
  i: number,
  job: Job,
  exclude: readonly number[],
  needFree: boolean,
): boolean {
  const n = ctx.nodes[i];
  if (!n || !n.active || n.ejected || !fits(n.info.capacity, job.request) || exclude.includes(i)) return false;
  return !needFree || n.outstanding === 0 || ctx.entities[n.info.entity]!.strategy.overcommits === true;
}

/** The exact path's solicitation: every eligible free node. */
function candidatesOf(ctx: MarketContext, job: Job, exclude: readonly number[]): number[] {
  const list: number[] = [];
  for (let i = 0; i < ctx.nodes.length; i++) if (eligible(ctx, i, job, exclude, true)) list.push(i);
  return list;
}

/**
 * Strategies whose lock price is a pure function of the quote and the entity's margin: `cost-plus`
 * without its scarcity option, and `truthful` (cost-plus at margin 0). They read neither the
 * random draw, nor the number of bidders, nor memory, and never overcommit (src/agents/strategies/cost-plus.ts).
 */
function pureLocker(e: Entity): boolean {
  const t = e.strategy.type;
  if (t === 'truthful') return true;
  return t === 'cost-plus' && !(Number(e.view.params?.scarcity ?? 0) > 0) && e.strategy.overcommits !== true;
}

/** Groups the nodes of pure lockers by (strategy, margin, hardware model and cost factor, failure rate, capacity). */
function lockClasses(nodes: readonly Node[], entities: readonly Entity[]): { classes: LockClass[]; classOf: number[] } {
  const classes: LockClass[] = [];
  const byKey = new Map<string, number>();
  const models = new Map<object, number>();
  const classOf = nodes.map((n) => {
    const e = entities[n.info.entity]!;
    // Several identities of one machine share its queue (`sybil`): not a free node's quote.
    if (!pureLocker(e) || (e.strategy.identities ?? 1) > 1) return -1;
    let m = models.get(n.model);
    if (m === undefined) models.set(n.model, (m = models.size));
    const cap = n.info.capacity;
    const key = `${e.strategy.type}|${e.view.margin}|${m}|${n.failureProb}|${cap.cpus}/${cap.gpus}/${cap.memoryGb}`;
    let k = byKey.get(key);
    if (k === undefined) {
      k = classes.length;
      byKey.set(key, k);
      // The class's stand-in: a free node of its model (a quote reads the model, the queue and the failure rate).
      const rep: Node = {
        info: n.info,
        model: n.model,
        failureProb: n.failureProb,
        freeAt: -Infinity,
        outstanding: 0,
        active: true,
        ejected: false,
      };
      classes.push({ nodes: [], rep, owner: e });
    }
    classes[k]!.nodes.push(n.info.id);
    return k;
  });
  return { classes, classOf };
}
