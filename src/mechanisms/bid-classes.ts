/**
 * Bid classes: nodes that answer a solicitation with the same bid.
 *
 * Contract (shared by the mechanisms that take bids or locks from many nodes):
 * - The caller (the simulator's shell, a coordinator) tags each node with an opaque class number in
 *   {@link OperatorInfo.bidClass}. Two nodes share a class only if, while their queues are empty
 *   ("ready"), their bid for any job is the same: a pure function of (hardware model, cost factor,
 *   margin, strategy and its parameters, the job, the number of bidders). Nodes whose bid draws
 *   randomness or reads memory (learners, zero-intelligence traders, per-node state) have no class
 *   and answer one by one.
 * - A *class bid* (`bid` with `bidClass`) then stands for one identical sealed bid from every ready
 *   member of the class. The mechanism keeps the ready members here (a bitset per class over its
 *   members in ascending id order, walked 32 ranks a step; a Fenwick tree, built at the first rotation
 *   query, answers "the j-th ready member" in O(log N)).
 * - Arrival order, which breaks ties between equal bids, is a rotation of the eligible nodes in
 *   ascending id order starting at a per-job node (`rotationKey`), drawn by the mechanism.
 * - Busy members (their queue is not empty) are indexed too, so that a mechanism can name the few
 *   whose answer it needs: those that come before the point in the rotation where the ready
 *   members alone settle the auction.
 *
 * Pure data structure: no engine import, no clock, no randomness.
 */
import type { OperatorInfo } from './types.js';

/** Which members a query counts. */
export const READY = 0;
export const BUSY = 1;

/**
 * One property of a class's members, by rank: a byte and a bit each (the bitset is what the walks read),
 * and a Fenwick tree over the ranks for the rotation queries ({@link BidClasses.rotationFrom},
 * {@link BidClasses.at}). The tree is built at the first such query and kept up to date from then on:
 * the sealed-bid mechanism only walks the bitsets, and updating an unread tree cost O(log N) per flag
 * change (`setReady`: 42 ms of a 50,000-job run at 10,000 operators).
 */
interface Flags {
  on: Uint8Array;
  bits: Uint32Array;
  tree: Int32Array | undefined;
  count: number;
}

/** One class: its members in ascending id order, its ready and busy members, and those a close may pick (`hold`, a bitset). */
interface ClassTree {
  ids: number[];
  flags: [Flags, Flags];
  hold: Uint32Array;
}

const flags = (cap: number): Flags => ({
  on: new Uint8Array(cap),
  bits: new Uint32Array((cap + 31) >> 5),
  tree: undefined,
  count: 0,
});

/** The Fenwick tree of `f`, built from its marks in O(ranks) at the first call. */
function treeOf(f: Flags): Int32Array {
  if (f.tree) return f.tree;
  const n = f.on.length;
  const tree = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    tree[i]! += f.on[i - 1]!;
    const up = i + (i & -i);
    if (up <= n) tree[up]! += tree[i]!;
  }
  f.tree = tree;
  return tree;
}

/** The ready and busy members of every bid class, with "the j-th such member from a node on" queries. */
export class BidClasses {
  private classes: ClassTree[] = [];
  /** Node id → class and rank in its class. */
  private classOf: number[] = [];
  private rankOf: number[] = [];

  /**
   * Sizes the classes of `operators` for all their members at once, so that they join in id order
   * without a re-rank: each re-rank (on a full class) rebuilt its trees, about 11 times per class of
   * 5,000 nodes at a mechanism's start. Call before {@link add}; a class that exists is left alone.
   */
  reserve(operators: readonly OperatorInfo[]): void {
    const sizes: number[] = [];
    for (let i = 0; i < operators.length; i++) {
      const c = operators[i]!.bidClass;
      if (c !== undefined && c >= 0) sizes[c] = (sizes[c] ?? 0) + 1;
    }
    for (let c = 0; c < sizes.length; c++) {
      const n = sizes[c];
      if (n === undefined || this.classes[c]) continue;
      let cap = 4;
      while (cap < n) cap *= 2;
      this.classes[c] = { ids: [], flags: [flags(cap), flags(cap)], hold: new Uint32Array((cap + 31) >> 5) };
    }
  }

  /** Registers a node (idempotent); nodes without `bidClass` are not indexed. It starts neither ready nor busy. */
  add(o: OperatorInfo): void {
    const c = o.bidClass;
    if (c === undefined || c < 0 || this.classOf[o.id] !== undefined) return;
    let t = this.classes[c];
    if (!t) this.classes[c] = t = { ids: [], flags: [flags(4), flags(4)], hold: new Uint32Array(1) };
    this.classOf[o.id] = c;
    const last = t.ids.length > 0 ? t.ids[t.ids.length - 1]! : -1;
    if (o.id > last && t.ids.length < t.flags[0].on.length) {
      this.rankOf[o.id] = t.ids.length;
      t.ids.push(o.id);
      return;
    }
    // Out of order, or full: re-rank the class and rebuild its trees (rare: nodes join in id order).
    const was = t.flags.map((f) => t.ids.filter((id) => f.on[this.rankOf[id]!] === 1));
    const held = t.ids.filter((id) => this.isHolding(id));
    t.ids.push(o.id);
    t.ids.sort((a, b) => a - b);
    let cap = t.flags[0].on.length;
    while (cap < t.ids.length) cap *= 2;
    t.flags = [flags(cap), flags(cap)];
    t.hold = new Uint32Array((cap + 31) >> 5);
    for (let r = 0; r < t.ids.length; r++) this.rankOf[t.ids[r]!] = r;
    was.forEach((ids, which) => {
      for (const id of ids) this.set(id, which, true);
    });
    for (const id of held) this.setHold(id, true);
  }

  /**
   * Marks a member as one a close may pick (it may hold one more job now), or not: a bitset only,
   * read by {@link scanHold}. No-op for nodes without a class.
   */
  setHold(id: number, on: boolean): void {
    const c = this.classOf[id];
    if (c === undefined) return;
    const bits = this.classes[c]!.hold;
    const r = this.rankOf[id]!;
    if (on) bits[r >> 5]! |= 1 << (r & 31);
    else bits[r >> 5]! &= ~(1 << (r & 31));
  }

  /** Is the member marked by {@link setHold}? */
  isHolding(id: number): boolean {
    const c = this.classOf[id];
    if (c === undefined) return false;
    const r = this.rankOf[id]!;
    return ((this.classes[c]!.hold[r >> 5]! >>> (r & 31)) & 1) === 1;
  }

  /**
   * Visits the members of class `c` marked by {@link setHold} in the arrival rotation from node
   * `start`, until `visit` returns false: 32 ranks a step where none is marked.
   */
  scanHold(c: number, start: number, visit: (id: number) => boolean): void {
    const t = this.classes[c];
    if (!t || t.ids.length === 0) return;
    const r0 = lowerBound(t.ids, start);
    if (scanBits(t.hold, t.ids, r0, t.ids.length, visit)) scanBits(t.hold, t.ids, 0, r0, visit);
  }

  /** The class of a node, -1 for none. */
  classOfNode(id: number): number {
    return this.classOf[id] ?? -1;
  }

  /** One more than the highest class number (classes are small integers). */
  get size(): number {
    return this.classes.length;
  }

  /** A member of class `c` (-1 if the class has none): every member shares the class's capacity. */
  memberOf(c: number): number {
    return this.classes[c]?.ids[0] ?? -1;
  }

  isReady(id: number): boolean {
    return this.is(id, READY);
  }

  isBusy(id: number): boolean {
    return this.is(id, BUSY);
  }

  /** Marks a member ready (empty queue, eligible to bid) or not. Idempotent; no-op for nodes without a class. */
  setReady(id: number, on: boolean): void {
    this.set(id, READY, on);
  }

  /** Marks a member busy (its queue is not empty) or not. */
  setBusy(id: number, on: boolean): void {
    this.set(id, BUSY, on);
  }

  /** Ready (or busy) members of class `c`. */
  count(c: number, which = READY): number {
    return this.classes[c]?.flags[which].count ?? 0;
  }

  readyCount(c: number): number {
    return this.count(c, READY);
  }

  /**
   * Where a job's arrival rotation from node `start` enters class `c`: the number of ready (busy)
   * members with a smaller id. The j-th such member in rotation order is `at(c, from, j)`.
   */
  rotationFrom(c: number, start: number, which = READY): number {
    const t = this.classes[c];
    if (!t) return 0;
    return prefix(treeOf(t.flags[which]), lowerBound(t.ids, start));
  }

  /** The j-th (0-based, j < count) ready (busy) member of class `c` in the rotation entered at `from`: O(log N). */
  at(c: number, from: number, j: number, which = READY): number {
    const f = this.classes[c]!.flags[which];
    return this.classes[c]!.ids[kth(treeOf(f), (from + j) % f.count)]!;
  }

  readyAt(c: number, from: number, j: number): number {
    return this.at(c, from, j, READY);
  }

  /** Up to `max` ready (busy) members of class `c` in rotation order from node `start` (for tests and audits). */
  readyFrom(c: number, start: number, max: number, out: number[] = [], which = READY): number[] {
    out.length = 0;
    const from = this.rotationFrom(c, start, which);
    const n = Math.min(max, this.count(c, which));
    for (let j = 0; j < n; j++) out.push(this.at(c, from, j, which));
    return out;
  }

  /**
   * Visits the ready and busy members of class `c` in the arrival rotation from node `start` (ascending
   * id from `start`, then from the lowest id), until `visit` returns false. Reads the flags in place, 32
   * ranks a step where none is marked: O(members visited + ranks / 32), with no O(log N) search per member.
   */
  walk(c: number, start: number, visit: (id: number, ready: boolean) => boolean): void {
    const t = this.classes[c];
    if (!t || t.ids.length === 0) return;
    const r0 = lowerBound(t.ids, start);
    if (scan(t, r0, t.ids.length, visit)) scan(t, 0, r0, visit);
  }

  private is(id: number, which: number): boolean {
    const c = this.classOf[id];
    return c !== undefined && this.classes[c]!.flags[which].on[this.rankOf[id]!] === 1;
  }

  private set(id: number, which: number, on: boolean): void {
    const c = this.classOf[id];
    if (c === undefined) return;
    const f = this.classes[c]!.flags[which];
    const r = this.rankOf[id]!;
    const want = on ? 1 : 0;
    if (f.on[r] === want) return;
    f.on[r] = want;
    if (on) f.bits[r >> 5]! |= 1 << (r & 31);
    else f.bits[r >> 5]! &= ~(1 << (r & 31));
    const d = on ? 1 : -1;
    f.count += d;
    const tree = f.tree;
    if (tree) for (let i = r + 1; i < tree.length; i += i & -i) tree[i]! += d;
  }
}

/**
 * Visits the ready and busy members of ranks [from, to) in rank order, word by word over the two
 * bitsets (32 ranks per step where none is marked); false when `visit` stopped the walk.
 */
function scan(t: ClassTree, from: number, to: number, visit: (id: number, ready: boolean) => boolean): boolean {
  if (from >= to) return true;
  const ready = t.flags[READY].bits;
  const busy = t.flags[BUSY].bits;
  const last = (to - 1) >> 5;
  for (let w = from >> 5; w <= last; w++) {
    let word = ready[w]! | busy[w]!;
    if (w === from >> 5) word &= -1 << (from & 31);
    if (w === last && (to & 31) !== 0) word &= (1 << (to & 31)) - 1;
    while (word !== 0) {
      const b = 31 - Math.clz32(word & -word);
      word &= word - 1;
      if (!visit(t.ids[(w << 5) | b]!, ((ready[w]! >>> b) & 1) === 1)) return false;
    }
  }
  return true;
}

/** Visits the ids of the ranks in [from, to) set in `bits`, in rank order; false when `visit` stopped. */
function scanBits(bits: Uint32Array, ids: readonly number[], from: number, to: number, visit: (id: number) => boolean): boolean {
  if (from >= to) return true;
  const last = (to - 1) >> 5;
  for (let w = from >> 5; w <= last; w++) {
    let word = bits[w]!;
    if (w === from >> 5) word &= -1 << (from & 31);
    if (w === last && (to & 31) !== 0) word &= (1 << (to & 31)) - 1;
    while (word !== 0) {
      const b = 31 - Math.clz32(word & -word);
      word &= word - 1;
      if (!visit(ids[(w << 5) | b]!)) return false;
    }
  }
  return true;
}

/** The number of ids below `start` (ids ascending). */
function lowerBound(ids: readonly number[], start: number): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid]! < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function prefix(tree: Int32Array, n: number): number {
  let s = 0;
  for (let i = n; i > 0; i -= i & -i) s += tree[i]!;
  return s;
}

/** The rank (0-based) of the (k+1)-th set position. */
function kth(tree: Int32Array, k: number): number {
  let pos = 0;
  let rem = k;
  let step = 1;
  while (step * 2 < tree.length) step *= 2;
  for (; step > 0; step >>= 1) {
    const next = pos + step;
    if (next < tree.length && tree[next]! <= rem) {
      pos = next;
      rem -= tree[next]!;
    }
  }
  return pos;
}

/**
 * A node's place in a job's arrival rotation that starts at node `start`: bids arrive from `start`
 * upward, then from the lowest id. Smaller is earlier.
 */
export function rotationKey(id: number, start: number): number {
  return id >= start ? id - start : id - start + 2 ** 31;
}

/** The node id of a rotation key (the inverse of {@link rotationKey}). */
export function fromRotationKey(key: number, start: number): number {
  return key >= 2 ** 31 - start ? key + start - 2 ** 31 : key + start;
}
