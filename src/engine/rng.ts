import seedrandom from 'seedrandom';

/** A seeded stream of uniform numbers in [0, 1). */
export interface Rng {
  next(): number;
}

/**
 * A named, seeded random stream derived from (scenario seed, run index, stream name). Every
 * component draws from its own stream, so adding draws in one component never shifts another's
 * (the basis of common random numbers across mechanisms). Uses seedrandom's Alea generator: fast,
 * well tested, and seeded from a string.
 */
export function rngStream(seed: number, run: number, name: string): Rng {
  // Alea's generator reads no `this`: it is the stream's `next` itself (no wrapper call per draw).
  return { next: seedrandom.alea(`pmsim/${seed}/${run}/${name}`) };
}

/** Derives a 32-bit integer seed from (seed, run, name): for hash-based draws (failures, beacons). */
export function seed32(seed: number, run: number, name: string): number {
  const prng = seedrandom.alea(`pmsim-int/${seed}/${run}/${name}`);
  return prng.int32() >>> 0;
}
