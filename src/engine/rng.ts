import seedrandom from 'seedrandom';

/** A seeded stream of uniform numbers in [0, 1). */
export interface Rng {
  next(): number;
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
  // Mash's state carries over from call to call: three hashes of ' ', then three of the seed.
  let n = 0xefc8249d;
  const out = [0, 0, 0];
  for (let k = 0; k < 3; k++) {
    n = mash(n, ' ');
    out[k] = (n >>> 0) * TWO_M32;
  }
  for (let k = 0; k < 3; k++) {
    n = mash(n, seed);
    out[k]! -= (n >>> 0) * TWO_M32;
    if (out[k]! < 0) out[k]! += 1;
  }
  // The state in an object, as in the library: its fields are updated in place, where a closure's
  // variables would box a new number on every draw.
  const st = { s0: out[0]!, s1: out[1]!, s2: out[2]!, c: 1 };
  return () => {
    const t = 2091639 * st.s0 + st.c * TWO_M32;
    st.s0 = st.s1;
    st.s1 = st.s2;
    st.c = t | 0;
    st.s2 = t - st.c;
    return st.s2;
  };
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
