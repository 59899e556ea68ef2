/**
 * The shared fixtures of the mechanisms' unit tests (not part of `pmsim/core`, not built): one job
 * shape for every mechanism's single-job tests, so that a change of `Job` is made in one place.
 */
import type { Job } from './types.js';
import { toMicros } from './types.js';

/** A 1,000-Mcycle zkVM job needing one GPU, submitted at 0, due at 3,600 s, paying at most $10; `over` replaces any field. */
export function testJob(id: number, over: Partial<Job> = {}): Job {
  return {
    id,
    requester: 0,
    kind: 'zkvm',
    mcycles: 1000,
    request: { cpus: 0, gpus: 1, memoryGb: 16 },
    submittedAt: 0,
    deadline: 3600,
    maxPrice: toMicros(10),
    redundancy: 1,
    estSeconds: 3600,
    ...over,
  };
}

/** A seeded uniform stream in [0, 1) for property checks and test populations (mulberry32). */
export function uniforms(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
