/**
 * Auditable random selection from a public beacon.
 *
 * A production network publishes a beacon (for example a VRF output) per job. The chosen prover is
 * a pure function of (beacon, job id, draw number) and the eligible set in ascending id order, so
 * anyone holding the beacon can recompute it with {@link audit}. The hash is a 32-bit integer
 * mixer (murmur3's finaliser over the inputs): fast enough for a million selections a second in the
 * simulator, and a production coordinator may swap it for a cryptographic hash with the same shape.
 */

/** murmur3 fmix32: a bijective avalanche over 32-bit integers. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes four 32-bit words into one uniform 32-bit word. */
export function hash4(a: number, b: number, c: number, d: number): number {
  let h = fmix32((a >>> 0) ^ 0x9e3779b9);
  h = fmix32(h ^ Math.imul(b >>> 0, 0xcc9e2d51));
  h = fmix32(h ^ Math.imul(c >>> 0, 0x1b873593));
  h = fmix32(h ^ Math.imul(d >>> 0, 0xe6546b64));
  return h;
}

/** A uniform number in [0, 1) from four words: used for beacons and failure draws. */
export function hashUniform(a: number, b: number, c: number, d: number): number {
  return hash4(a, b, c, d) / 4294967296;
}

/** Domain separator, so selection hashes never collide with other uses of {@link hash4}. */
const SELECT = 0x5e1ec7;

/**
 * The index (0 ≤ i < n) that a job's beacon selects on its `draw`-th draw (0, 1, 2, ... over the
 * job's life: first the redundant slots, then every fallback or re-draw after a decline).
 * Multiply-shift (Lemire) instead of modulo; the bias is below n / 2^32.
 */
export function selectionIndex(beacon: number, jobId: number, draw: number, n: number): number {
  return Math.floor((hash4(beacon, jobId, draw, SELECT) / 4294967296) * n);
}

/** Draws a fresh 32-bit beacon from an injected random source. */
export function drawBeacon(random: { next(): number }): number {
  return Math.floor(random.next() * 4294967296) >>> 0;
}

/**
 * Recomputes a selection: `k` consecutive draws starting at draw number `firstDraw`, from
 * `eligible` (node ids, in any order; sorted ascending first), each draw removing its pick from the
 * set. A job's first assignment is `audit(beacon, eligibleAtSubmit, jobId, 0, redundancy)`.
 */
export function audit(beacon: number, eligible: readonly number[], jobId: number, firstDraw = 0, k = 1): number[] {
  const pool = [...eligible].sort((x, y) => x - y);
  const chosen: number[] = [];
  for (let d = 0; d < k && pool.length > 0; d++) {
    const i = selectionIndex(beacon, jobId, firstDraw + d, pool.length);
    chosen.push(pool[i]!);
    pool.splice(i, 1);
  }
  return chosen;
}
