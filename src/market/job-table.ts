import { DenseTable } from '../mechanisms/dense-table.js';

/**
 * Open jobs by id, in a {@link DenseTable} (a ring over the open ids: a lookup is a mask and a compare).
 *
 * Deleted records are kept for reuse ({@link reuse}): the shell opens and closes a record per job,
 * and recycling it spares the garbage collector one object (and its boxed numbers) per job. So a
 * record is valid only while its job is open: nothing may hold one past `delete` and the next `reuse`.
 */
export class JobTable<T> {
  private readonly items = new DenseTable<T>();
  private readonly spare: T[] = [];
  /** Number of open jobs. */
  size = 0;

  get(id: number): T | undefined {
    return this.items.get(id);
  }

  has(id: number): boolean {
    return this.items.get(id) !== undefined;
  }

  set(id: number, value: T): void {
    if (this.items.get(id) === undefined) this.size++;
    this.items.set(id, value);
  }

  /** Closes a job; its record goes back for {@link reuse}. */
  delete(id: number): void {
    const rec = this.items.get(id);
    if (rec === undefined) return;
    this.items.delete(id);
    this.size--;
    this.spare.push(rec);
  }

  /** The record {@link reuse} would give next, left in place (undefined: none spare). */
  nextSpare(): T | undefined {
    return this.spare.length > 0 ? this.spare[this.spare.length - 1] : undefined;
  }

  /** A record of a closed job, to overwrite for a new one (undefined: none spare). */
  reuse(): T | undefined {
    return this.spare.pop();
  }
}
