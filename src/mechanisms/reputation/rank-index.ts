import type { Resources } from '../types.js';
import { fits } from '../types.js';
import { RankedPool } from './ranked-pool.js';

/** Beyond this many distinct eligible sets, `poolFor` gives up (the caller draws naively). */
const MAX_POOLS = 16;

/**
 * The free provers of a reputation market, by capacity profile, with one {@link RankedPool} per
 * distinct set of eligible profiles that a job has asked for (built on first use, then kept up to
 * date): a job's draw runs on the pool of exactly its eligible free provers. Profiles are grouped as
 * `FreeIndex` groups them (cpus/gpus/memory); in a market there are a few, so a few pools.
 */
export class RankIndex {
  private cap: number;
  private size = 0;
  private profiles: Resources[] = [];
  private profileKeys = new Map<string, number>();
  /** Node id → profile, -1 when not registered. */
  private nodeProfile: Int32Array;
  /** Node id → free (registered and taking work). */
  private present: Uint8Array;
  private rep: Float64Array;
  /** Eligible-set key → the profiles in it (a mask) and its pool; the same pools as a list, for updates. */
  private pools = new Map<number | string, { mask: Uint8Array; pool: RankedPool }>();
  private poolList: { mask: Uint8Array; pool: RankedPool }[] = [];
  /** Registered nodes that are free. */
  freeCount = 0;
  private elig: number[] = [];
  /** Scratch lists of the mechanism's draws (index.ts): provers set aside, and a listed pool. */
  readonly scratch = { aside: [] as number[], ids: [] as number[], reps: [] as number[] };

  constructor(
    capacityHint: number,
    private readonly topShare: number,
  ) {
    this.cap = Math.max(16, capacityHint);
    this.nodeProfile = new Int32Array(this.cap).fill(-1);
    this.present = new Uint8Array(this.cap);
    this.rep = new Float64Array(this.cap);
  }

  /** Registers node `id` with its capacity (it starts busy), or moves it to another profile. */
  add(id: number, capacity: Resources, rep: number): void {
    if (id >= this.cap) this.grow(id + 1);
    if (id >= this.size) this.size = id + 1;
    const wasFree = this.present[id] === 1;
    this.setFree(id, false);
    const key = `${capacity.cpus}/${capacity.gpus}/${capacity.memoryGb}`;
    let p = this.profileKeys.get(key);
    if (p === undefined) {
      p = this.profiles.length;
      this.profileKeys.set(key, p);
      this.profiles.push(capacity);
    }
    this.nodeProfile[id] = p;
    this.rep[id] = rep;
    if (wasFree) this.setFree(id, true);
  }

  /** Is node `id` registered (added and not removed)? */
  has(id: number): boolean {
    return id < this.size && this.nodeProfile[id]! >= 0;
  }

  /** The free registered nodes whose profile meets `request`, in ascending id order (O(N): the fallback draw's pool). */
  listFree(request: Resources): number[] {
    const ok = this.profiles.map((p) => fits(p, request));
    const out: number[] = [];
    for (let id = 0; id < this.size; id++) if (this.present[id] === 1 && ok[this.nodeProfile[id]!] === true) out.push(id);
    return out;
  }

  /** Removes a node for good. */
  remove(id: number): void {
    if (id >= this.size) return;
    this.setFree(id, false);
    this.nodeProfile[id] = -1;
  }

  /** Marks a registered node free or busy. Idempotent. */
  setFree(id: number, free: boolean): void {
    if (id >= this.size || this.nodeProfile[id]! < 0) return;
    const want = free ? 1 : 0;
    if (this.present[id] === want) return;
    this.present[id] = want;
    this.freeCount += free ? 1 : -1;
    const p = this.nodeProfile[id]!;
    const pools = this.poolList;
    for (let i = 0; i < pools.length; i++) {
      const { mask, pool } = pools[i]!;
      // A draw may have taken a pick out of its pool already (index.ts, `draw`).
      if (mask[p] !== 1 || pool.has(id) === free) continue;
      if (free) pool.insert(id, this.rep[id]!);
      else pool.remove(id);
    }
  }

  /** A node's reputation changed: moves it in every pool that holds it. */
  setReputation(id: number, rep: number): void {
    if (id >= this.size || this.nodeProfile[id]! < 0) return;
    const free = this.present[id] === 1;
    if (free) this.setFree(id, false);
    this.rep[id] = rep;
    if (free) this.setFree(id, true);
  }

  /**
   * The pool of free provers whose profile meets `request` (built from the free nodes on first
   * use), or undefined past {@link MAX_POOLS} distinct eligible sets.
   */
  poolFor(request: Resources): RankedPool | undefined {
    const elig = this.elig;
    elig.length = 0;
    for (let p = 0; p < this.profiles.length; p++) if (fits(this.profiles[p]!, request)) elig.push(p);
    // A bit mask names the set while it can (no string per draw); a list past 31 profiles.
    let key: number | string = 0;
    if (this.profiles.length <= 31) for (const p of elig) key |= 1 << p;
    else key = elig.join(',');
    const hit = this.pools.get(key);
    if (hit) return hit.pool;
    if (this.pools.size >= MAX_POOLS) return undefined;
    const mask = new Uint8Array(this.profiles.length + 1);
    for (const p of elig) mask[p] = 1;
    const pool = new RankedPool(this.cap, this.topShare);
    for (let id = 0; id < this.size; id++) if (this.present[id] === 1 && mask[this.nodeProfile[id]!] === 1) pool.insert(id, this.rep[id]!);
    const entry = { mask, pool };
    this.pools.set(key, entry);
    this.poolList.push(entry);
    return pool;
  }

  /** More node ids: every pool is rebuilt at the new capacity (rare: a join beyond the initial size). */
  private grow(min: number): void {
    let cap = this.cap;
    while (cap < min) cap *= 2;
    const np = new Int32Array(cap).fill(-1);
    np.set(this.nodeProfile);
    const pr = new Uint8Array(cap);
    pr.set(this.present);
    const rep = new Float64Array(cap);
    rep.set(this.rep);
    this.nodeProfile = np;
    this.present = pr;
    this.rep = rep;
    this.cap = cap;
    this.pools.clear();
    this.poolList = [];
  }
}
