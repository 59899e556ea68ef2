import { describe, expect, it } from 'vitest';
import { type Ask, AskBook, askFirst } from './ask-book.js';
import { Heap } from './heap.js';
import { uniforms } from '../test-kit.js';

const ask = (seq: number, price: number, rating: number): Ask => ({ op: seq, entity: 0, profile: 0, price, expiresAt: 1e9, seq, rating });

describe('AskBook', () => {
  it('pops asks in askFirst order (price, then higher rating, then time), as one heap of every ask would', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rnd = uniforms(seed);
      const book = new AskBook();
      const heap = new Heap<Ask>(askFirst);
      let seq = 0;
      for (let step = 0; step < 4_000; step++) {
        const r = rnd();
        if (r < 0.5 || heap.size === 0) {
          const a = ask(seq++, [0.001, 0.0011, 0.002][Math.floor(rnd() * 3)]!, seed % 2 === 0 ? Math.floor(rnd() * 3) / 4 : 0);
          book.push(a);
          heap.push(a);
        } else if (r < 0.85) {
          expect(book.pop()).toBe(heap.pop());
        } else {
          // A bid skips a few asks from the front and puts them back, the last first (index.ts, postBid).
          const taken: Ask[] = [];
          for (let k = Math.floor(rnd() * 5); k > 0 && heap.size > 0; k--) {
            taken.push(book.pop()!);
            expect(taken[taken.length - 1]).toBe(heap.pop());
          }
          for (let i = taken.length - 1; i >= 0; i--) {
            book.push(taken[i]!);
            heap.push(taken[i]!);
          }
        }
        expect(book.size).toBe(heap.size);
        expect(book.peek()).toBe(heap.peek());
      }
    }
  });

  it('puts an ask back in its time place whatever the order it returns in', () => {
    const book = new AskBook();
    const asks = [0, 1, 2, 3].map((s) => ask(s, 0.001, 0));
    for (const a of asks) book.push(a);
    const front = [book.pop()!, book.pop()!, book.pop()!];
    for (const a of front) book.push(a); // first first: the middle one goes in by search
    expect([book.pop(), book.pop(), book.pop(), book.pop(), book.pop()]).toEqual([...asks, undefined]);
  });
});
