/**
 * Sealed-bid's class walk (issue 10, bid classes): which ready members of a class a job keeps at
 * submission, which busy ones it names, how many of them a class bid covers, and which two of
 * them count at the close. Split from the
 * rules in `index.ts`; the stopping rule is explained in docs/mechanisms/sealed-bid.md.
 */
import { fromRotationKey, rotationKey } from '../bid-classes.js';
import * as stake from '../stake.js';
import type { Job, Micros, Seconds } from '../types.js';
import { BUSY_BIT, READY_BIT } from './flag-log.js';
import type { Bid, SbJob, SealedBidState } from './index.js';
import type { SealedBidParams } from './params.js';

/** What the class walk reads of the rules: the parameters, whether stake decides eligibility, and the cap. */
export interface ClassWalkConfig {
  readonly p: SealedBidParams;
  readonly staking: boolean;
  readonly mayHold: (s: SealedBidState, op: number, now: Seconds) => boolean;
}

/** No members: the walk's lists for a class whose class bid stands for all its busy members. */
const NONE: readonly number[] = Object.freeze([]);

/**
 * `rec.ready` of a class the job does not walk: its class bid stands for every member ready at the open
 * and every busy one but the exceptions it names, and the close searches them ({@link classWalk}'s `classBest`).
 */
export const EVERY: number[] = Object.freeze([]) as unknown as number[];

/**
 * The active nodes of a set of eligible profiles in ascending id order, listed once and kept until a
 * node joins or leaves (the active set rarely changes, and a Fenwick descent over 10,000 ids per job
 * was a chain of cache misses); undefined for a set of profiles numbered 30 or more (then `kth`).
 */
function activeList(s: SealedBidState, ps: readonly number[]): Int32Array | undefined {
  let key = 0;
  for (let i = 0; i < ps.length; i++) {
    if (ps[i]! >= 30) return undefined;
    key |= 1 << ps[i]!;
  }
  let e = s.rotation.get(key);
  if (e === undefined) s.rotation.set(key, (e = { version: -1, ids: new Int32Array(0) }));
  if (e.version !== s.active.version) {
    e.ids = Int32Array.from(s.active.listFree(ps));
    e.version = s.active.version;
  }
  return e.ids;
}

/** The class walk's steps: the job's reach, the walk of one class at submission, a class bid, and its best two at the close. */
export function classWalk({ p, staking, mayHold }: ClassWalkConfig) {
  /** The wins in other auctions that would end an eligible node's eligibility. */
  function slack(s: SealedBidState, op: number): number {
    if (staking) {
      const per = stake.perJob(s.stakes);
      return per > 0 ? Math.max(1, Math.floor(stake.freeStake(s.stakes, op) / per)) : Infinity;
    }
    return p.maxConcurrent > 0 ? Math.max(1, p.maxConcurrent - (s.held[op] ?? 0)) : Infinity;
  }

  const profiles: number[] = [];

  /** Active nodes that fit the job, and the node at rotation position floor(u × that number). */
  function reach(s: SealedBidState, job: Job, u: number): { n: number; start: number } {
    s.active.eligibleProfiles(job.request, profiles);
    const n = s.active.countFree(profiles);
    if (n === 0) return { n, start: 0 };
    const k = Math.min(n - 1, Math.floor(u * n));
    const ids = activeList(s, profiles);
    return { n, start: ids ? ids[k]! : s.active.kth(profiles, k) };
  }

  /**
   * At submission, for class `c`: its ready members in the job's rotation up to the point where
   * they alone would settle the auction (kept in `rec.ready` for the class bid), and the busy
   * members before that point (pushed on `busy`: the mechanism names them, see {@link onClassBid}).
   */
  function walkClass(s: SealedBidState, rec: SbJob, c: number, busy: number[], now: Seconds): void {
    const kept: number[] = [];
    rec.ready[c] = kept;
    const before = rec.before;
    let sum = 0;
    let max = 0;
    const gangs = s.gangsHeld > 0;
    // One pass over the class in rotation order: the busy members met before the stopping point are named.
    s.classes.walk(c, rec.start, (op, ready) => {
      // An idle member of an entity that holds a gang job may be staffed into it: named as busy, so the shell reads its queue.
      if (!ready || (gangs && (s.gangs[s.entityOf[op]!] ?? 0) > 0)) {
        // Busy members are flagged only with the free stake to bid (index.ts `refresh`): the class bid drops the others.
        if (!staking || stake.eligible(s.stakes, op, now)) busy.push(op);
        return true;
      }
      kept.push(op);
      const w = slack(s, op);
      sum += w;
      if (w > max) max = w;
      return !(sum - max > before);
    });
  }

  /**
   * A class bid: the ready members of the class kept at submission and the busy ones the bidder
   * names (`also`) bid `price`. The stopping rule of {@link walkClass} makes sure the auctions that
   * close first (`before`: each gives one node one more job, and a member stays eligible for
   * `slack` more) cannot leave fewer than two of the kept members eligible, so the lowest two
   * eligible at the close are among them and the busy ones named before the stopping point: the
   * class bid keeps both lists, and the close reads its first two eligible ({@link classBest}).
   * No `Bid` record per member. O(busy named).
   */
  function onClassBid(
    s: SealedBidState,
    rec: SbJob,
    c: number,
    price: Micros,
    also: readonly number[],
    except: readonly number[] | undefined,
    now: Seconds,
  ) {
    if (rec.classes.includes(c)) return 'already';
    rec.classes.push(c);
    const ready = rec.ready[c];
    if (!ready || rec.start < 0) return undefined; // a class the solicitation did not reach
    if (ready === EVERY) {
      // Every busy member bids but the exceptions; a bidder that names none (`except` absent) counts no busy member.
      rec.classBids.push({ price, c, ready: NONE, busy: NONE, except: except ?? NONE, everyBusy: except !== undefined });
      rec.ready[c] = undefined;
      return undefined;
    }
    const start = rec.start;
    // The busy members, as the bid was checked when it arrived (stake before the auction), as
    // rotation keys (a key is a node id turned around `start`), ascending. The shell names them in
    // the rotation order of the solicitation, so the sort is usually skipped.
    const busy: number[] = [];
    let sorted = true;
    for (const op of also) {
      if (s.classes.classOfNode(op) !== c || !s.active.isFree(op) || (staking && !stake.eligible(s.stakes, op, now))) continue;
      const k = rotationKey(op, start);
      if (busy.length > 0 && k < busy[busy.length - 1]!) sorted = false;
      busy.push(k);
    }
    if (!sorted) busy.sort((x, y) => x - y);
    rec.classBids.push({ price, c, ready, busy, except: NONE, everyBusy: false });
    rec.ready[c] = undefined;
    return undefined;
  }

  /**
   * At the close: the first two members of each class bid, in rotation order among the kept ones, that
   * may hold one more job now, as bids ranked by rotation (the lowest two eligible of the class).
   */
  function classBest(s: SealedBidState, rec: SbJob, now: Seconds, out: Bid[]): void {
    const start = rec.start;
    for (const cb of rec.classBids) {
      if (cb.ready === NONE) {
        search(s, rec, cb, out);
        continue;
      }
      const { ready, busy } = cb;
      let i = 0;
      let j = 0;
      let found = 0;
      while (found < 2 && (i < ready.length || j < busy.length)) {
        const op =
          j >= busy.length || (i < ready.length && rotationKey(ready[i]!, start) < busy[j]!)
            ? ready[i++]!
            : fromRotationKey(busy[j++]!, start);
        if (!mayHold(s, op, now)) continue;
        out.push({ operator: op, price: cb.price, seq: rotationKey(op, start) });
        found++;
      }
    }
    while (rec.classBids.length > 0) rec.classBids.pop();
  }

  /**
   * The close-time search of a class bid that stands for the whole class: its first two members in
   * rotation order that may hold one more job now and bid at the open (ready then, or busy then and not
   * an exception), read from the may-hold bitset and the flags' log. O(words passed + members checked).
   */
  function search(s: SealedBidState, rec: SbJob, cb: ClassBidders, out: Bid[]): void {
    const { start, stamp } = rec;
    let found = 0;
    s.classes.scanHold(cb.c, start, (op) => {
      const f = s.log.at(op, stamp);
      if ((f & READY_BIT) === 0 && ((f & BUSY_BIT) === 0 || !cb.everyBusy || cb.except.includes(op))) return true;
      out.push({ operator: op, price: cb.price, seq: rotationKey(op, start) });
      return ++found < 2;
    });
  }

  return { reach, walkClass, onClassBid, classBest };
}

/** A class bid's bidders, kept until the close: its ready and named busy members, merged in rotation order there. */
export interface ClassBidders {
  readonly price: Micros;
  readonly c: number;
  /** The busy members that cannot finish by the deadline (a class bid that stands for every busy member). */
  readonly except: readonly number[];
  /** Every busy member at the open bids but `except` (else only the named ones in `busy`). */
  readonly everyBusy: boolean;
  /** Ready members at submission, in rotation order. */
  readonly ready: readonly number[];
  /** The named busy members that bid, as rotation keys, ascending. */
  readonly busy: readonly number[];
}
