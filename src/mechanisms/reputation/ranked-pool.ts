import { RankForest } from './rank-forest.js';
import type { SelectionRule } from './select.js';

/** `pick`'s answer when the float sums leave the weighted draw too close to call: recompute naively. */
export const PICK_UNSURE = -2;

/** Which members a rank query counts. */
const ALL = 0;
const AT_LEAST = 1;
const BELOW = 2;

/**
 * A set of provers (node ids below `cap`) with their reputations, indexed so that the selection
 * rule of `pickIndex` (select.ts) runs in O(log² N) instead of sorting the set at every draw.
 *
 * Two views of the same members: one treap over (reputation, id) for the top set's threshold (the
 * k-th highest reputation) and the counts above and below it; and a Fenwick tree over node ids whose
 * every slot holds a treap of its id range's members, so that "the k-th member in ascending id order
 * with reputation ≥ t" (or < t), and the prefix sums of reputation ≥ t in id order, are O(log² N).
 * `pickIndex` works on the set in ascending id order, so this picks exactly the node it picks.
 */
export class RankedPool {
  private readonly forest: RankForest;
  /** Fenwick slots 1..cap: slot i holds the members with ids in [i − lowbit(i), i). */
  private readonly slots: Int32Array;
  private all = 0;
  private readonly member: Uint8Array;
  private readonly value: Float64Array;
  private readonly topStep: number;

  constructor(readonly cap: number) {
    this.forest = new RankForest(cap * 4);
    this.slots = new Int32Array(cap + 1);
    this.member = new Uint8Array(cap);
    this.value = new Float64Array(cap);
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
    const f = this.forest;
    this.member[id] = 1;
    this.value[id] = rep;
    this.all = f.insert(this.all, rep, id);
    for (let i = id + 1; i <= this.cap; i += i & -i) this.slots[i] = f.insert(this.slots[i]!, rep, id);
  }

  /** Removes member `id`. */
  remove(id: number): void {
    const f = this.forest;
    const rep = this.value[id]!;
    this.member[id] = 0;
    this.all = f.remove(this.all, rep, id);
    for (let i = id + 1; i <= this.cap; i += i & -i) this.slots[i] = f.remove(this.slots[i]!, rep, id);
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
   * id, -1 when empty, or {@link PICK_UNSURE} when a reputation-weighted draw falls within float
   * rounding of a boundary between two members (then the caller recomputes it with the sequential sum).
   */
  pick(u: number, rule: SelectionRule): number {
    const f = this.forest;
    const n = f.size(this.all);
    if (n === 0) return -1;
    const k = Math.max(1, Math.min(n, Math.ceil(rule.topShare * n - 1e-9)));
    const threshold = f.kthLargest(this.all, k - 1);
    const top = f.countAtLeast(this.all, threshold);
    const below = n - top;
    const eps = rule.exploration;
    if (u < eps) {
      const pool = below > 0 ? below : n;
      return this.kth(Math.min(pool - 1, Math.floor((u / eps) * pool)), threshold, below > 0 ? BELOW : ALL);
    }
    const v = eps > 0 ? (u - eps) / (1 - eps) : u;
    if (rule.weighting === 'reputation') {
      const total = f.sumAtLeast(this.all, threshold);
      if (total > 0) return this.weighted(v * total, total, n, threshold);
    }
    return this.kth(Math.min(top - 1, Math.floor(v * top)), threshold, AT_LEAST);
  }

  /** The k-th (0-based) member in ascending id order among those the mode counts. */
  private kth(k: number, threshold: number, mode: number): number {
    const f = this.forest;
    let pos = 0;
    let rem = k;
    for (let step = this.topStep; step > 0; step >>= 1) {
      const next = pos + step;
      if (next > this.cap) continue;
      const root = this.slots[next]!;
      const c =
        mode === ALL ? f.size(root) : mode === AT_LEAST ? f.countAtLeast(root, threshold) : f.size(root) - f.countAtLeast(root, threshold);
      if (c <= rem) {
        pos = next;
        rem -= c;
      }
    }
    return pos;
  }

  /**
   * The first member in ascending id order (reputation ≥ threshold) whose prefix sum of reputations
   * exceeds `target`. `pickIndex` sums sequentially; the trees sum in another order, so the two sums
   * may differ by rounding. Every float sum of m non-negative terms is within (m − 1)·2^-53 of the
   * exact sum (relative to the total), whatever its order, so when the target is further than a
   * margin well above that from both ends of the member's interval, both sums pick the same member;
   * otherwise PICK_UNSURE (at a rate of about n · 2^-46 per draw: never seen in the bench).
   */
  private weighted(target: number, total: number, n: number, threshold: number): number {
    const f = this.forest;
    let pos = 0;
    let acc = 0;
    for (let step = this.topStep; step > 0; step >>= 1) {
      const next = pos + step;
      if (next > this.cap) continue;
      const s = f.sumAtLeast(this.slots[next]!, threshold);
      if (acc + s <= target) {
        pos = next;
        acc += s;
      }
    }
    const margin = (n + 64) * 2 ** -49 * total;
    if (pos >= this.cap || this.member[pos] !== 1 || this.value[pos]! < threshold) return PICK_UNSURE;
    // acc = 0 is exact: every member before `pos` has reputation 0, so no sum stops before it.
    if ((acc > 0 && target - acc <= margin) || acc + this.value[pos]! - target <= margin) return PICK_UNSURE;
    return pos;
  }
}
