/**
 * The busy members of the bid classes whose class bid stands for them (`OperatorInfo.busyBids`), by
 * when each is free (issue 10): a max-heap per class over `freeAt`, so that a class bid names only
 * the members that cannot finish a job by its deadline (`bid.except`) in O(exceptions + log N), not
 * every busy member. A key is the node's `freeAt` at its last change notice (`Agents.nodeChanged`):
 * never below it (an abort lowers `freeAt` after its notice, which leaves a higher key, re-read when
 * met), so the heap finds every exception. Gang staffing moves `freeAt` without a notice: the
 * sealed-bid mechanism stops listing classes in `every` once a gang job is won.
 */
import type { Node } from './population.js';

/** One class's max-heap of node ids by key. */
interface Heap {
  ids: number[];
}

export class BusyIndex {
  private readonly heaps: Heap[] = [];
  /** Node id → its class's heap (-1: not indexed), its place in it, its key. */
  private readonly heapOf: Int32Array;
  private readonly pos: Int32Array;
  private readonly key: Float64Array;
  /** Members found with a key above their `freeAt`, re-keyed after a search. */
  private readonly stale: number[] = [];

  /** Indexes the nodes of the classes in `classes` (class number → whether to index it). */
  constructor(
    private readonly nodes: readonly Node[],
    classes: readonly boolean[],
  ) {
    this.heapOf = new Int32Array(nodes.length).fill(-1);
    this.pos = new Int32Array(nodes.length);
    this.key = new Float64Array(nodes.length);
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      const c = n.info.bidClass;
      if (c === undefined || !classes[c]) continue;
      const h = (this.heaps[c] ??= { ids: [] });
      this.heapOf[n.info.id] = c;
      this.key[n.info.id] = n.freeAt;
      this.pos[n.info.id] = h.ids.length;
      h.ids.push(n.info.id);
      this.up(h, h.ids.length - 1);
    }
  }

  /** Is class `c` indexed? */
  has(c: number): boolean {
    return this.heaps[c] !== undefined;
  }

  /** A node's state changed: its key becomes its `freeAt`. O(log N). */
  update(id: number): void {
    const c = id < this.heapOf.length ? this.heapOf[id]! : -1;
    if (c < 0) return;
    this.rekey(this.heaps[c]!, id, this.nodes[id]!.freeAt);
  }

  /**
   * The members of class `c` that cannot finish a job of `dur` seconds by `deadline` (starting at
   * max(free time, `now`)), or that are inactive or ejected and reached by the search, appended to
   * `out`. Walks only the heap entries whose key fails: O(exceptions + stale keys met).
   */
  exceptions(c: number, now: number, dur: number, deadline: number, out: number[]): void {
    const h = this.heaps[c];
    if (!h) return;
    const late = (t: number): boolean => (t > now ? t : now) + dur > deadline;
    const todo = [0];
    while (todo.length > 0) {
      const i = todo.pop()!;
      if (i >= h.ids.length) continue;
      const id = h.ids[i]!;
      // Keys only fall from a parent to its children: a key that finishes in time prunes its subtree.
      if (!late(this.key[id]!)) continue;
      const node = this.nodes[id]!;
      if (late(node.freeAt) || !node.active || node.ejected) out.push(id);
      else this.stale.push(id);
      todo.push(2 * i + 1, 2 * i + 2);
    }
    while (this.stale.length > 0) {
      const id = this.stale.pop()!;
      this.rekey(h, id, this.nodes[id]!.freeAt);
    }
  }

  private rekey(h: Heap, id: number, k: number): void {
    const was = this.key[id]!;
    if (k === was) return;
    this.key[id] = k;
    if (k > was) this.up(h, this.pos[id]!);
    else this.down(h, this.pos[id]!);
  }

  private up(h: Heap, i: number): void {
    const ids = h.ids;
    const id = ids[i]!;
    const k = this.key[id]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.key[ids[p]!]! >= k) break;
      ids[i] = ids[p]!;
      this.pos[ids[i]!] = i;
      i = p;
    }
    ids[i] = id;
    this.pos[id] = i;
  }

  private down(h: Heap, i: number): void {
    const ids = h.ids;
    const n = ids.length;
    const id = ids[i]!;
    const k = this.key[id]!;
    for (;;) {
      let m = 2 * i + 1;
      if (m >= n) break;
      if (m + 1 < n && this.key[ids[m + 1]!]! > this.key[ids[m]!]!) m++;
      if (this.key[ids[m]!]! <= k) break;
      ids[i] = ids[m]!;
      this.pos[ids[i]!] = i;
      i = m;
    }
    ids[i] = id;
    this.pos[id] = i;
  }
}
