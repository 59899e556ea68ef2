import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.js';
import { Simulation } from './simulation.js';

describe('EventQueue', () => {
  it('pops events in time order, and same-time events in scheduling order', () => {
    const q = new EventQueue(2);
    const times = [5, 1, 3, 1, 5, 0, 3, 1];
    times.forEach((t, i) => q.push(t, 0, i, 0));
    const buf = new Float64Array(4);
    const got: [number, number][] = [];
    while (q.pop(buf)) got.push([buf[0]!, buf[2]!]);
    expect(got).toEqual([
      [0, 5],
      [1, 1],
      [1, 3],
      [1, 7],
      [3, 2],
      [3, 6],
      [5, 0],
      [5, 4],
    ]);
  });

  it('never returns a cancelled event, and cancelling a finished event is harmless', () => {
    const q = new EventQueue(4);
    const h1 = q.push(1, 0, 1, 0);
    const h2 = q.push(2, 0, 2, 0);
    q.push(3, 0, 3, 0);
    q.cancel(h2);
    const buf = new Float64Array(4);
    expect(q.pop(buf) && buf[2]).toBe(1);
    q.cancel(h1); // already ran: its slot may be reused
    const h4 = q.push(4, 0, 4, 0);
    expect(q.pop(buf) && buf[2]).toBe(3);
    expect(q.pop(buf) && buf[2]).toBe(4);
    expect(q.pop(buf)).toBe(false);
    q.cancel(h4);
  });

  it('keeps heap order over many random pushes (grows past its initial capacity)', () => {
    const q = new EventQueue(1);
    let x = 12345;
    const ts: number[] = [];
    for (let i = 0; i < 5000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      ts.push(x % 1000);
      q.push(x % 1000, 0, i, 0);
    }
    const buf = new Float64Array(4);
    let prevT = -1;
    let prevSeq = -1;
    let n = 0;
    while (q.pop(buf)) {
      expect(buf[0]! > prevT || (buf[0] === prevT && buf[2]! > prevSeq)).toBe(true);
      prevT = buf[0]!;
      prevSeq = buf[2]!;
      n++;
    }
    expect(n).toBe(5000);
  });
});

describe('Simulation', () => {
  it('runs handlers at their times and stops at run-until with the clock at that time', () => {
    const sim = new Simulation();
    const seen: number[] = [];
    sim.on(0, (a) => {
      seen.push(sim.now);
      if (a < 5) sim.schedule(10, 0, a + 1);
    });
    sim.schedule(0, 0, 0);
    sim.run(35);
    expect(seen).toEqual([0, 10, 20, 30]);
    expect(sim.now).toBe(35);
    expect(sim.peek()).toBe(40);
    expect(sim.step()).toBe(true);
    expect(sim.now).toBe(40);
    expect(sim.events).toBe(5);
  });

  it('run() without a limit stops when no event is left', () => {
    const sim = new Simulation();
    let n = 0;
    sim.on(0, () => {
      if (++n < 100) sim.schedule(1, 0);
    });
    sim.schedule(0, 0);
    sim.run();
    expect(n).toBe(100);
    expect(sim.now).toBe(99);
  });

  it('refuses to schedule into the past', () => {
    const sim = new Simulation();
    expect(() => sim.schedule(-1, 0)).toThrow(/past/);
  });
});
