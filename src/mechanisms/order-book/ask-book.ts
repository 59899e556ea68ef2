import type { Seconds } from '../types.js';
import { Heap } from './heap.js';

/** A standing ask. Immutable: a replacement is a new object. */
export interface Ask {
  readonly op: number;
  readonly entity: number;
  readonly profile: number;
  /** USD per Mcycle. */
  readonly price: number;
  readonly expiresAt: Seconds;
  readonly seq: number;
  /** The producer's rating when the ask was posted (with `ratingTieBreak`; 0 otherwise). */
  readonly rating: number;
}

/**
 * Price priority, then the producer's rating (higher first: =nil's "Apply proof producer's rating to
 * the sorted list", economics.md "Request/proposal matching process"), then time priority.
 */
export const askFirst = (a: Ask, b: Ask): boolean =>
  a.price < b.price || (a.price === b.price && (a.rating > b.rating || (a.rating === b.rating && a.seq < b.seq)));

/** The asks at one price (and rating), in time priority: `items[head..]`, ascending `seq`. */
interface Level {
  readonly price: number;
  readonly rating: number;
  items: Ask[];
  head: number;
}

const levelFirst = (a: Level, b: Level): boolean => a.price < b.price || (a.price === b.price && a.rating > b.rating);

/**
 * The asks of one capacity profile in {@link askFirst} order, as a book of price levels: a heap of
 * the levels, each a queue in time priority. Asks are posted with rising `seq`, so a new ask joins
 * the back of its level, and asks taken from the front and put back (skipped by a bid) return to
 * the front: O(1) each, where one heap of every ask cost O(log asks) a pop. Strategies that price by
 * cost post a few distinct prices, so there are a few levels. Deletion is lazy, as in the heap: a
 * cancelled, replaced, matched or expired ask stays until it reaches the front and is dropped.
 */
export class AskBook {
  private readonly levels = new Heap<Level>(levelFirst);
  /** Price → its levels (one per rating; one in all with no rating tie-break). */
  private readonly byPrice = new Map<number, Level[]>();
  /** Asks held (dead ones included until dropped). */
  size = 0;

  /** The first ask, undefined when empty. */
  peek(): Ask | undefined {
    const l = this.levels.peek();
    return l === undefined ? undefined : l.items[l.head];
  }

  /** Removes and returns the first ask. */
  pop(): Ask | undefined {
    const l = this.levels.peek();
    if (l === undefined) return undefined;
    const a = l.items[l.head]!;
    l.head++;
    this.size--;
    if (l.head === l.items.length) this.drop(l);
    return a;
  }

  /** Adds an ask in its place (a new ask: at the back of its level; one put back: at the front). */
  push(a: Ask): void {
    const l = this.levelOf(a);
    const items = l.items;
    this.size++;
    if (l.head === items.length || items[items.length - 1]!.seq < a.seq) {
      // Compact now and then: the queue's front is consumed in place.
      if (l.head > 64 && l.head * 2 > items.length) {
        items.copyWithin(0, l.head);
        items.length -= l.head;
        l.head = 0;
      }
      items.push(a);
    } else if (l.head > 0 && a.seq < items[l.head]!.seq) items[--l.head] = a;
    else items.splice(this.position(l, a.seq), 0, a);
  }

  /** Where an ask of time priority `seq` goes among the level's queued asks (a rare case: binary search). */
  private position(l: Level, seq: number): number {
    let lo = l.head;
    let hi = l.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (l.items[mid]!.seq < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private levelOf(a: Ask): Level {
    let at = this.byPrice.get(a.price);
    if (at === undefined) this.byPrice.set(a.price, (at = []));
    for (let i = 0; i < at.length; i++) if (at[i]!.rating === a.rating) return at[i]!;
    const l: Level = { price: a.price, rating: a.rating, items: [], head: 0 };
    at.push(l);
    this.levels.push(l);
    return l;
  }

  /** An emptied level leaves the book (it is the first level: only the front is consumed). */
  private drop(l: Level): void {
    this.levels.pop();
    const at = this.byPrice.get(l.price)!;
    at.splice(at.indexOf(l), 1);
    if (at.length === 0) this.byPrice.delete(l.price);
  }
}
