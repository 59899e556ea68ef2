/**
 * BidClasses.walk (src/mechanisms/bid-classes.ts): the class walk's one pass over a class must meet
 * the ready and busy members in the same arrival rotation as the Fenwick queries (`at`), across
 * word boundaries of its bitsets, with wrap-around, and stop where the visitor says.
 */
import { describe, expect, it } from 'vitest';
import { BUSY, BidClasses, READY } from '../src/mechanisms/bid-classes.js';
import type { OperatorInfo } from '../src/mechanisms/types.js';

const node = (id: number, bidClass: number): OperatorInfo => ({
  id,
  entity: id,
  capacity: { gpus: 1, cpus: 1, memoryGb: 1 },
  hardware: 'gpu',
  bidClass,
});

/** 200 nodes in two classes (ids interleaved), flags from a fixed LCG. */
function population() {
  const b = new BidClasses();
  for (let id = 0; id < 200; id++) b.add(node(id, id % 3 === 0 ? 1 : 0));
  let x = 12345;
  const draw = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
  for (let id = 0; id < 200; id++) {
    const u = draw();
    if (u < 0.3) b.setReady(id, true);
    else if (u < 0.6) b.setBusy(id, true);
  }
  return b;
}

/** The members met by the Fenwick queries, merged in rotation order from `start`. */
function expected(b: BidClasses, c: number, start: number): [number, boolean][] {
  const all: [number, boolean][] = [];
  for (const which of [READY, BUSY]) {
    const from = b.rotationFrom(c, start, which);
    for (let j = 0; j < b.count(c, which); j++) all.push([b.at(c, from, j, which), which === READY]);
  }
  const key = (id: number) => (id >= start ? id - start : id - start + 1e9);
  return all.sort((p, q) => key(p[0]) - key(q[0]));
}

describe('BidClasses.walk', () => {
  it.each([0, 1, 31, 32, 33, 64, 100, 150, 199, 250])('meets every ready and busy member in the rotation from node %i', (start) => {
    const b = population();
    for (const c of [0, 1]) {
      const met: [number, boolean][] = [];
      b.walk(c, start, (id, ready) => {
        met.push([id, ready]);
        return true;
      });
      expect(met.length).toBeGreaterThan(20);
      expect(met).toEqual(expected(b, c, start));
    }
  });

  it('stops at the member where the visitor returns false', () => {
    const b = population();
    const met: number[] = [];
    b.walk(0, 70, (id) => {
      met.push(id);
      return met.length < 5;
    });
    expect(met).toEqual(
      expected(b, 0, 70)
        .slice(0, 5)
        .map((p) => p[0]),
    );
  });

  it('follows a flag set off and on again, and an unknown class meets nobody', () => {
    const b = population();
    const first = expected(b, 0, 0)[0]![0];
    b.setReady(first, false);
    b.setBusy(first, false);
    const met: number[] = [];
    b.walk(0, 0, (id) => {
      met.push(id);
      return true;
    });
    expect(met).not.toContain(first);
    b.setBusy(first, true);
    const again: [number, boolean][] = [];
    b.walk(0, 0, (id, ready) => {
      again.push([id, ready]);
      return true;
    });
    expect(again[0]).toEqual([first, false]);
    let n = 0;
    b.walk(7, 0, () => ++n > 0);
    expect(n).toBe(0);
  });

  it('answers the rotation queries alike whether they were first asked before or after the flags changed', () => {
    // The Fenwick trees are built at the first rotation query, then kept up to date by every flag change.
    const early = population();
    const late = population();
    expected(early, 0, 50);
    expected(early, 1, 50);
    for (const b of [early, late])
      for (let id = 0; id < 200; id += 7) {
        b.setReady(id, id % 2 === 0);
        b.setBusy(id, id % 2 === 1);
      }
    for (const c of [0, 1])
      for (const start of [0, 33, 150]) {
        const met: [number, boolean][] = [];
        late.walk(c, start, (id, ready) => {
          met.push([id, ready]);
          return true;
        });
        expect(expected(early, c, start)).toEqual(met);
        expect(expected(late, c, start)).toEqual(met);
      }
  });
});
