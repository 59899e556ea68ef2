import { RankForest } from './rank-forest.js';
import type { SelectionRule } from './select.js';

/** `pick`'s answer when a reputation-weighted draw is too close to call on the index's sums: recompute it. */
export const PICK_UNSURE = -2;

/** Reputations as whole multiples of 2^-32 for exact Fenwick sums (any positive one at least 1). */
const SCALE = 2 ** 32;
const quantum = (rep: number) => (rep > 0 ? Math.max(1, Math.round(rep * SCALE)) : 0);

/**
 * A set of provers (node ids below `cap`) with their reputations, indexed so that the selection
 * rule of `pickIndex` (select.ts) is O(log N) to maintain and O(log N) to O(log² N) to query,
 * instead of a sort of the set at every draw.
 *
 * - A treap over the keys (reputation, id), ordered best first: reputation down, then id up.
 * - The first k keys in that order are flagged, k = max(1, ⌈topShare × n⌉) (n members): a Fenwick
 *   tree over node ids counts the flagged members, one more sums their reputations (in whole
 *   multiples of 2^-32, so its sums are exact integers), one more counts all members. Each
 *   insertion or removal moves the flag boundary by a key or two.
 * - The top set of the rule (every member at or above the k-th highest reputation T, ties all in) is
 *   the flagged keys plus the "extras": the members tied at T past the k-th key, which are a
 *   contiguous run of the treap's order, so "extras with id below x" is one treap rank.
 *
 * `pickIndex` takes the set in ascending id order; the k-th member of the top set (or of the rest)
 * in that order is a Fenwick descent, so this picks exactly the node it picks.
 */
export class RankedPool {
  private readonly forest = new RankForest();
  private all = 0;
  private readonly member: Uint8Array;
  private readonly flagged: Uint8Array;
  private readonly value: Float64Array;
  private readonly q: Float64Array;
  /** Fenwick trees over node ids (slot i covers ids [i − lowbit(i), i)): members, flagged, flagged quanta. */
  private readonly fAll: Int32Array;
  private readonly fTop: Int32Array;
  private readonly fTopQ: Float64Array;
  private flags = 0;
  private readonly topStep: number;
  /** The current draw's cut (one object, reused: draws are hot). */
  private readonly cut: Cut = { k: 0, e: 0, threshold: 0, b: 0, last: 0 };

  constructor(
    readonly cap: number,
    readonly topShare: number,
  ) {
    if (cap >= 2 ** 21) throw new RangeError('RankedPool: at most 2^21 node ids (exact 2^-32 sums)');
    this.member = new Uint8Array(cap);
    this.flagged = new Uint8Array(cap);
    this.value = new Float64Array(cap);
    this.q = new Float64Array(cap);
    this.fAll = new Int32Array(cap + 1);
    this.fTop = new Int32Array(cap + 1);
    this.fTopQ = new Float64Array(cap + 1);
    let step = 1;
    while (step * 2 <= cap) step *= 2;
    this.topStep = step;
  }

  /** Number of members. */
  get size(): number {
    return this.forest.size(this.all);
  }

  has(id: number): boolean {
    return this.member[id] === 1;
  }

  /** Adds node `id` (id < cap, not a member) with reputation `rep`. */
  insert(id: number, rep: number): void {
    this.member[id] = 1;
    this.value[id] = rep;
    this.q[id] = quantum(rep);
    this.all = this.forest.insert(this.all, rep, ~id);
    this.add(this.fAll, id, 1);
    // Better than a flagged key: it takes a flag (the set stays the first keys), and the boundary is re-set.
    if (this.forest.countAbove(this.all, rep, ~id) < this.flags) this.flag(id, true);
    this.rebalance();
  }

  /** Removes member `id`. */
  remove(id: number): void {
    if (this.flagged[id] === 1) this.flag(id, false);
    this.member[id] = 0;
    this.all = this.forest.remove(this.all, this.value[id]!, ~id);
    this.add(this.fAll, id, -1);
    this.rebalance();
  }

  /** Puts back a member taken out with {@link remove}, at the reputation it had. */
  putBack(id: number): void {
    this.insert(id, this.value[id]!);
  }

  /** The members in ascending id order, with their reputations (O(cap): for the rare exact fallback and tests). */
  list(ids: number[], reps: number[]): void {
    ids.length = 0;
    reps.length = 0;
    for (let id = 0; id < this.cap; id++) {
      if (this.member[id] === 1) {
        ids.push(id);
        reps.push(this.value[id]!);
      }
    }
  }

  /**
   * The member that `pickIndex(reps, u, rule)` picks over the members in ascending id order: a node
   * id, -1 when empty, or {@link PICK_UNSURE} when a reputation-weighted draw falls within rounding
   * of a boundary between two members (then the caller recomputes it with the sequential sum).
   */
  pick(u: number, rule: SelectionRule): number {
    if (rule.topShare !== this.topShare) throw new RangeError('RankedPool: built for another topShare');
    const f = this.forest;
    const n = f.size(this.all);
    if (n === 0) return -1;
    const k = this.flags;
    const threshold = f.kthLargest(this.all, k - 1);
    const b = ~f.kthLargestId(this.all, k - 1);
    const top = f.countAtLeast(this.all, threshold);
    const e = top - k;
    const cut = this.cut;
    cut.k = k;
    cut.e = e;
    cut.threshold = threshold;
    cut.b = b;
    cut.last = e > 0 ? ~f.kthLargestId(this.all, top - 1) : b;
    const below = n - top;
    const eps = rule.exploration;
    if (u < eps) {
      const pool = below > 0 ? below : n;
      return this.kth(Math.min(pool - 1, Math.floor((u / eps) * pool)), cut, below > 0 ? BELOW : ALL);
    }
    const v = eps > 0 ? (u - eps) / (1 - eps) : u;
    if (rule.weighting === 'reputation') {
      const total = this.prefix(this.fTopQ, this.cap) + e * quantum(threshold);
      if (total > 0) return this.weighted(v * total, total, n, cut);
    }
    return this.kth(Math.min(top - 1, Math.floor(v * top)), cut, TOP);
  }

  /** Members tied at the threshold past the k-th key with ids below x (they have ids b < id ≤ last). */
  private extrasBelow(x: number, c: Cut): number {
    if (c.e === 0 || x <= c.b + 1) return 0;
    if (x > c.last) return c.e;
    // Keys above (threshold, x): every reputation above the threshold, and the tied ids below x.
    return this.forest.countAbove(this.all, c.threshold, ~x) - c.k;
  }

  /** The k-th (0-based) member in ascending id order among those the mode counts. */
  private kth(k: number, c: Cut, mode: number): number {
    let pos = 0;
    let rem = k;
    let exPos = 0;
    for (let step = this.topStep; step > 0; step >>= 1) {
      const next = pos + step;
      if (next > this.cap) continue;
      const ex = mode === ALL ? 0 : this.extrasBelow(next, c);
      const top = this.fTop[next]! + ex - exPos;
      const n = mode === ALL ? this.fAll[next]! : mode === TOP ? top : this.fAll[next]! - top;
      if (n <= rem) {
        pos = next;
        rem -= n;
        exPos = ex;
      }
    }
    return pos;
  }

  /**
   * The first top-set member in ascending id order whose prefix sum of reputations exceeds the
   * target (`target` and `total` in quanta of 2^-32). `pickIndex` sums the floats in sequence; the
   * quanta are within n of 2^32 × the exact sums, and any float sum of m non-negative terms within
   * (m − 1) × 2^-53 × the total of them: when the target is further than a margin above both from
   * each end of the member's interval, both pick the same member; otherwise PICK_UNSURE (a chance of
   * about 4n × 2^-32 per draw).
   */
  private weighted(target: number, total: number, n: number, c: Cut): number {
    let pos = 0;
    let acc = 0;
    let exPos = 0;
    const qT = quantum(c.threshold);
    for (let step = this.topStep; step > 0; step >>= 1) {
      const next = pos + step;
      if (next > this.cap) continue;
      const ex = this.extrasBelow(next, c);
      const s = this.fTopQ[next]! + qT * (ex - exPos);
      if (acc + s <= target) {
        pos = next;
        acc += s;
        exPos = ex;
      }
    }
    if (pos >= this.cap || this.member[pos] !== 1) return PICK_UNSURE;
    if (this.flagged[pos] !== 1 && !(this.value[pos] === c.threshold && pos > c.b)) return PICK_UNSURE;
    const margin = 2 * n + 2 + (n + 64) * 2 ** -49 * total;
    // acc = 0 is exact: every top member before `pos` has reputation 0, so no sum stops before it.
    if ((acc > 0 && target - acc <= margin) || acc + this.q[pos]! - target <= margin) return PICK_UNSURE;
    return pos;
  }

  /** Flags or unflags member `id` (in the Fenwick trees). */
  private flag(id: number, on: boolean): void {
    const d = on ? 1 : -1;
    this.flagged[id] = on ? 1 : 0;
    this.flags += d;
    this.add(this.fTop, id, d);
    this.add(this.fTopQ, id, d * this.q[id]!);
  }

  /** Moves the flag boundary to k = max(1, ⌈topShare × n⌉) keys (0 when empty). */
  private rebalance(): void {
    const f = this.forest;
    const n = f.size(this.all);
    const k = n === 0 ? 0 : Math.max(1, Math.min(n, Math.ceil(this.topShare * n - 1e-9)));
    while (this.flags < k) this.flag(~f.kthLargestId(this.all, this.flags), true);
    while (this.flags > k) this.flag(~f.kthLargestId(this.all, this.flags - 1), false);
  }

  private add(tree: Int32Array | Float64Array, id: number, d: number): void {
    for (let i = id + 1; i <= this.cap; i += i & -i) tree[i]! += d;
  }

  /** Sum of a Fenwick tree over ids below x. */
  private prefix(tree: Int32Array | Float64Array, x: number): number {
    let s = 0;
    for (let i = x; i > 0; i -= i & -i) s += tree[i]!;
    return s;
  }
}

/** Which members a rank query counts. */
const ALL = 0;
const TOP = 1;
const BELOW = 2;

/** Where the top set ends: k flagged keys, e extras tied at the threshold, with ids in (b, last]. */
interface Cut {
  k: number;
  e: number;
  threshold: number;
  b: number;
  last: number;
}
