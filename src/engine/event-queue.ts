/**
 * A binary min-heap of events ordered by (time, seq). `seq` is a monotonic counter, so events at
 * the same time pop in the order they were scheduled, on every run. Events are stored in parallel
 * typed arrays (time, seq, kind, two integer payloads) so scheduling allocates nothing once the
 * arrays have grown; cancelled events are dropped lazily when they reach the top.
 */
export class EventQueue {
  private times: Float64Array;
  private seqs: Float64Array;
  private kinds: Int32Array;
  private as: Int32Array;
  private bs: Int32Array;
  private gens: Uint32Array;
  private live: Uint8Array;
  /** Heap of slot indices. */
  private heap: Int32Array;
  private n = 0;
  private freeSlots: Int32Array;
  private nFree = 0;
  private nextSlot = 0;
  private seq = 0;
  private cap: number;

  constructor(capacity = 1024) {
    this.cap = capacity;
    this.times = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.kinds = new Int32Array(capacity);
    this.as = new Int32Array(capacity);
    this.bs = new Int32Array(capacity);
    this.gens = new Uint32Array(capacity);
    this.live = new Uint8Array(capacity);
    this.heap = new Int32Array(capacity);
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
    this.times[slot] = time;
    this.seqs[slot] = this.seq++;
    this.kinds[slot] = kind;
    this.as[slot] = a;
    this.bs[slot] = b;
    this.live[slot] = 1;
    const gen = this.gens[slot]!;
    let i = this.n++;
    const heap = this.heap;
    // sift up
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const ps = heap[parent]!;
      if (!this.less(slot, ps)) break;
      heap[i] = ps;
      i = parent;
    }
    heap[i] = slot;
    return gen * 4194304 + slot;
  }

  /** Cancels a scheduled event by handle. Cancelling twice, or after it ran, is a no-op. */
  cancel(handle: number): void {
    const slot = handle % 4194304;
    const gen = (handle - slot) / 4194304;
    if (slot < this.nextSlot && this.gens[slot] === gen) this.live[slot] = 0;
  }

  /** Time of the next live event, or Infinity when none. */
  peekTime(): number {
    this.dropCancelled();
    return this.n > 0 ? this.times[this.heap[0]!]! : Infinity;
  }

  /**
   * Pops the next live event into `out` ([time, kind, a, b]); returns false when empty.
   * Writing into a caller-owned array keeps the hot loop free of allocations.
   */
  pop(out: Float64Array): boolean {
    this.dropCancelled();
    if (this.n === 0) return false;
    const slot = this.removeTop();
    out[0] = this.times[slot]!;
    out[1] = this.kinds[slot]!;
    out[2] = this.as[slot]!;
    out[3] = this.bs[slot]!;
    this.release(slot);
    return true;
  }

  private dropCancelled(): void {
    while (this.n > 0 && this.live[this.heap[0]!] === 0) this.release(this.removeTop());
  }

  private release(slot: number): void {
    this.live[slot] = 0;
    this.gens[slot] = (this.gens[slot]! + 1) % 1048576;
    this.freeSlots[this.nFree++] = slot;
  }

  private less(x: number, y: number): boolean {
    const tx = this.times[x]!;
    const ty = this.times[y]!;
    return tx < ty || (tx === ty && this.seqs[x]! < this.seqs[y]!);
  }

  private removeTop(): number {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap[--this.n]!;
    const n = this.n;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && this.less(heap[r]!, heap[l]!) ? r : l;
        if (!this.less(heap[c]!, last)) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }

  private grow(): void {
    const cap = this.cap * 2;
    if (cap > 4194304) throw new Error('event queue overflow: more than 4,194,304 pending events');
    const g = <T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.times = g(this.times, (n) => new Float64Array(n));
    this.seqs = g(this.seqs, (n) => new Float64Array(n));
    this.kinds = g(this.kinds, (n) => new Int32Array(n));
    this.as = g(this.as, (n) => new Int32Array(n));
    this.bs = g(this.bs, (n) => new Int32Array(n));
    this.gens = g(this.gens, (n) => new Uint32Array(n));
    this.live = g(this.live, (n) => new Uint8Array(n));
    this.heap = g(this.heap, (n) => new Int32Array(n));
    this.freeSlots = g(this.freeSlots, (n) => new Int32Array(n));
    this.cap = cap;
  }
}
