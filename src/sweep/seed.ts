import { createHash } from 'node:crypto';

/**
 * The seed of run `index` of a sweep with master seed `master`: the first 6 bytes (big-endian) of
 * SHA-256 of the UTF-8 string `pmsim-sweep-seed/<master>/<index>`, an integer in [0, 2^48).
 *
 * It depends on nothing else (not the worker count, shard or order of completion), so every run
 * can be reproduced alone: `pmsim run <base scenario with the run's overrides> --seed <seed>`.
 * In Python: `int.from_bytes(hashlib.sha256(f"pmsim-sweep-seed/{master}/{index}".encode()).digest()[:6], "big")`.
 */
export function deriveSeed(master: number, index: number): number {
  const h = createHash('sha256').update(`pmsim-sweep-seed/${master}/${index}`, 'utf8').digest();
  return h.readUIntBE(0, 6);
}
