/**
 * Auditable random selection from a public beacon, and the simulator's fast integer hash.
 *
 * A production network takes its randomness from outside the coordinator, so that the coordinator
 * cannot grind it: a drand round (the SHA-256 of the round's BLS signature, 32 bytes; drand
 * "How drand works", https://drand.love/docs/specification/) or a block hash. The caller hands it in
 * with each `submit`. The chosen prover is a pure function of (beacon, job id, draw number) and the
 * eligible set in ascending id order: draw d picks index floor(u × n) with u the first 53 bits of
 * SHA-256(beacon ‖ job id as 8 bytes ‖ d as 4 bytes, big-endian) / 2^53. Anyone holding the
 * published beacon and the eligible set recomputes it with {@link audit}. One hash per draw, never
 * per node: the free set is walked with a Fenwick tree (`free-index.ts`).
 *
 * {@link hash4} (murmur3's finaliser) stays for the simulator's own draws (hardware failures,
 * jitter, answer order), where speed matters and nobody needs to audit.
 */
import { beaconWords, selectionMessage, selectionWords, sha256 } from './sha256.js';

export { beaconWords, sha256, BEACON_BYTES } from './sha256.js';

/**
 * Hashes four 32-bit words into one uniform 32-bit word: murmur3's finaliser (fmix32) after each
 * word, written out in one function. The intermediate words stay signed 32-bit integers (the same
 * bits): a word above 2^31 returned from a helper call was boxed as a heap number, on every
 * failure and jitter draw of the simulator.
 */
export function hash4(a: number, b: number, c: number, d: number): number {
  let h = a ^ 0x9e3779b9;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  h ^= Math.imul(b, 0xcc9e2d51);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  h ^= Math.imul(c, 0x1b873593);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  h ^= Math.imul(d, 0xe6546b64);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) from four words: used for beacons and failure draws. */
export function hashUniform(a: number, b: number, c: number, d: number): number {
  return hash4(a, b, c, d) / 4294967296;
}

const words = new Int32Array(2);

/** u in [0, 1) from the first 53 bits of a digest's first two words. */
function unit(h0: number, h1: number): number {
  return ((h0 >>> 0) * 2097152 + (h1 >>> 11)) / 9007199254740992;
}

/**
 * The index (0 ≤ i < n) that a job's beacon selects on its `draw`-th draw (0, 1, 2, ... over the
 * job's life: first the redundant slots, then every fallback or re-draw after a decline). `beacon`:
 * the beacon as 8 big-endian words ({@link beaconWords}). The bias of floor(u × n) is below n / 2^53.
 */
export function selectionIndex(beacon: Int32Array, jobId: number, draw: number, n: number): number {
  selectionWords(beacon, jobId, draw, words);
  return Math.floor(unit(words[0]!, words[1]!) * n);
}

/**
 * Recomputes a selection from the published beacon (bytes) with the general SHA-256: `k`
 * consecutive draws starting at draw number `firstDraw`, from `eligible` (node ids, in any order;
 * sorted ascending first), each draw removing its pick from the set. A job's first assignment is
 * `audit(beacon, eligibleAtSubmit, jobId, 0, redundancy)`. A different beacon byte or eligible set
 * gives, with overwhelming probability, a different selection.
 */
export function audit(beacon: Uint8Array, eligible: readonly number[], jobId: number, firstDraw = 0, k = 1): number[] {
  beaconWords(beacon); // checks the length
  const pool = [...eligible].sort((x, y) => x - y);
  const chosen: number[] = [];
  for (let d = 0; d < k && pool.length > 0; d++) {
    const h = sha256(selectionMessage(beacon, jobId, firstDraw + d));
    const h0 = (h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!;
    const h1 = (h[4]! << 24) | (h[5]! << 16) | (h[6]! << 8) | h[7]!;
    const i = Math.floor(unit(h0, h1) * pool.length);
    chosen.push(pool[i]!);
    pool.splice(i, 1);
  }
  return chosen;
}

/**
 * Checks a published selection: true iff `chosen` (the operators of a job's assignments, in draw
 * order from `firstDraw`) is exactly what the beacon draws from the eligible set.
 */
export function verifySelection(
  beacon: Uint8Array,
  eligible: readonly number[],
  jobId: number,
  chosen: readonly number[],
  firstDraw = 0,
): boolean {
  const again = audit(beacon, eligible, jobId, firstDraw, chosen.length);
  return again.length === chosen.length && again.every((op, i) => op === chosen[i]);
}
