import { EventQueue } from './event-queue.js';

/** Handles one event kind: `a` and `b` are the integer payloads given to `schedule`. */
export type Handler = (a: number, b: number) => void;

/**
 * The discrete-event kernel (SimPy's shape): a clock, an event queue keyed by (time, seq), and the
 * verbs schedule / cancel / peek / step / run. It knows nothing of markets: callers register a
 * handler per integer event kind and pass integers as payloads, so the hot loop allocates nothing.
 */
export class Simulation {
  /** Current simulated time, in seconds. */
  now = 0;
  /** Events executed so far. */
  events = 0;
  private readonly queue = new EventQueue(4096);
  private readonly handlers: Handler[] = [];
  private readonly buf = new Float64Array(4);

  /** Registers the handler of an event kind and returns the kind. */
  on(kind: number, handler: Handler): number {
    this.handlers[kind] = handler;
    return kind;
  }

  /** Schedules an event `delay` seconds from now; returns a handle for {@link cancel}. */
  schedule(delay: number, kind: number, a = 0, b = 0): number {
    if (!(delay >= 0)) throw new RangeError(`cannot schedule into the past (delay ${delay})`);
    return this.queue.push(this.now + delay, kind, a, b);
  }

  /** Schedules an event at an absolute time (not before now). */
  at(time: number, kind: number, a = 0, b = 0): number {
    return this.queue.push(time < this.now ? this.now : time, kind, a, b);
  }

  cancel(handle: number): void {
    this.queue.cancel(handle);
  }

  /** Time of the next event, or Infinity. */
  peek(): number {
    return this.queue.peekTime();
  }

  /** Runs the next event; returns false when there is none. */
  step(): boolean {
    const buf = this.buf;
    if (!this.queue.pop(buf)) return false;
    this.now = buf[0]!;
    this.events++;
    const h = this.handlers[buf[1]!];
    if (h === undefined) throw new Error(`no handler for event kind ${buf[1]}`);
    h(buf[2]!, buf[3]!);
    return true;
  }

  /** Runs events while the next one is at or before `until`; the clock then reads `until`. */
  run(until = Infinity): void {
    const q = this.queue;
    const buf = this.buf;
    const handlers = this.handlers;
    while (q.popUntil(buf, until)) {
      this.now = buf[0]!;
      this.events++;
      handlers[buf[1]!]!(buf[2]!, buf[3]!);
    }
    if (until !== Infinity && this.now < until) this.now = until;
  }
}
