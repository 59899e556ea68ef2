/** Slots of a new table (a power of two). */
const MIN_SLOTS = 64;
/** The ring grows no further: ids it cannot separate within this many slots go to the `far` map. */
const MAX_SLOTS = 1 << 22;
/** The key of an empty slot (no id a ring slot takes is negative). */
const EMPTY = -1;

/** Ids the ring takes: non-negative 31-bit integers (`id & mask` is then the id's low bits). */
function ringId(id: number): boolean {
  return (id | 0) === id && id >= 0;
}

/**
 * Records keyed by job id. The contract gives jobs dense ids in submission order, and only the open
 * ones are kept, so a power-of-two ring indexed by the id's low bits holds them: a lookup is one mask,
 * one key compare and one load, no hashing. The ring grows (doubles) only when two open ids share
 * a slot, so its size follows the spread of the open ids, not the number of ids ever used: an
 * array indexed by the whole id grew to a million slots in a million-job run, each growth a copy
 * the collector then scanned. Ids the ring cannot take (fractional, negative, or too far apart to
 * separate in {@link MAX_SLOTS} slots) go to a Map, so any id works.
 */
export class DenseTable<T> {
  private items: (T | undefined)[] = new Array<T | undefined>(MIN_SLOTS).fill(undefined);
  /** The id held by each slot (EMPTY: none). */
  private keys = new Float64Array(MIN_SLOTS).fill(EMPTY);
  private mask = MIN_SLOTS - 1;
  private readonly far = new Map<number, T>();

  get(id: number): T | undefined {
    const s = id & this.mask;
    if (this.keys[s] === id) return this.items[s];
    return this.far.size > 0 ? this.far.get(id) : undefined;
  }

  set(id: number, value: T): void {
    const s = id & this.mask;
    const k = this.keys[s];
    if (k === id) this.items[s] = value;
    else if (!ringId(id) || (this.far.size > 0 && this.far.has(id))) this.far.set(id, value);
    else if (k === EMPTY) {
      this.keys[s] = id;
      this.items[s] = value;
    } else if (this.grow(id)) this.set(id, value);
    else this.far.set(id, value);
  }

  delete(id: number): void {
    const s = id & this.mask;
    if (this.keys[s] === id) {
      this.keys[s] = EMPTY;
      this.items[s] = undefined;
    } else if (this.far.size > 0) this.far.delete(id);
  }

  /** Doubles the ring until `id` and every held id have slots of their own; false past MAX_SLOTS. */
  private grow(id: number): boolean {
    for (let n = this.keys.length * 2; n <= MAX_SLOTS; n *= 2) {
      if (!this.separates(n, id)) continue;
      const keys = new Float64Array(n).fill(EMPTY);
      const items = new Array<T | undefined>(n).fill(undefined);
      for (let s = 0; s < this.keys.length; s++) {
        const k = this.keys[s]!;
        if (k === EMPTY) continue;
        keys[k & (n - 1)] = k;
        items[k & (n - 1)] = this.items[s];
      }
      this.keys = keys;
      this.items = items;
      this.mask = n - 1;
      return true;
    }
    return false;
  }

  /** Do the held ids and `id` fall in distinct slots of a ring of `n`? */
  private separates(n: number, id: number): boolean {
    const taken = new Uint8Array(n);
    taken[id & (n - 1)] = 1;
    const keys = this.keys;
    // Indexed: a typed array's iterator allocates a result per step where this runs unoptimized.
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (k === EMPTY) continue;
      if (taken[k & (n - 1)]) return false;
      taken[k & (n - 1)] = 1;
    }
    return true;
  }
}
