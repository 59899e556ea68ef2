import type { Decision } from '../mechanisms/types.js';
import { removeAt } from '../mechanisms/remove.js';

/** A reverse-Dutch lock solicitation (`solicit` with mode `lock`). */
export type LockSolicit = Extract<Decision, { type: 'solicit' }>;

/** How many of the earliest would-be lockers of a reverse-Dutch offer the shell keeps per job (exact path). */
export const LOCK_CANDIDATES = 8;

/**
 * One would-be locker, as an answer is built: a node (exact path), or a lock class (`cls` ≥ 0: any
 * free member locks). `t` is when the ramp reaches its price, `tie` orders equal times.
 */
export interface Candidate {
  readonly t: number;
  readonly tie: number;
  readonly node: number;
  readonly cls: number;
}

/**
 * A book keeps its would-be lockers flat, {@link STRIDE} numbers each (time, tie, node, class, tries),
 * earliest first, in one array of doubles. At 10,000 operators thousands of books are open and every
 * lock attempt starts from a cold one: the first would-be locker is then one load past the array,
 * where a `Candidate` object (and its boxed tie) was two or three.
 */
export const STRIDE = 5;
/** Offsets of a would-be locker's fields in {@link LockBook.cands}. */
export const T = 0;
export const TIE = 1;
export const NODE = 2;
export const CLS = 3;
export const TRIES = 4;

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
  /** The would-be lockers, {@link STRIDE} numbers each, earliest first. */
  cands: number[];
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

/** Does a would-be locker at (`t`, `tie`) lock before the book's `k`-th? */
const beforeAt = (t: number, tie: number, cs: readonly number[], k: number): boolean => {
  const tk = cs[k * STRIDE + T]!;
  return t < tk || (t === tk && tie < cs[k * STRIDE + TIE]!);
};

/** Would-be lockers in the book. */
export const count = (b: LockBook): number => b.cands.length / STRIDE;

/** The book's would-be locker of class `cls` (-1: none). */
export function indexOfClass(b: LockBook, cls: number): number {
  const cs = b.cands;
  for (let k = CLS; k < cs.length; k += STRIDE) if (cs[k] === cls) return (k - CLS) / STRIDE;
  return -1;
}

/** The book's would-be locker for node `node` (-1: none). */
export function indexOfNode(b: LockBook, node: number): number {
  const cs = b.cands;
  for (let k = NODE; k < cs.length; k += STRIDE) if (cs[k] === node) return (k - NODE) / STRIDE;
  return -1;
}

/** The earliest exact-path would-be locker (a node, not a class) whose time is within the book's window (-1: none). */
export function firstExactTurn(b: LockBook): number {
  const cs = b.cands;
  for (let k = 0; k < cs.length; k += STRIDE) if (cs[k + CLS]! < 0 && cs[k + T]! <= b.until) return k / STRIDE;
  return -1;
}

/**
 * Drops the earliest `n` would-be lockers, in place with {@link removeAt}: `splice` would allocate the
 * array of removed elements on every lock attempt (about 5 MB in a 50,000-job run).
 */
export function dropFirst(b: LockBook, n: number): void {
  if (n > 0) removeAt(b.cands, 0, n * STRIDE);
}

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

/** Inserts `c` in time order (with no tries yet). */
export function insert(b: LockBook, c: Candidate): void {
  insertAt(b, c.t, c.tie, c.node, c.cls);
}

/** Inserts the would-be locker (`t`, `tie`, `node`, `cls`) in time order, with no tries yet (no {@link Candidate} object). */
export function insertAt(b: LockBook, t: number, tie: number, node: number, cls: number): void {
  const cs = b.cands;
  let k = cs.length / STRIDE;
  cs.push(0, 0, 0, 0, 0);
  while (k > 0 && beforeAt(t, tie, cs, k - 1)) {
    for (let f = 0; f < STRIDE; f++) cs[k * STRIDE + f] = cs[(k - 1) * STRIDE + f]!;
    k--;
  }
  const at = k * STRIDE;
  cs[at + T] = t;
  cs[at + TIE] = tie;
  cs[at + NODE] = node;
  cs[at + CLS] = cls;
  cs[at + TRIES] = 0;
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
  const i = indexOfNode(b, c.node);
  if (i >= 0 && !beforeAt(c.t, c.tie, b.cands, i)) return;
  if (i >= 0) b.cands.splice(i * STRIDE, STRIDE);
  insert(b, c);
  if (b.cands.length > 4 * LOCK_CANDIDATES * STRIDE) b.cands.length = 4 * LOCK_CANDIDATES * STRIDE;
}
