/**
 * Sealed-bid's class walk (issue 10, bid classes): which ready members of a class a job keeps at
 * submission, which busy ones it names, and how a class bid becomes per-node bids. Split from the
 * rules in `index.ts`; the stopping rule is explained in docs/mechanisms/sealed-bid.md.
 */
import { BUSY, fromRotationKey, rotationKey } from '../bid-classes.js';
import * as stake from '../stake.js';
import type { Job, Micros, Seconds } from '../types.js';
import type { SbJob, SealedBidState } from './index.js';
import type { SealedBidParams } from './params.js';

/** What the class walk reads of the rules: the parameters, whether stake decides eligibility, and the cap. */
export interface ClassWalkConfig {
  readonly p: SealedBidParams;
  readonly staking: boolean;
  readonly mayHold: (s: SealedBidState, op: number, now: Seconds) => boolean;
}

/** The class walk's three steps: the job's reach, the walk of one class at submission, and a class bid. */
export function classWalk({ p, staking, mayHold }: ClassWalkConfig) {
  /** The wins in other auctions that would end an eligible node's eligibility. */
  function slack(s: SealedBidState, op: number): number {
    if (staking) {
      const per = stake.perJob(s.stakes);
      return per > 0 ? Math.max(1, Math.floor(stake.freeStake(s.stakes, op) / per)) : Infinity;
    }
    return p.maxConcurrent > 0 ? Math.max(1, p.maxConcurrent - (s.held[op] ?? 0)) : Infinity;
  }

  let keys = new Float64Array(64);

  const profiles: number[] = [];

  /** Active nodes that fit the job, and the node at rotation position floor(u × that number). */
  function reach(s: SealedBidState, job: Job, u: number): { n: number; start: number } {
    s.active.eligibleProfiles(job.request, profiles);
    const n = s.active.countFree(profiles);
    return { n, start: n > 0 ? s.active.kth(profiles, Math.min(n - 1, Math.floor(u * n))) : 0 };
  }

  /**
   * At submission, for class `c`: its ready members in the job's rotation up to the point where
   * they alone would settle the auction (kept in `rec.ready` for the class bid), and the busy
   * members before that point (pushed on `busy`: the mechanism names them, see {@link onClassBid}).
   */
  function walkClass(s: SealedBidState, rec: SbJob, c: number, busy: number[]): void {
    const start = rec.start;
    const ready = s.classes.readyCount(c);
    const from = s.classes.rotationFrom(c, start);
    const kept: number[] = [];
    rec.ready[c] = kept;
    let sum = 0;
    let max = 0;
    let stop = Infinity;
    for (let i = 0; i < ready; i++) {
      const op = s.classes.readyAt(c, from, i);
      kept.push(op);
      const w = slack(s, op);
      sum += w;
      if (w > max) max = w;
      if (sum - max > rec.before) {
        stop = rotationKey(op, start);
        break;
      }
    }
    const nb = s.classes.count(c, BUSY);
    const bfrom = nb > 0 ? s.classes.rotationFrom(c, start, BUSY) : 0;
    for (let j = 0; j < nb; j++) {
      const op = s.classes.at(c, bfrom, j, BUSY);
      if (rotationKey(op, start) >= stop) break;
      busy.push(op);
    }
  }

  /**
   * A class bid: the ready members of the class (idle, from the index) and the busy ones the bidder
   * names (`also`) bid `price`. They are taken in the job's arrival rotation until the auctions that
   * close first (`before`) cannot make all but one of the kept eligible members ineligible: each
   * such auction gives one node one more job, and a member stays eligible for `slack` more. So
   * the lowest two eligible at the close are among the kept ones. Members at their cap now are kept
   * too (a slot may free before the close). O((kept + busy) log N).
   */
  function onClassBid(s: SealedBidState, rec: SbJob, c: number, price: Micros, also: readonly number[], now: Seconds) {
    if (rec.classes.includes(c)) return 'already';
    rec.classes.push(c);
    const ready = rec.ready[c];
    if (!ready || rec.start < 0) return undefined; // a class the solicitation did not reach
    const start = rec.start;
    // The busy members, as the bid was checked when it arrived (stake before the auction), in
    // rotation order: their rotation keys sorted as numbers (a key is its node id turned around `start`).
    let nb = 0;
    if (keys.length < also.length) keys = new Float64Array(also.length * 2);
    for (const op of also) {
      if (s.classes.classOfNode(op) === c && s.active.isFree(op) && (!staking || stake.eligible(s.stakes, op, now)))
        keys[nb++] = rotationKey(op, start);
    }
    const busy = keys.subarray(0, nb).sort();
    let i = 0;
    let j = 0;
    // The cheapest way for the auctions closing first to leave at most one kept member eligible: every slack but the largest.
    let sum = 0;
    let max = 0;
    while (sum - max <= rec.before && (i < ready.length || j < busy.length)) {
      const op =
        j >= busy.length || (i < ready.length && rotationKey(ready[i]!, start) < busy[j]!)
          ? ready[i++]!
          : fromRotationKey(busy[j++]!, start);
      rec.bids.push({ operator: op, price, seq: s.seq++ });
      if (!mayHold(s, op, now)) continue;
      const w = slack(s, op);
      sum += w;
      if (w > max) max = w;
    }
    rec.ready[c] = undefined;
    return undefined;
  }

  return { reach, walkClass, onClassBid };
}
