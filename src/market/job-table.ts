/**
 * Open jobs by id. Job ids are dense (0, 1, 2, ... in submission order), so an array indexed by id
 * replaces a Map on the hot path: a lookup is one bounds check and one load. It costs one slot per
 * job ever submitted (8 bytes), which is small next to everything else a job touches.
 *
 * Deleted records are kept for reuse ({@link reuse}): the shell opens and closes a record per job,
 * and recycling it spares the garbage collector one object (and its boxed numbers) per job. So a
 * record is valid only while its job is open: nothing may hold one past `delete` and the next `reuse`.
 */
export class JobTable<T> {
  private items: (T | undefined)[] = [];
  private readonly spare: T[] = [];
  /** Number of open jobs. */
  size = 0;

  get(id: number): T | undefined {
    return this.items[id];
  }

  has(id: number): boolean {
    return this.items[id] !== undefined;
  }

  set(id: number, value: T): void {
    if (this.items[id] === undefined) this.size++;
    this.items[id] = value;
  }

  /** Closes a job; its record goes back for {@link reuse}. */
  delete(id: number): void {
    const rec = this.items[id];
    if (rec === undefined) return;
    this.items[id] = undefined;
    this.size--;
    this.spare.push(rec);
  }

  /** A record of a closed job, to overwrite for a new one (undefined: none spare). */
  reuse(): T | undefined {
    return this.spare.pop();
  }
}
