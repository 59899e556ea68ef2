import { hashUniform } from '../mechanisms/beacon.js';
import type { Resources } from '../mechanisms/types.js';
import { fits } from '../mechanisms/types.js';
import type { MarketContext } from './context.js';
import type { Node } from './population.js';

/**
 * The free provers a race can invite, grouped into entry classes, kept up to date as nodes become
 * busy or free (issue 10: a race solicitation costs O(classes), not O(N)).
 *
 * A class holds nodes whose answer to "join a race for reward R expecting k racers?" is the same:
 * one operator group (one strategy, margin and params), one hardware model (same cost, speed and
 * capacity), one failure probability, and a strategy that declares itself `pure` (its answer reads
 * only the quote, the arguments, the margin and the public market view; never `u` nor the entity's
 * memory or share). A free node's quote depends only on its model, so one representative's answer
 * is every member's. Every other node (learning or randomised strategies, capacity-blind or sybil
 * nodes, whose quote depends on their queue) is a class of its own and is asked exactly.
 */
export class RaceEntryIndex {
  /** Node id → its class. */
  private readonly classOf: Int32Array;
  /** Node id → its position in its class's member list, -1 when not a free candidate. */
  private readonly pos: Int32Array;
  /** Class → its free members (swap-remove set). */
  readonly members: number[][] = [];
  /** Class → asked once for all members (true) or per node. */
  readonly pure: boolean[] = [];
  readonly capacity: Resources[] = [];
  /** Classes with at least one free member (swap-remove set). */
  readonly live: number[] = [];
  private readonly livePos: number[] = [];
  /**
   * Node id → 1 if its owner's strategy takes work while busy (capacity-blind, fixed for the run): a
   * dense flag read on every update, and by the lock checks (lock-attempts.ts), not the owner's objects.
   * Written only here.
   */
  readonly overcommits: Uint8Array;

  constructor(private readonly ctx: Pick<MarketContext, 'nodes' | 'entities'>) {
    const n = ctx.nodes.length;
    this.classOf = new Int32Array(n);
    this.pos = new Int32Array(n).fill(-1);
    this.overcommits = new Uint8Array(n);
    const keys = new Map<string, number>();
    const models = new Map<object, number>();
    // One pass over the nodes (10,000 at set-up): nodes of one group come in a row, so the previous pure
    // node's class is reused without building its key, and each free node joins its class's members in id order.
    let prevGroup = '';
    let prevModel: object | undefined;
    let prevFailure = Number.NaN;
    let prevClass = -1;
    for (let id = 0; id < n; id++) {
      const node = ctx.nodes[id]!;
      const e = ctx.entities[node.info.entity]!;
      const s = e.strategy;
      if (s.overcommits === true) this.overcommits[id] = 1;
      const pure = s.pure === true && !s.overcommits && (s.identities ?? 1) <= 1;
      let c: number;
      if (!pure) c = this.addClass(false, node);
      else if (prevClass >= 0 && prevGroup === e.group && prevModel === node.model && prevFailure === node.failureProb) c = prevClass;
      else {
        let model = models.get(node.model);
        if (model === undefined) models.set(node.model, (model = models.size));
        const key = `${e.group}|${model}|${node.failureProb}`;
        c = keys.get(key) ?? this.addClass(true, node);
        keys.set(key, c);
        prevGroup = e.group;
        prevModel = node.model;
        prevFailure = node.failureProb;
        prevClass = c;
      }
      this.classOf[id] = c;
      if (this.isCandidate(node, id)) this.join(id, c);
    }
  }

  /** Opens a new, empty class whose members have `node`'s capacity; returns its number. */
  private addClass(pure: boolean, node: Node): number {
    const c = this.members.length;
    this.members.push([]);
    this.pure.push(pure);
    this.capacity.push(node.info.capacity);
    this.livePos.push(-1);
    return c;
  }

  /** Is the node a candidate for a race now (active, not ejected, idle unless capacity-blind)? */
  private isCandidate(node: Node, id: number): boolean {
    if (!node.active || node.ejected) return false;
    return node.outstanding === 0 || this.overcommits[id] === 1;
  }

  /** Re-reads one node's state (it became busy or free, joined, left or was ejected). O(1). */
  update(id: number): void {
    const want = this.isCandidate(this.ctx.nodes[id]!, id);
    const at = this.pos[id]!;
    if (want === at >= 0) return;
    const c = this.classOf[id]!;
    if (want) {
      this.join(id, c);
      return;
    }
    const list = this.members[c]!;
    const last = list.pop()!;
    if (last !== id) {
      list[at] = last;
      this.pos[last] = at;
    }
    this.pos[id] = -1;
    if (list.length === 0) {
      const lp = this.livePos[c]!;
      const lastC = this.live.pop()!;
      if (lastC !== c) {
        this.live[lp] = lastC;
        this.livePos[lastC] = lp;
      }
      this.livePos[c] = -1;
    }
  }

  /** A free node joins its class `c`'s members (the class goes live with its first). */
  private join(id: number, c: number): void {
    const list = this.members[c]!;
    this.pos[id] = list.length;
    list.push(id);
    if (list.length === 1) {
      this.livePos[c] = this.live.length;
      this.live.push(c);
    }
  }

  /** Is the node a free candidate now? */
  isMember(id: number): boolean {
    return this.pos[id]! >= 0;
  }

  classOfNode(id: number): number {
    return this.classOf[id]!;
  }

  /** The classes with free members that fit the request. */
  eligible(request: Resources, out: number[]): number[] {
    out.length = 0;
    for (let i = 0; i < this.live.length; i++) {
      const c = this.live[i]!;
      if (fits(this.capacity[c]!, request)) out.push(c);
    }
    return out;
  }
}

/**
 * Draws `k` distinct indices of [0, n) uniformly (without replacement), from a per-job hash: the
 * random order in which the chosen racers join. O(k log k) searches (and a k-element shift per
 * draw); k is the number of racers, some thousands in a secondary race at 10,000 operators.
 */
export function drawDistinct(seed: number, jobId: number, n: number, k: number): number[] {
  const sorted: number[] = [];
  const order: number[] = [];
  for (let j = 0; j < k && j < n; j++) {
    // The r-th index not drawn yet. Below the i-th drawn index (ascending) lie sorted[i] − i undrawn
    // ones, a non-decreasing count: the first i with sorted[i] − i > r is where it goes, r + i its value.
    const r = Math.floor(hashUniform(seed, jobId, j, 3) * (n - j));
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! - mid <= r) lo = mid + 1;
      else hi = mid;
    }
    sorted.splice(lo, 0, r + lo);
    order.push(r + lo);
  }
  return order;
}
