import type { Resources } from './types.js';
import { fits } from './types.js';

/**
 * The set of free nodes, grouped by capacity profile, with O(P log N) "k-th free eligible node in
 * ascending id order" queries (P profiles, N nodes). One Fenwick tree per profile over node ids;
 * a query descends all eligible profiles' trees at once. This keeps random selection over 1,000s
 * of nodes off the hot path while staying exactly equal to "sort the eligible set, take index k",
 * which is what {@link audit} recomputes.
 */
export class FreeIndex {
  private size = 0;
  private cap: number;
  private trees: Int32Array[] = [];
  private profiles: Resources[] = [];
  private profileKeys = new Map<string, number>();
  /** Profile index per node, -1 when removed. */
  private nodeProfile: Int32Array;
  private free: Uint8Array;
  private counts: number[] = [];
  /** The profile of the last {@link add} (-1: none). */
  private lastProfile = -1;
  /** Number of free nodes in all profiles. */
  freeCount = 0;
  /** Changes with every change of the free set or of a node's profile (a version for callers' caches). */
  version = 0;

  constructor(capacityHint = 64) {
    this.cap = Math.max(4, capacityHint);
    this.nodeProfile = new Int32Array(this.cap).fill(-1);
    this.free = new Uint8Array(this.cap);
  }

  /** Registers node `id` (dense ids, any order) with its capacity; it starts busy. */
  add(id: number, capacity: Resources): void {
    if (id >= this.cap) this.grow(id + 1);
    if (id >= this.size) this.size = id + 1;
    this.version++;
    // Nodes join in runs of one capacity: the last profile is reused without building its key.
    const l = this.profiles[this.lastProfile];
    if (l !== undefined && l.cpus === capacity.cpus && l.gpus === capacity.gpus && l.memoryGb === capacity.memoryGb) {
      this.nodeProfile[id] = this.lastProfile;
      return;
    }
    const key = `${capacity.cpus}/${capacity.gpus}/${capacity.memoryGb}`;
    let p = this.profileKeys.get(key);
    if (p === undefined) {
      p = this.profiles.length;
      this.profileKeys.set(key, p);
      this.profiles.push(capacity);
      this.trees.push(new Int32Array(this.cap + 1));
      this.counts.push(0);
    }
    this.nodeProfile[id] = p;
    this.lastProfile = p;
  }

  /** Removes a node for good (it must be re-added to come back). */
  remove(id: number): void {
    this.setFree(id, false);
    this.nodeProfile[id] = -1;
  }

  has(id: number): boolean {
    return id < this.size && this.nodeProfile[id]! >= 0;
  }

  isFree(id: number): boolean {
    return this.free[id] === 1;
  }

  /** Marks a node free or busy. Idempotent. */
  setFree(id: number, isFree: boolean): void {
    const p = this.nodeProfile[id]!;
    if (p < 0) return;
    const want = isFree ? 1 : 0;
    if (this.free[id] === want) return;
    this.free[id] = want;
    this.version++;
    const d = isFree ? 1 : -1;
    this.counts[p]! += d;
    this.freeCount += d;
    const tree = this.trees[p]!;
    for (let i = id + 1; i <= this.cap; i += i & -i) tree[i]! += d;
  }

  /**
   * Moves a registered node to the profile of `capacity`, keeping its free flag: a packing node is
   * listed under its spare resources (issue 13, `packing.ts`). No-op for a removed node.
   */
  reprofile(id: number, capacity: Resources): void {
    if (!this.has(id)) return;
    const wasFree = this.free[id] === 1;
    this.setFree(id, false);
    this.add(id, capacity);
    if (wasFree) this.setFree(id, true);
  }

  /** Number of distinct capacity profiles seen so far (a version for callers' caches). */
  get profileCount(): number {
    return this.profiles.length;
  }

  /** The profiles that meet a request. */
  eligibleProfiles(request: Resources, out: number[]): number[] {
    out.length = 0;
    for (let p = 0; p < this.profiles.length; p++) if (fits(this.profiles[p]!, request)) out.push(p);
    return out;
  }

  /** How many free nodes are in the given profiles. */
  countFree(profiles: readonly number[]): number {
    let n = 0;
    for (let i = 0; i < profiles.length; i++) n += this.counts[profiles[i]!]!;
    return n;
  }

  /** The k-th (0-based) free node, in ascending id order, among the given profiles. */
  kth(profiles: readonly number[], k: number): number {
    let pos = 0;
    let rem = k;
    let step = 1;
    while (step * 2 <= this.cap) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = pos + step;
      if (next > this.cap) continue;
      let s = 0;
      for (let i = 0; i < profiles.length; i++) s += this.trees[profiles[i]!]![next]!;
      if (s <= rem) {
        pos = next;
        rem -= s;
      }
    }
    return pos;
  }

  /** Every free node among the given profiles, ascending (for audits and tests; O(N)). */
  listFree(profiles: readonly number[]): number[] {
    const out: number[] = [];
    for (let id = 0; id < this.size; id++) {
      const p = this.nodeProfile[id]!;
      if (p >= 0 && this.free[id] === 1 && profiles.includes(p)) out.push(id);
    }
    return out;
  }

  private grow(min: number): void {
    let cap = this.cap;
    while (cap < min) cap *= 2;
    const np = new Int32Array(cap).fill(-1);
    np.set(this.nodeProfile);
    const nf = new Uint8Array(cap);
    nf.set(this.free);
    this.nodeProfile = np;
    this.free = nf;
    this.cap = cap;
    this.trees = this.trees.map(() => new Int32Array(cap + 1));
    for (let id = 0; id < this.size; id++) {
      if (nf[id] === 1) {
        const tree = this.trees[np[id]!]!;
        for (let i = id + 1; i <= cap; i += i & -i) tree[i]! += 1;
      }
    }
  }
}

/** A free-node index over `operators` (ids and capacities), every one of them free: a mechanism's start. */
export function allFree(operators: readonly { readonly id: number; readonly capacity: Resources }[]): FreeIndex {
  const index = new FreeIndex(operators.length + 1);
  for (const o of operators) {
    index.add(o.id, o.capacity);
    index.setFree(o.id, true);
  }
  return index;
}
