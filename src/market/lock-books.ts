import type { LockBook } from './lock-book.js';

/**
 * The open jobs' lock books, indexed by job id. Ids are dense and a book lives while its job waits
 * for a lock, so an array beats a Map: with 10,000 operators some thousands of jobs are in flight at
 * once, and a Map's set + delete per job kept rehashing (and promoting) its tables. Iteration
 * ({@link forEach}) runs from the lowest id that may still hold a book.
 */
export class LockBooks {
  private readonly items: (LockBook | undefined)[] = [];
  /** No book below this id. */
  private lo = 0;
  /** Books held. */
  size = 0;

  get(id: number): LockBook | undefined {
    return this.items[id];
  }

  set(id: number, b: LockBook): void {
    if (this.items[id] === undefined) this.size++;
    this.items[id] = b;
    if (id < this.lo) this.lo = id;
  }

  delete(id: number): void {
    if (this.items[id] === undefined) return;
    this.items[id] = undefined;
    this.size--;
    const items = this.items;
    while (this.lo < items.length && items[this.lo] === undefined) this.lo++;
  }

  /** Visits every book in id order (`f` may delete the book it is given). */
  forEach(f: (b: LockBook, id: number) => void): void {
    const items = this.items;
    for (let i = this.lo; i < items.length; i++) {
      const b = items[i];
      if (b !== undefined) f(b, i);
    }
  }
}
