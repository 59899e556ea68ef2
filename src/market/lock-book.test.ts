import { describe, expect, it } from 'vitest';
import { count, dropFirst, emptyBook, insert, NODE, STRIDE } from './lock-book.js';

describe('lock book: would-be lockers earliest first', () => {
  it('dropFirst removes the earliest n and keeps the rest in order (n past the end empties the book)', () => {
    const b = emptyBook(1);
    for (let i = 0; i < 6; i++) insert(b, { t: 10 - i, tie: 0, node: i, cls: -1 });
    expect(count(b)).toBe(6);
    dropFirst(b, 2);
    expect(count(b)).toBe(4);
    const nodes = (): number[] => Array.from({ length: count(b) }, (_, k) => b.cands[k * STRIDE + NODE]!);
    expect(nodes()).toEqual([3, 2, 1, 0]);
    dropFirst(b, 0);
    expect(nodes()).toEqual([3, 2, 1, 0]);
    dropFirst(b, 9);
    expect(b.cands).toEqual([]);
  });
});
