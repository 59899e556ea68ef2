/**
 * A binary min-heap of events ordered by (time, seq). `seq` is a monotonic counter, so events at
 * the same time pop in the order they were scheduled, on every run.
 *
 * The heap keeps each entry's time and seq inline (parallel typed arrays), so comparisons read
 * contiguous memory instead of chasing slot indices; payloads (kind, a, b) sit in slot arrays.
 * Scheduling allocates nothing once the arrays have grown. Cancelled events are dropped lazily
 * when they reach the top; handles carry a generation, so cancelling a reused slot is a no-op.
 */
export class EventQueue {
  // heap entries
  private hTime: Float64Array;
  private hSeq: Float64Array;
  private hSlot: Int32Array;
  private n = 0;
  // slots (payloads)
  private kinds: Int32Array;
  private as: Int32Array;
  private bs: Int32Array;
  private gens: Uint32Array;
  private live: Uint8Array;
  private freeSlots: Int32Array;
  private nFree = 0;
  private nextSlot = 0;
  private seq = 0;
  private cap: number;

  constructor(capacity = 1024) {
    this.cap = capacity;
    this.hTime = new Float64Array(capacity);
    this.hSeq = new Float64Array(capacity);
    this.hSlot = new Int32Array(capacity);
    this.kinds = new Int32Array(capacity);
    this.as = new Int32Array(capacity);
    this.bs = new Int32Array(capacity);
    this.gens = new Uint32Array(capacity);
    this.live = new Uint8Array(capacity);
    this.freeSlots = new Int32Array(capacity);
  }

  /** Number of scheduled events (cancelled ones included until they are dropped). */
  get size(): number {
    return this.n;
  }

  /** Schedules an event; returns a handle for {@link cancel}. */
  push(time: number, kind: number, a: number, b: number): number {
    let slot: number;
    if (this.nFree > 0) slot = this.freeSlots[--this.nFree]!;
    else {
      if (this.nextSlot === this.cap) this.grow();
      slot = this.nextSlot++;
    }
    this.kinds[slot] = kind;
    this.as[slot] = a;
    this.bs[slot] = b;
    this.live[slot] = 1;
    const seq = this.seq++;
    const hT = this.hTime;
    const hS = this.hSeq;
    const hI = this.hSlot;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = hT[p]!;
      if (pt < time || (pt === time && hS[p]! < seq)) break;
      hT[i] = pt;
      hS[i] = hS[p]!;
      hI[i] = hI[p]!;
      i = p;
    }
    hT[i] = time;
    hS[i] = seq;
    hI[i] = slot;
    return this.gens[slot]! * 4194304 + slot;
  }

  /** Cancels a scheduled event by handle. Cancelling twice, or after it ran, is a no-op. */
  cancel(handle: number): void {
    const slot = handle % 4194304;
    const gen = (handle - slot) / 4194304;
    if (slot < this.nextSlot && this.gens[slot] === gen) this.live[slot] = 0;
  }

  /** Time of the next live event, or Infinity when none. */
  peekTime(): number {
    while (this.n > 0 && this.live[this.hSlot[0]!] === 0) this.release(this.removeTop());
    return this.n > 0 ? this.hTime[0]! : Infinity;
  }

  /**
   * Pops the next live event into `out` ([time, kind, a, b]); returns false when empty.
   * Writing into a caller-owned array keeps the hot loop free of allocations.
   */
  pop(out: Float64Array): boolean {
    return this.popUntil(out, Infinity);
  }

  /**
   * Pops the next live event into `out` if it is due at or before `until`; returns false otherwise
   * (leaving later events queued). One call per event for the kernel's run loop.
   */
  popUntil(out: Float64Array, until: number): boolean {
    for (;;) {
      if (this.n === 0 || this.hTime[0]! > until) return false;
      const time = this.hTime[0]!;
      const slot = this.removeTop();
      if (this.live[slot] === 0) {
        this.release(slot);
        continue;
      }
      out[0] = time;
      out[1] = this.kinds[slot]!;
      out[2] = this.as[slot]!;
      out[3] = this.bs[slot]!;
      this.release(slot);
      return true;
    }
  }

  private release(slot: number): void {
    this.live[slot] = 0;
    this.gens[slot] = (this.gens[slot]! + 1) % 1048576;
    this.freeSlots[this.nFree++] = slot;
  }

  /** Removes the top entry and returns its slot. */
  private removeTop(): number {
    const hT = this.hTime;
    const hS = this.hSeq;
    const hI = this.hSlot;
    const top = hI[0]!;
    const n = --this.n;
    if (n > 0) {
      const lt = hT[n]!;
      const ls = hS[n]!;
      const li = hI[n]!;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        let ct = hT[c]!;
        let cs = hS[c]!;
        const r = c + 1;
        if (r < n) {
          const rt = hT[r]!;
          if (rt < ct || (rt === ct && hS[r]! < cs)) {
            c = r;
            ct = rt;
            cs = hS[r]!;
          }
        }
        if (lt < ct || (lt === ct && ls < cs)) break;
        hT[i] = ct;
        hS[i] = cs;
        hI[i] = hI[c]!;
        i = c;
      }
      hT[i] = lt;
      hS[i] = ls;
      hI[i] = li;
    }
    return top;
  }

  private grow(): void {
    const cap = this.cap * 2;
    if (cap > 4194304) throw new Error('event queue overflow: more than 4,194,304 pending events');
    const f64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.hTime = f64(this.hTime);
    this.hSeq = f64(this.hSeq);
    this.hSlot = i32(this.hSlot);
    this.kinds = i32(this.kinds);
    this.as = i32(this.as);
    this.bs = i32(this.bs);
    this.freeSlots = i32(this.freeSlots);
    const g = new Uint32Array(cap);
    g.set(this.gens);
    this.gens = g;
    const l = new Uint8Array(cap);
    l.set(this.live);
    this.live = l;
    this.cap = cap;
  }
}
