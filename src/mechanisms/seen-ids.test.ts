import { describe, expect, it } from 'vitest';
import { uniforms } from './test-kit.js';
import { markSeen, seenIds } from './types.js';

/** The test's id sequences come from the test kit's seeded stream, so every run checks the same ids. */
const lcg = uniforms;

/** Marks every id and returns markSeen's answers, beside what a plain Set would answer. */
function answers(ids: readonly number[]): { got: boolean[]; want: boolean[] } {
  const seen = seenIds();
  const ref = new Set<number>();
  const got: boolean[] = [];
  const want: boolean[] = [];
  for (const id of ids) {
    got.push(markSeen(seen, id));
    want.push(!ref.has(id));
    ref.add(id);
  }
  return { got, want };
}

describe('markSeen: the set of applied input ids', () => {
  it('accepts ids 0, 1, 2, ... in order once each, and refuses every repeat', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => i);
    const seen = seenIds();
    expect(ids.every((id) => markSeen(seen, id))).toBe(true);
    expect(ids.some((id) => markSeen(seen, id))).toBe(false);
  });

  it('answers as a Set does for in-order runs broken by repeats, gaps, negative, fractional and huge ids', () => {
    const next = lcg(7);
    for (let trial = 0; trial < 50; trial++) {
      const ids: number[] = [];
      let k = 0;
      for (let i = 0; i < 400; i++) {
        const u = next();
        if (u < 0.6) ids.push(k++);
        else if (u < 0.75) ids.push(Math.floor(next() * (k + 5)));
        else if (u < 0.85) ids.push(k + 1 + Math.floor(next() * 70));
        else if (u < 0.9) ids.push(-1 - Math.floor(next() * 3));
        else if (u < 0.95) ids.push(Math.floor(next() * 10) + 0.5);
        else ids.push(2 ** 30 + Math.floor(next() * 4));
      }
      const { got, want } = answers(ids);
      expect(got).toEqual(want);
    }
  });

  it('refuses an id of the in-order run after an out-of-order id was seen', () => {
    const { got } = answers([0, 1, 2, 10, 1, 3, 10, 3, 2]);
    expect(got).toEqual([true, true, true, true, false, true, false, false, false]);
  });
});
