/**
 * A log of the bid-class flags' recent changes (issue 10, the exact close-time search): what a member's
 * ready and busy flags were when an auction opened, read at its close. Each change is stamped with the
 * number of auctions opened so far, so "at the open of auction T" is the old value of the member's first
 * change stamped T or later (or its current value if there is none). Each node's current flags and its
 * two newest changes sit in node-indexed arrays (a read of a node that changed at most twice since the
 * open touches nothing else: the close reads runs of neighbouring ids); older changes in a ring, dropped
 * once older than every open auction. O(1) amortised per change.
 * Pure data structure: docs/mechanisms/sealed-bid.md, "The close-time search".
 */

/** Flag bits: ready (idle, holding nothing, eligible), busy (given a job since it last reported available, eligible). */
export const READY_BIT = 1;
export const BUSY_BIT = 2;

export class FlagLog {
  /** Node id → its flags now. */
  private cur = new Uint8Array(1024);
  /** Node id → its two newest changes: stamp, old flags, stamp, old flags (stamp -1: none). */
  private recent = new Int32Array(4096).fill(-1);
  /** Ring of entries by absolute sequence number (`seq & mask`): stamp, time, old flags, the member's previous entry. */
  private stamp = new Int32Array(1024);
  private time = new Float64Array(1024);
  private old = new Uint8Array(1024);
  private prev = new Int32Array(1024);
  private mask = 1023;
  /** Absolute sequence numbers: entries in [head, tail) are kept. */
  private head = 0;
  private tail = 0;
  /** Node id → its newest entry (-1: none). */
  private last: number[] = [];

  /** `id`'s flags now. */
  flags(id: number): number {
    return id < this.cur.length ? this.cur[id]! : 0;
  }

  /** `id`'s flags became `to`: with `stamp` ≥ 0 (auctions are open; `stamp` of them opened so far), the change is logged. */
  change(id: number, to: number, stamp: number, time: number): void {
    if (id >= this.cur.length) this.room(id);
    const was = this.cur[id]!;
    this.cur[id] = to;
    if (stamp < 0) return;
    const r = this.recent;
    const b = id * 4;
    r[b + 2] = r[b]!;
    r[b + 3] = r[b + 1]!;
    r[b] = stamp;
    r[b + 1] = was;
    this.record(id, was, stamp, time);
  }

  /** `id`'s flags at the open of auction `stamp`. */
  at(id: number, stamp: number): number {
    if (id >= this.cur.length) return 0;
    const r = this.recent;
    const b = id * 4;
    if (r[b]! < stamp) return this.cur[id]!;
    if (r[b + 2]! < stamp) return r[b + 1]!;
    return this.before(id, stamp, this.cur[id]!);
  }

  private room(id: number): void {
    const n = Math.max(id + 1, this.cur.length * 2);
    const cur = new Uint8Array(n);
    cur.set(this.cur);
    const recent = new Int32Array(4 * n).fill(-1);
    recent.set(this.recent);
    this.cur = cur;
    this.recent = recent;
  }

  private record(id: number, was: number, stamp: number, time: number): void {
    if (this.tail - this.head > this.mask) this.grow();
    const i = this.tail & this.mask;
    this.stamp[i] = stamp;
    this.time[i] = time;
    this.old[i] = was;
    this.prev[i] = this.last[id] ?? -1;
    this.last[id] = this.tail++;
  }

  /** `id`'s flags at the open of auction `stamp`, from the ring, given its flags now (`now`). */
  private before(id: number, stamp: number, now: number): number {
    let f = now;
    for (let e = this.last[id] ?? -1; e >= this.head; e = this.prev[e & this.mask]!) {
      if (this.stamp[e & this.mask]! < stamp) break;
      f = this.old[e & this.mask]!;
    }
    return f;
  }

  /** Drops the changes made before `time` (no auction open now opened before it). */
  prune(time: number): void {
    while (this.head < this.tail && this.time[this.head & this.mask]! < time) this.head++;
  }

  private grow(): void {
    const cap = (this.mask + 1) * 2;
    const stamp = new Int32Array(cap);
    const time = new Float64Array(cap);
    const old = new Uint8Array(cap);
    const prev = new Int32Array(cap);
    for (let e = this.head; e < this.tail; e++) {
      const from = e & this.mask;
      const to = e & (cap - 1);
      stamp[to] = this.stamp[from]!;
      time[to] = this.time[from]!;
      old[to] = this.old[from]!;
      prev[to] = this.prev[from]!;
    }
    this.stamp = stamp;
    this.time = time;
    this.old = old;
    this.prev = prev;
    this.mask = cap - 1;
  }
}
