import { describe, expect, it } from 'vitest';
import { removeAt, removeValue } from './remove.js';

describe('removeAt: a run of elements out of a list, in place, as splice would', () => {
  it('removes n elements from i and keeps the order of the rest, as splice(i, n) does', () => {
    for (const [i, n] of [
      [0, 1],
      [0, 5],
      [2, 3],
      [4, 10],
      [7, 1],
      [3, 0],
      [9, 2],
    ] as const) {
      const xs = [0, 1, 2, 3, 4, 5, 6, 7];
      const ref = xs.slice();
      ref.splice(i, n);
      removeAt(xs, i, n);
      expect(xs, `${i}, ${n}`).toEqual(ref);
    }
  });
});

describe('removeValue: the first occurrence out of a list, in place', () => {
  it('removes only the first occurrence and keeps the order of the rest', () => {
    const xs = [3, 1, 4, 1, 5];
    expect(removeValue(xs, 1)).toBe(true);
    expect(xs).toEqual([3, 4, 1, 5]);
    expect(removeValue(xs, 5)).toBe(true);
    expect(removeValue(xs, 3)).toBe(true);
    expect(xs).toEqual([4, 1]);
  });

  it('leaves the list as it was and answers false for a value it does not hold', () => {
    const xs = [2, 7];
    expect(removeValue(xs, 9)).toBe(false);
    expect(xs).toEqual([2, 7]);
    expect(removeValue([], 0)).toBe(false);
  });
});
