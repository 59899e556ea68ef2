import { emptyBook, type LockBook } from './lock-book.js';

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
  /** Books given back ({@link recycle}), to reuse for new jobs. */
  private readonly spare: LockBook[] = [];

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

  /**
   * An empty book for job `jobId` (not yet held: {@link set} it). With thousands of jobs in flight a
   * book outlives a scavenge or two and is promoted; reusing the given-back ones spares the old space
   * one dead book and its array per job.
   */
  fresh(jobId: number): LockBook {
    const b = this.spare.pop();
    if (b === undefined) return emptyBook(jobId);
    b.jobId = jobId;
    b.until = 0;
    b.reward = 0;
    b.ramp = undefined;
    b.delay = 0;
    b.reach = 0;
    // Pops, not `length = 0`: that drops the backing store, and the next job's first answer
    // allocated a new one (promoted at 10,000 operators, where a book outlives a scavenge).
    const cs = b.cands;
    while (cs.length > 0) cs.pop();
    b.handle = -1;
    b.armedAt = Infinity;
    b.sentAt = -Infinity;
    return b;
  }

  /** Gives back a book that was deleted and that nothing holds any more (no kernel event armed). */
  recycle(b: LockBook): void {
    this.spare.push(b);
  }
}
