/**
 * SHA-256 (FIPS 180-4) in plain TypeScript, synchronous, for the allocation core: it must run in a
 * browser as well as in Node (`node:crypto` is not available there, and `crypto.subtle` is async).
 * {@link sha256} hashes any bytes; {@link selectionWords} is the one-block fast path of a selection
 * draw, SHA-256(beacon ‖ job id ‖ draw), with no allocation. Tested against `node:crypto`.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/** Message schedule scratch: the hash is synchronous, so one buffer serves every call. */
const W = new Int32Array(64);

/** Compresses the 16 words in W[0..15] into `h` (8 words, updated in place). */
function compress(h: Int32Array): void {
  for (let t = 16; t < 64; t++) {
    const w15 = W[t - 15]!;
    const w2 = W[t - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[t] = (W[t - 16]! + s0 + W[t - 7]! + s1) | 0;
  }
  let a = h[0]!,
    b = h[1]!,
    c = h[2]!,
    d = h[3]!,
    e = h[4]!,
    f = h[5]!,
    g = h[6]!,
    hh = h[7]!;
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (hh + S1 + ch + K[t]! + W[t]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + b) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
  h[4] = (h[4]! + e) | 0;
  h[5] = (h[5]! + f) | 0;
  h[6] = (h[6]! + g) | 0;
  h[7] = (h[7]! + hh) | 0;
}

/** SHA-256 of `bytes`. */
export function sha256(bytes: Uint8Array): Uint8Array {
  const h = Int32Array.from(H0);
  const n = bytes.length;
  const blocks = Math.ceil((n + 9) / 64);
  const padded = new Uint8Array(blocks * 64);
  padded.set(bytes);
  padded[n] = 0x80;
  const bits = n * 8;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bits / 4294967296));
  view.setUint32(padded.length - 4, bits >>> 0);
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < 16; i++) W[i] = view.getInt32(b * 64 + i * 4);
    compress(h);
  }
  const out = new Uint8Array(32);
  const ov = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) ov.setInt32(i * 4, h[i]!);
  return out;
}

/** Length of a beacon in bytes (a drand round signature's SHA-256, a block hash). */
export const BEACON_BYTES = 32;

/** A 32-byte beacon as 8 big-endian words (what the fast path reads). */
export function beaconWords(beacon: Uint8Array): Int32Array {
  if (beacon.length !== BEACON_BYTES) throw new RangeError(`beacon must be ${BEACON_BYTES} bytes, got ${beacon.length}`);
  const w = new Int32Array(8);
  for (let i = 0; i < 8; i++) w[i] = (beacon[i * 4]! << 24) | (beacon[i * 4 + 1]! << 16) | (beacon[i * 4 + 2]! << 8) | beacon[i * 4 + 3]!;
  return w;
}

/** The message of a selection draw: beacon (32 bytes) ‖ job id (8 bytes, big-endian) ‖ draw (4 bytes, big-endian). */
export function selectionMessage(beacon: Uint8Array, jobId: number, draw: number): Uint8Array {
  const m = new Uint8Array(BEACON_BYTES + 12);
  m.set(beacon);
  const v = new DataView(m.buffer);
  v.setUint32(BEACON_BYTES, Math.floor(jobId / 4294967296));
  v.setUint32(BEACON_BYTES + 4, jobId >>> 0);
  v.setUint32(BEACON_BYTES + 8, draw >>> 0);
  return m;
}

/**
 * What a selection draw can reuse across draws of one beacon (the simulator's jobs of one 30-s
 * beacon round share it): the state after the 8 rounds that read only the beacon's words (the
 * midstate), and the parts of message words 16-22 that depend only on the beacon and the fixed
 * padding. Keyed by the beacon's contents, never by identity: a caller may reuse its array.
 */
const midKey = new Int32Array(8);
const mid = new Int32Array(8);
const part = new Int32Array(7);
let midValid = false;

const s0 = (x: number): number => ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
const s1 = (x: number): number => ((x >>> 17) | (x << 15)) ^ ((x >>> 19) | (x << 13)) ^ (x >>> 10);

/** Bit length of the 44-byte selection message (word 15 of its one block). */
const MESSAGE_BITS = (BEACON_BYTES + 12) * 8;

/** Makes the midstate and the schedule parts of `beacon` current. */
function prepare(beacon: Int32Array): void {
  if (midValid) {
    let same = true;
    for (let i = 0; i < 8; i++) if (midKey[i] !== beacon[i]) same = false;
    if (same) return;
  }
  midKey.set(beacon);
  midValid = true;
  let a = H0[0]!,
    b = H0[1]!,
    c = H0[2]!,
    d = H0[3]!,
    e = H0[4]!,
    f = H0[5]!,
    g = H0[6]!,
    hh = H0[7]!;
  for (let t = 0; t < 8; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K[t]! + beacon[t]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  mid[0] = a;
  mid[1] = b;
  mid[2] = c;
  mid[3] = d;
  mid[4] = e;
  mid[5] = f;
  mid[6] = g;
  mid[7] = hh;
  // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], with W[11] = 0x80000000, W[12..14] = 0 and
  // W[15] = MESSAGE_BITS: the terms of words 16-22 that do not involve the job id or the draw.
  part[0] = (s0(beacon[1]!) + beacon[0]!) | 0; // W16 = part0 + W9 (s1(W14) = 0)
  part[1] = (s1(MESSAGE_BITS) + s0(beacon[2]!) + beacon[1]!) | 0; // W17 = part1 + W10
  part[2] = (0x80000000 + s0(beacon[3]!) + beacon[2]!) | 0; // W18 = part2 + s1(W16)
  part[3] = (s0(beacon[4]!) + beacon[3]!) | 0; // W19 = part3 + s1(W17)
  part[4] = (s0(beacon[5]!) + beacon[4]!) | 0; // W20 = part4 + s1(W18)
  part[5] = (s0(beacon[6]!) + beacon[5]!) | 0; // W21 = part5 + s1(W19)
  part[6] = (MESSAGE_BITS + s0(beacon[7]!) + beacon[6]!) | 0; // W22 = part6 + s1(W20)
}

/**
 * The first two words of SHA-256(beacon ‖ job id ‖ draw), written to `out[0..1]`: the 44-byte
 * message fits one block, so this is one compression and no allocation; its first 8 rounds (the
 * beacon's words) and part of its schedule are computed once per beacon ({@link prepare}).
 */
export function selectionWords(beacon: Int32Array, jobId: number, draw: number, out: Int32Array): void {
  prepare(beacon);
  for (let i = 0; i < 8; i++) W[i] = beacon[i]!;
  W[8] = Math.floor(jobId / 4294967296) | 0;
  W[9] = jobId | 0;
  W[10] = draw | 0;
  W[11] = 0x80000000 | 0;
  W[12] = 0;
  W[13] = 0;
  W[14] = 0;
  W[15] = MESSAGE_BITS;
  W[16] = (part[0]! + W[9]!) | 0;
  W[17] = (part[1]! + W[10]!) | 0;
  W[18] = (part[2]! + s1(W[16]!)) | 0;
  W[19] = (part[3]! + s1(W[17]!)) | 0;
  W[20] = (part[4]! + s1(W[18]!)) | 0;
  W[21] = (part[5]! + s1(W[19]!)) | 0;
  W[22] = (part[6]! + s1(W[20]!)) | 0;
  let a = mid[0]!,
    b = mid[1]!,
    c = mid[2]!,
    d = mid[3]!,
    e = mid[4]!,
    f = mid[5]!,
    g = mid[6]!,
    hh = mid[7]!;
  for (let t = 8; t < 64; t++) {
    // Message words from 23 on are scheduled as the rounds reach them.
    const w = t < 23 ? W[t]! : (W[t] = (s1(W[t - 2]!) + W[t - 7]! + s0(W[t - 15]!) + W[t - 16]!) | 0);
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K[t]! + w) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  // Only the first two words are read: the other six additions are skipped.
  out[0] = (H0[0]! + a) | 0;
  out[1] = (H0[1]! + b) | 0;
}
