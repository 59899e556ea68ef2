import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.js';
import { rngStream } from './rng.js';

/** One scheduled event of the reference model: popped in (time, seq) order, skipped once cancelled. */
interface Ref {
  time: number;
  seq: number;
  handle: number;
  gone: boolean;
}

/** Pops the reference model's next live event: a plain scan for the least (time, seq). */
function refPop(refs: Ref[]): Ref | undefined {
  let best: Ref | undefined;
  for (const r of refs) if (!r.gone && (best === undefined || r.time < best.time || (r.time === best.time && r.seq < best.seq))) best = r;
  if (best !== undefined) best.gone = true;
  return best;
}

/**
 * Drives a queue and the reference model with one random mix of pushes (many ties: a few distinct
 * times, some earlier than the last pop), cancels (some of events that already ran) and pops, then
 * drains both; returns both pop sequences as [time, payload] pairs and the peeked times beside the
 * reference's least live time.
 */
function drive(seed: number, steps: number): { got: number[][]; want: number[][]; peeks: number[][] } {
  const rng = rngStream(seed, 0, 'event-queue-order');
  const int = (n: number): number => Math.floor(rng.next() * n);
  const q = new EventQueue(2);
  const refs: Ref[] = [];
  const buf = new Float64Array(4);
  const got: number[][] = [];
  const want: number[][] = [];
  const peeks: number[][] = [];
  let now = 0;
  const popBoth = (): boolean => {
    const ref = refPop(refs);
    const ok = q.pop(buf);
    got.push(ok ? [buf[0]!, buf[2]!] : []);
    want.push(ref === undefined ? [] : [ref.time, ref.seq]);
    if (ok) now = buf[0]!;
    return ok || ref !== undefined;
  };
  for (let step = 0; step < steps; step++) {
    const r = rng.next();
    if (r < 0.55) {
      const time = Math.max(0, now + int(10) - 2);
      refs.push({ time, seq: refs.length, handle: q.push(time, 3, refs.length, 0), gone: false });
    } else if (r < 0.7) {
      const victim = refs[int(refs.length)];
      if (victim !== undefined) {
        q.cancel(victim.handle); // may name an event that already ran: a no-op on both sides
        victim.gone = true;
      }
    } else popBoth();
    if (step % 37 === 0) {
      const live = refs.filter((x) => !x.gone).map((x) => x.time);
      peeks.push([q.peekTime(), live.length > 0 ? Math.min(...live) : Infinity]);
    }
  }
  while (popBoth());
  return { got, want, peeks };
}

describe('EventQueue order', () => {
  it('pops exactly the (time, seq) order of a sorted list, for random pushes with ties, cancels and pops', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { got, want, peeks } = drive(seed, 1500);
      expect(got).toEqual(want);
      for (const [peek, least] of peeks) expect(peek).toBe(least);
    }
  });
});
