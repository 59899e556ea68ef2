import { describe, expect, it } from 'vitest';
import { AttemptBook } from './attempt-book.js';

describe('AttemptBook', () => {
  it('gives back an attempt with its fields, once', () => {
    const book = new AttemptBook(3);
    book.add(7, 2, 10, 20, true, 99);
    const a = AttemptBook.blank();
    expect(book.take(7, 2, a)).toBe(true);
    expect(a).toEqual({ jobId: 7, node: 2, start: 10, end: 20, failed: true, handle: 99 });
    expect(book.take(7, 2, a)).toBe(false);
  });

  it('keeps several attempts of one node (capacity-blind) and takes them in any order', () => {
    const book = new AttemptBook(1);
    book.add(1, 0, 0, 5, false, 11);
    book.add(2, 0, 5, 9, true, 12);
    book.add(3, 0, 9, 12, false, 13);
    const a = AttemptBook.blank();
    expect(book.take(2, 0, a)).toBe(true);
    expect(a.handle).toBe(12);
    expect(book.take(1, 0, a)).toBe(true);
    expect(a).toMatchObject({ jobId: 1, start: 0, end: 5, failed: false });
    // The third is now the node's first attempt; a new one goes behind it.
    book.add(4, 0, 12, 20, false, 14);
    expect(book.take(3, 0, a)).toBe(true);
    expect(a).toMatchObject({ jobId: 3, start: 9, end: 12, handle: 13 });
    expect(book.take(4, 0, a)).toBe(true);
    expect(a.end).toBe(20);
    expect(book.take(4, 0, a)).toBe(false);
  });

  it('finds nothing for another job or node, and grows for a node beyond its size', () => {
    const book = new AttemptBook(2);
    book.add(5, 1, 0, 1, false, 1);
    const a = AttemptBook.blank();
    expect(book.take(6, 1, a)).toBe(false);
    expect(book.take(5, 0, a)).toBe(false);
    expect(book.take(5, 40, a)).toBe(false);
    book.add(8, 40, 2, 3, false, 2);
    expect(book.take(8, 40, a)).toBe(true);
    expect(book.take(5, 1, a)).toBe(true);
  });

  it('holds many later attempts per node like a list of records: the first taken leaves the next in its place', () => {
    const book = new AttemptBook(4);
    type Rec = { jobId: number; start: number; end: number; failed: boolean; handle: number };
    const ref: Rec[][] = [[], [], [], []];
    const a = AttemptBook.blank();
    let x = 3;
    let job = 0;
    for (let step = 0; step < 4000; step++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const node = x % 4;
      const list = ref[node]!;
      if (list.length > 0 && x % 3 === 0) {
        // Take one of the node's attempts: its first, or one further back.
        const r = list.splice(((x >> 4) % list.length) * (x % 2), 1)[0]!;
        expect(book.take(r.jobId, node, a)).toBe(true);
        expect(a).toEqual({ ...r, node });
      } else if (list.length < 12) {
        const r = { jobId: job++, start: step + 0.25, end: step + 1.5, failed: x % 5 === 0, handle: 1000 + step };
        list.push(r);
        book.add(r.jobId, node, r.start, r.end, r.failed, r.handle);
      }
      // A job the node does not hold is not found.
      expect(book.take(-5, node, a)).toBe(false);
    }
    for (let node = 0; node < 4; node++) {
      for (const r of ref[node]!) {
        expect(book.take(r.jobId, node, a)).toBe(true);
        expect(a).toEqual({ ...r, node });
      }
      expect(book.take(ref[node]![0]?.jobId ?? 0, node, a)).toBe(false);
    }
  });
});
