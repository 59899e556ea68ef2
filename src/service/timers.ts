/** A timer the core asked for: wake job `jobId` with `tag` at `at`. */
export interface Timer {
  readonly at: number;
  /** Scheduling order, so timers due at the same time fire in the order they were set (as in the simulator). */
  readonly order: number;
  readonly jobId: number;
  readonly tag: number;
}

/**
 * The core's pending timers, ordered by (time, scheduling order): the simulator's event queue
 * orders its events the same way, so a replay fires them in the same order. A timer set in the
 * past is due now (the simulator clamps it the same way).
 */
export class TimerQueue {
  private heap: Timer[] = [];
  private order = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Schedules a timer; `now` clamps a time in the past. */
  push(at: number, now: number, jobId: number, tag: number): void {
    const t: Timer = { at: Math.max(at, now), order: this.order++, jobId, tag };
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  /** The next timer to fire, if any. */
  peek(): Timer | undefined {
    return this.heap[0];
  }

  /** Removes and returns the next timer. */
  pop(): Timer | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}
