import type { Decision } from '../mechanisms/types.js';

/** A reverse-Dutch lock solicitation (`solicit` with mode `lock`). */
export type LockSolicit = Extract<Decision, { type: 'solicit' }>;

/** How many of the earliest would-be lockers of a reverse-Dutch offer the shell keeps per job (exact path). */
export const LOCK_CANDIDATES = 8;

/**
 * One would-be locker: a node (exact path), or a lock class (`cls` ≥ 0: any free member locks). `t`
 * is when the ramp reaches its price, `tie` orders equal times.
 */
export interface Candidate {
  readonly t: number;
  readonly tie: number;
  readonly node: number;
  readonly cls: number;
  tries: number;
}

/** A job's would-be lockers, earliest first, and the one kernel event that tries the next. */
export interface LockBook {
  /** The job (a book is reused for another job once its own is done: lock-books.ts). */
  jobId: number;
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

/** A book with no would-be locker yet. */
export function emptyBook(jobId: number): LockBook {
  return { jobId, until: 0, reward: 0, ramp: undefined, delay: 0, reach: 0, cands: [], handle: -1, armedAt: Infinity, sentAt: -Infinity };
}

/** Does `a` lock before `b`? (Earlier time; at one second, the smaller per-job hash.) */
export const before = (a: Candidate, b: Candidate): boolean => a.t < b.t || (a.t === b.t && a.tie < b.tie);

/** When the ramp reaches `want` (micro-USD), not before `now`; -1 if never by the book's `until`. */
export function lockTime(b: Pick<LockBook, 'ramp' | 'reward' | 'until'>, want: number, now: number): number {
  const r = b.ramp;
  let t: number;
  if (!r || want <= b.reward) t = now;
  else if (want > r.to) return -1;
  else t = r.start + (r.to === r.from ? 0 : Math.ceil(((want - r.from) * (r.end - r.start)) / (r.to - r.from)));
  if (t < now) t = now;
  return t > b.until ? -1 : t;
}

/** Inserts `c` in time order. */
export function insert(b: LockBook, c: Candidate): void {
  const cs = b.cands;
  let k = cs.length;
  cs.push(c);
  while (k > 0 && before(c, cs[k - 1]!)) {
    cs[k] = cs[k - 1]!;
    k--;
  }
  cs[k] = c;
}

/** Keeps `c` among the earliest LOCK_CANDIDATES of `best` (insertion: O(N × 8), no full sort). */
export function keepEarliest(best: Candidate[], c: Candidate): void {
  if (best.length >= LOCK_CANDIDATES && !before(c, best[best.length - 1]!)) return;
  let k = best.length < LOCK_CANDIDATES ? best.length : best.length - 1;
  while (k > 0 && before(c, best[k - 1]!)) {
    best[k] = best[k - 1]!;
    k--;
  }
  best[k] = c;
}

/** Adds a node's answer, a node once: its newer answer replaces the older if it locks sooner (a learner's price moves). */
export function merge(b: LockBook, c: Candidate): void {
  const i = b.cands.findIndex((o) => o.node === c.node);
  if (i >= 0 && !before(c, b.cands[i]!)) return;
  if (i >= 0) b.cands.splice(i, 1);
  insert(b, c);
  if (b.cands.length > 4 * LOCK_CANDIDATES) b.cands.length = 4 * LOCK_CANDIDATES;
}
