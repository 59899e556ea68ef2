import seedrandom from 'seedrandom';

/** A seeded stream of uniform numbers in [0, 1). */
export interface Rng {
  next(): number;
  /**
   * Advances the stream by one draw whose value nobody reads (a pure strategy's ignored `u`). A
   * stream may defer it (a {@link StreamBank} stream not seeded yet only counts it): the numbers
   * drawn afterwards are the same as if `next()` had been called.
   */
  skip?(): void;
}

/** Advances `rng` by one unread draw: its `skip` when it has one, else `next()`. */
export function skipDraw(rng: Rng): void {
  if (rng.skip !== undefined) rng.skip();
  else rng.next();
}

/**
 * A named, seeded random stream derived from (scenario seed, run index, stream name). Every
 * component draws from its own stream, so adding draws in one component never shifts another's
 * (the basis of common random numbers across mechanisms). The generator is Alea (Baagoe), seeded
 * from a string: seedrandom's numbers exactly, from the port below (`alea`), which seeds faster.
 */
export function rngStream(seed: number, run: number, name: string): Rng {
  // The generator reads no `this`: it is the stream's `next` itself (no wrapper call per draw).
  return { next: alea(`pmsim/${seed}/${run}/${name}`) };
}

/** 2^-32. */
const TWO_M32 = 2.3283064365386963e-10;

/**
 * seedrandom's Alea (`seedrandom/lib/alea.js`, Baagoe's algorithm): the same numbers, op for op
 * (rng.test.ts checks it against the library). The library keeps its hash state in a closure
 * variable, which boxes a new number at every step: seeding the ~5,500 entity streams of a
 * 10,000-operator run took about 25 ms of its set-up. Here the hash state is a local.
 */
function alea(seed: string): () => number {
  const init = [0, 0, 0, 1];
  aleaSeed(seed, init, 0);
  // The state in an object, as in the library: its fields are updated in place, where a closure's
  // variables would box a new number on every draw.
  const st = { s0: init[0]!, s1: init[1]!, s2: init[2]!, c: 1 };
  return () => {
    const t = 2091639 * st.s0 + st.c * TWO_M32;
    st.s0 = st.s1;
    st.s1 = st.s2;
    st.c = t | 0;
    st.s2 = t - st.c;
    return st.s2;
  };
}

/** Writes Alea's initial state for `seed` (s0, s1, s2, c = 1) into `out` from index `at`. */
function aleaSeed(seed: string, out: { [i: number]: number }, at: number): void {
  // Mash's state carries over from call to call: three hashes of ' ', then three of the seed.
  let n = 0xefc8249d;
  for (let k = 0; k < 3; k++) {
    n = mash(n, ' ');
    out[at + k] = (n >>> 0) * TWO_M32;
  }
  for (let k = 0; k < 3; k++) {
    n = mash(n, seed);
    out[at + k]! -= (n >>> 0) * TWO_M32;
    if (out[at + k]! < 0) out[at + k]! += 1;
  }
  out[at + 3] = 1;
}

/**
 * Many named streams with their states side by side: stream `i` draws the numbers of
 * {@link rngStream}`(seed, run, name(i))`, seeded on its first draw (most entities of a large
 * population never draw; the seed depends on its name alone, so the numbers do not depend on which
 * stream draws first). A stream's state is four numbers in one shared array, where a stream of its
 * own is a closure, its context, a state object and four boxed numbers: at 10,000 operators the
 * entities' streams are drawn at random and each of those objects is a cache miss.
 */
export class StreamBank {
  /** s0, s1, s2, c of each stream. */
  private readonly state: Float64Array;
  private readonly seeded: Uint8Array;
  /** Unread draws skipped before the stream was seeded: drawn (and dropped) when it is. */
  private readonly owed: Uint32Array;

  constructor(
    private readonly seed: number,
    private readonly run: number,
    private readonly name: (i: number) => string,
    count: number,
  ) {
    this.state = new Float64Array(4 * count);
    this.seeded = new Uint8Array(count);
    this.owed = new Uint32Array(count);
  }

  /** The next number of stream `i`. */
  next(i: number): number {
    if (this.seeded[i] === 0) this.seedStream(i);
    const st = this.state;
    const k = 4 * i;
    const t = 2091639 * st[k]! + st[k + 3]! * TWO_M32;
    st[k] = st[k + 1]!;
    st[k + 1] = st[k + 2]!;
    const c = t | 0;
    st[k + 3] = c;
    const u = t - c;
    st[k + 2] = u;
    return u;
  }

  /**
   * Advances stream `i` by one draw nobody reads. An unseeded stream only counts it: a run of 10,000
   * operators whose pure strategies ignore their draws (the order book's opening asks) seeds none of
   * their ~5,500 streams, and a stream seeded later first draws what it owes, so its numbers are unchanged.
   */
  skip(i: number): void {
    if (this.seeded[i] === 0) this.owed[i]!++;
    else this.next(i);
  }

  /** Stream `i` as an {@link Rng}. */
  stream(i: number): Rng {
    return new BankStream(this, i);
  }

  private seedStream(i: number): void {
    aleaSeed(`pmsim/${this.seed}/${this.run}/${this.name(i)}`, this.state, 4 * i);
    this.seeded[i] = 1;
    for (let k = this.owed[i]!; k > 0; k--) this.next(i);
    this.owed[i] = 0;
  }
}

/** One stream of a {@link StreamBank}. */
class BankStream implements Rng {
  constructor(
    private readonly bank: StreamBank,
    private readonly i: number,
  ) {}

  next(): number {
    return this.bank.next(this.i);
  }

  skip(): void {
    this.bank.skip(this.i);
  }
}

/** Baagoe's Mash: the hash state `n` after reading `data`. */
function mash(n: number, data: string): number {
  for (let i = 0; i < data.length; i++) {
    n += data.charCodeAt(i);
    let h = 0.02519603282416938 * n;
    n = h >>> 0;
    h -= n;
    h *= n;
    n = h >>> 0;
    h -= n;
    n += h * 0x100000000; // 2^32
  }
  return n;
}

/** Derives a 32-bit integer seed from (seed, run, name): for hash-based draws (failures, beacons). */
export function seed32(seed: number, run: number, name: string): number {
  const prng = seedrandom.alea(`pmsim-int/${seed}/${run}/${name}`);
  return prng.int32() >>> 0;
}
