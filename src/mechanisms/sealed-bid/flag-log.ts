/**
 * A log of the bid-class flags' recent changes (issue 10, the exact close-time search): what a member's
 * ready and busy flags were when an auction opened, read at its close. Each change is stamped with the
 * number of auctions opened so far, so "at the open of auction T" is the old value of the member's first
 * change stamped T or later (or its current value if there is none). Changes older than every open
 * auction are dropped. O(1) amortised per change; a read walks the member's changes since the open.
 * Pure data structure: docs/mechanisms/sealed-bid.md, "The close-time search".
 */

/** Flag bits: ready (idle, holding nothing, eligible), busy (given a job since it last reported available, eligible). */
export const READY_BIT = 1;
export const BUSY_BIT = 2;

export class FlagLog {
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

  /** `id`'s flags changed from `was` at `time`, after `stamp` auctions opened. */
  record(id: number, was: number, stamp: number, time: number): void {
    if (this.tail - this.head > this.mask) this.grow();
    const i = this.tail & this.mask;
    this.stamp[i] = stamp;
    this.time[i] = time;
    this.old[i] = was;
    this.prev[i] = this.last[id] ?? -1;
    this.last[id] = this.tail++;
  }

  /** `id`'s flags at the open of auction `stamp`, given its flags now (`now`). */
  at(id: number, stamp: number, now: number): number {
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
