import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { audit, beaconWords, hash4, selectionIndex, sha256, verifySelection } from './beacon.js';
import { randomAllocation } from './random/index.js';
import { selectionMessage, selectionWords } from './sha256.js';
import type { Decision, Input, OperatorInfo } from './types.js';
import { toMicros } from './types.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const nodeSha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('beacon: the pure SHA-256 matches node:crypto', () => {
  it('on the FIPS 180-4 vectors ("", "abc", the 448-bit message)', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(hex(sha256(enc('')))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(sha256(enc('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(sha256(enc('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('on every length from 0 to 200 bytes (one to four blocks)', () => {
    for (let n = 0; n <= 200; n++) {
      const b = new Uint8Array(n).map((_, i) => (i * 131 + n) & 255);
      expect(hex(sha256(b))).toBe(nodeSha(b));
    }
  });

  it('the one-block fast path of a draw equals SHA-256(beacon ‖ job id ‖ draw) (via the index it picks)', () => {
    const beacon = new Uint8Array(32).map((_, i) => (i * 57 + 3) & 255);
    const words = beaconWords(beacon);
    for (const jobId of [0, 1, 77, 2 ** 32 + 5, 2 ** 40 + 12345]) {
      for (let draw = 0; draw < 5; draw++) {
        const h = createHash('sha256')
          .update(selectionMessage(beacon, jobId, draw))
          .digest();
        const u = (h.readUInt32BE(0) * 2097152 + (h.readUInt32BE(4) >>> 11)) / 2 ** 53;
        for (const n of [1, 2, 7, 1000]) expect(selectionIndex(words, jobId, draw, n)).toBe(Math.floor(u * n));
      }
    }
  });

  it("the fast path's per-beacon midstate follows the beacon's contents: alternating beacons, and one array changed in place, still give SHA-256's first 8 bytes", () => {
    const a = new Uint8Array(32).map((_, i) => (i * 57 + 3) & 255);
    const b = new Uint8Array(32).map((_, i) => (i * 29 + 200) & 255);
    const reused = beaconWords(a);
    const out = new Int32Array(2);
    const check = (bytes: Uint8Array, words: Int32Array, jobId: number, draw: number) => {
      selectionWords(words, jobId, draw, out);
      const h = createHash('sha256')
        .update(selectionMessage(bytes, jobId, draw))
        .digest();
      expect([out[0]! >>> 0, out[1]! >>> 0]).toEqual([h.readUInt32BE(0), h.readUInt32BE(4)]);
    };
    for (let i = 0; i < 20; i++) {
      const bytes = i % 2 === 0 ? a : b;
      check(bytes, beaconWords(bytes), i * 1000 + 7, i % 3);
    }
    check(a, reused, 5, 0);
    reused.set(beaconWords(b)); // the same array, new contents
    check(b, reused, 5, 0);
    b[31] ^= 1; // one bit of the last word
    reused.set(beaconWords(b));
    check(b, reused, 5, 0);
  });
});

describe('beacon: audit recomputes a selection and detects tampering', () => {
  const operators: OperatorInfo[] = Array.from({ length: 40 }, (_, i) => ({
    id: i,
    entity: i,
    capacity: { cpus: 16, gpus: 1, memoryGb: 64 },
    hardware: 'gpu',
  }));
  const beacon = new Uint8Array(32).map((_, i) => (i * 11 + 5) & 255);
  const m = randomAllocation();
  const state = m.init(operators);
  const out: Decision[] = [];
  const job = {
    id: 9,
    requester: 0,
    kind: 'zkvm',
    mcycles: 1000,
    request: { cpus: 0, gpus: 1, memoryGb: 16 },
    submittedAt: 0,
    deadline: 3600,
    maxPrice: toMicros(10),
    redundancy: 3,
    estSeconds: 600,
  };
  m.step(state, { type: 'submit', id: 0, job, beacon } as Input, 0, { next: () => 0.5 }, out);
  const assigns = out.filter((d): d is Extract<Decision, { type: 'assign' }> => d.type === 'assign');
  const chosen = assigns.map((a) => a.operator);
  const eligible = operators.map((o) => o.id);

  it('the assignments publish the beacon and the draw numbers, and audit reproduces them', () => {
    expect(assigns).toHaveLength(3);
    expect(assigns.map((a) => a.draw)).toEqual([0, 1, 2]);
    expect(hex(assigns[0]!.beacon!)).toBe(hex(beacon));
    expect(audit(beacon, eligible, job.id, 0, 3)).toEqual(chosen);
    expect(verifySelection(beacon, eligible, job.id, chosen)).toBe(true);
  });

  it("the published beacon is a copy: changing the caller's buffer later changes nothing", () => {
    const copy = assigns[0]!.beacon!;
    expect(copy).not.toBe(beacon);
  });

  it('one byte changed in the beacon: audit gives another selection', () => {
    for (let byte = 0; byte < 32; byte += 7) {
      const forged = beacon.slice();
      forged[byte] = forged[byte]! ^ 1;
      expect(verifySelection(forged, eligible, job.id, chosen)).toBe(false);
    }
  });

  it('the eligible set changed: a chosen node left out, or the picks shifted by a node in front, is detected', () => {
    // The coordinator claims node chosen[0] was not eligible: the recomputed draws cannot pick it.
    expect(
      verifySelection(
        beacon,
        eligible.filter((id) => id !== chosen[0]),
        job.id,
        chosen,
      ),
    ).toBe(false);
    // A node inserted below every pick shifts each index by one: the same draws now name other nodes.
    expect(verifySelection(beacon, [-1, ...eligible], job.id, chosen)).toBe(false);
  });

  it('a submission without a 32-byte beacon is refused as invalid, and opens no job', () => {
    const s2 = m.init(operators);
    const o2: Decision[] = [];
    m.step(s2, { type: 'submit', id: 0, job } as Input, 0, { next: () => 0.5 }, o2);
    expect(o2).toEqual([{ type: 'refused', inputId: 0, input: 'submit', reason: 'invalid' }]);
  });
});

describe('beacon: hash4 is murmur3 fmix32 after each of its four words', () => {
  /** The reference: fmix32 as a function over unsigned words, chained as murmur3 mixes its blocks. */
  const fmix32 = (h: number): number => {
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
  };
  const reference = (a: number, b: number, c: number, d: number): number => {
    let h = fmix32((a >>> 0) ^ 0x9e3779b9);
    h = fmix32(h ^ Math.imul(b >>> 0, 0xcc9e2d51));
    h = fmix32(h ^ Math.imul(c >>> 0, 0x1b873593));
    return fmix32(h ^ Math.imul(d >>> 0, 0xe6546b64));
  };
  it('gives the reference word for edge and ordinary words, as an unsigned integer', () => {
    const words = [0, 1, -1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 33 + 5, 0xbeac, 0x5bd1e995, 123456789, -987654321];
    let n = 0;
    for (const a of words)
      for (const b of words)
        for (const c of words.slice(0, 6))
          for (const d of words.slice(4)) {
            const h = hash4(a, b, c, d);
            expect(h).toBe(reference(a, b, c, d));
            expect(h >= 0 && h < 2 ** 32 && Number.isInteger(h)).toBe(true);
            n++;
          }
    expect(n).toBe(12 * 12 * 6 * 8);
  });
});
