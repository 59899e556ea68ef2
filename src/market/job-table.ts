/**
 * Open jobs by id. Job ids are dense (0, 1, 2, ... in submission order), so an array indexed by id
 * replaces a Map on the hot path: a lookup is one bounds check and one load. It costs one slot per
 * job ever submitted (8 bytes), which is small next to everything else a job touches.
 */
export class JobTable<T> {
  private items: (T | undefined)[] = [];
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

  delete(id: number): void {
    if (this.items[id] === undefined) return;
    this.items[id] = undefined;
    this.size--;
  }
}
