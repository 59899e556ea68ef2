/**
 * Records keyed by job id. The contract gives jobs dense ids in submission order, so an array
 * indexed by id beats a Map on the hot path (one bounds check and one load, no hashing or rehashing).
 * It costs one slot per id ever used; a sparse id simply leaves a hole.
 */
export class DenseTable<T> {
  private items: (T | undefined)[] = [];

  get(id: number): T | undefined {
    return this.items[id];
  }

  set(id: number, value: T): void {
    this.items[id] = value;
  }

  delete(id: number): void {
    if (id < this.items.length) this.items[id] = undefined;
  }
}
