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
 *   member of the class. The mechanism keeps the ready members here (a Fenwick tree per class over
 *   its members in ascending id order) and expands the class bid in O(log N) per member it needs.
 * - Arrival order, which breaks ties between equal bids, is a rotation of the eligible nodes in
 *   ascending id order starting at a per-job node (`rotationKey`): the order in which the shell
 *   used to send one bid per node, so the winner is the same node.
 *
 * Pure data structure: no engine import, no clock, no randomness.
 */
import type { OperatorInfo } from './types.js';

/** One class: its members in ascending id order and a Fenwick tree over the ready ones. */
interface ClassTree {
  ids: number[];
  ready: Uint8Array;
  tree: Int32Array;
  count: number;
}

/** The ready members of every bid class, with "the k-th ready member from a node on" queries. */
export class BidClasses {
  private classes: ClassTree[] = [];
  /** Node id → class (-1: none) and rank in its class. */
  private classOf: number[] = [];
  private rankOf: number[] = [];

  /** Registers a node (idempotent); nodes without `bidClass` are not indexed. It starts not ready. */
  add(o: OperatorInfo): void {
    const c = o.bidClass;
    if (c === undefined || c < 0 || this.classOf[o.id] !== undefined) return;
    let t = this.classes[c];
    if (!t) this.classes[c] = t = { ids: [], ready: new Uint8Array(4), tree: new Int32Array(5), count: 0 };
    this.classOf[o.id] = c;
    const last = t.ids.length > 0 ? t.ids[t.ids.length - 1]! : -1;
    if (o.id > last && t.ids.length < t.ready.length) {
      this.rankOf[o.id] = t.ids.length;
      t.ids.push(o.id);
      return;
    }
    // Out of order, or full: re-rank the class and rebuild its tree (rare: nodes join in id order).
    const ready = t.ids.filter((id) => t.ready[this.rankOf[id]!] === 1);
    t.ids.push(o.id);
    t.ids.sort((a, b) => a - b);
    let cap = t.ready.length;
    while (cap < t.ids.length) cap *= 2;
    t.ready = new Uint8Array(cap);
    t.tree = new Int32Array(cap + 1);
    t.count = 0;
    for (let r = 0; r < t.ids.length; r++) this.rankOf[t.ids[r]!] = r;
    for (const id of ready) this.setReady(id, true);
  }

  /** The class of a node, -1 for none. */
  classOfNode(id: number): number {
    return this.classOf[id] ?? -1;
  }

  /** Is there at least one class? (Mechanisms skip the class bookkeeping otherwise.) */
  get size(): number {
    return this.classes.length;
  }

  isReady(id: number): boolean {
    const c = this.classOf[id];
    return c !== undefined && this.classes[c]!.ready[this.rankOf[id]!] === 1;
  }

  /** Marks a member ready (empty queue, eligible to bid) or not. Idempotent; no-op for nodes without a class. */
  setReady(id: number, ready: boolean): void {
    const c = this.classOf[id];
    if (c === undefined) return;
    const t = this.classes[c]!;
    const r = this.rankOf[id]!;
    const want = ready ? 1 : 0;
    if (t.ready[r] === want) return;
    t.ready[r] = want;
    t.count += ready ? 1 : -1;
    const d = ready ? 1 : -1;
    for (let i = r + 1; i < t.tree.length; i += i & -i) t.tree[i]! += d;
  }

  /** Ready members of class `c`. */
  readyCount(c: number): number {
    return this.classes[c]?.count ?? 0;
  }

  /**
   * Where a job's arrival rotation from node `start` enters class `c`: the number of ready members
   * with a smaller id. The j-th ready member in rotation order is then `readyAt(c, from, j)`.
   */
  rotationFrom(c: number, start: number): number {
    const t = this.classes[c];
    if (!t || t.count === 0) return 0;
    let lo = 0;
    let hi = t.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (t.ids[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    return prefix(t.tree, lo);
  }

  /** The j-th (0-based) ready member of class `c` in the rotation entered at `from`: O(log N). */
  readyAt(c: number, from: number, j: number): number {
    const t = this.classes[c]!;
    return t.ids[kth(t.tree, (from + j) % t.count)]!;
  }

  /** Up to `max` ready members of class `c` in rotation order from node `start` (for tests and audits). */
  readyFrom(c: number, start: number, max: number, out: number[] = []): number[] {
    out.length = 0;
    const from = this.rotationFrom(c, start);
    const n = Math.min(max, this.readyCount(c));
    for (let j = 0; j < n; j++) out.push(this.readyAt(c, from, j));
    return out;
  }
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
