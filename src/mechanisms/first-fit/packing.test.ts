import { describe, expect, it } from 'vitest';
import { dominantShare } from '../packing.js';
import type { Decision, Input, InputDraft, Job, OperatorInfo, Random } from '../types.js';
import { toMicros } from '../types.js';
import { firstFit } from './index.js';

const rnd: Random = { next: () => 0.5 };
const BIG = { cpus: 64, gpus: 4, memoryGb: 256 };

const node = (id: number, concurrent: boolean, capacity = BIG): OperatorInfo => ({
  id,
  entity: id,
  capacity,
  hardware: 'gpu',
  ...(concurrent ? { concurrent: true } : {}),
});

function job(id: number, gpus = 1, memoryGb = 16): Job {
  return {
    id,
    requester: 0,
    kind: 'zkvm',
    mcycles: 1000,
    request: { cpus: 0, gpus, memoryGb },
    submittedAt: 0,
    deadline: 36_000,
    maxPrice: toMicros(10),
    redundancy: 1,
    estSeconds: 3600,
  };
}

function driver(operators: OperatorInfo[]) {
  const m = firstFit({});
  const state = m.init(operators);
  let nextId = 0;
  return {
    step(draft: InputDraft, now = 0): Decision[] {
      const out: Decision[] = [];
      m.step(state, { ...draft, id: nextId++ } as Input, now, rnd, out);
      return out;
    },
  };
}

const assigned = (ds: Decision[]) =>
  ds.filter((d): d is Extract<Decision, { type: 'assign' }> => d.type === 'assign').map((d) => [d.jobId, d.operator]);

describe('first-fit on multi-job nodes (concurrent: bin packing by cpus, gpus and memory)', () => {
  it('gives a concurrent 4-GPU node four 1-GPU jobs at once, and the fifth when one ends', () => {
    const d = driver([node(0, true)]);
    for (let i = 0; i < 4; i++) expect(assigned(d.step({ type: 'submit', job: job(i) }))).toEqual([[i, 0]]);
    expect(assigned(d.step({ type: 'submit', job: job(4) }))).toEqual([]);
    expect(assigned(d.step({ type: 'deliver', jobId: 2, operator: 0 }, 10))).toEqual([[4, 0]]);
  });

  it('gives an ordinary node one job at a time (unchanged)', () => {
    const d = driver([node(0, false)]);
    expect(assigned(d.step({ type: 'submit', job: job(0) }))).toEqual([[0, 0]]);
    expect(assigned(d.step({ type: 'submit', job: job(1) }))).toEqual([]);
  });

  it('packs by every resource: memory limits a node whose GPUs are not all taken', () => {
    const d = driver([node(0, true)]);
    expect(assigned(d.step({ type: 'submit', job: job(0, 1, 200) }))).toEqual([[0, 0]]);
    // 200 + 100 GB > 256 GB: the second job waits although 3 GPUs are free; a 40-GB job fits.
    expect(assigned(d.step({ type: 'submit', job: job(1, 1, 100) }))).toEqual([]);
    expect(assigned(d.step({ type: 'submit', job: job(2, 1, 40) }))).toEqual([[2, 0]]);
    expect(assigned(d.step({ type: 'deliver', jobId: 0, operator: 0 }, 10))).toEqual([[1, 0]]);
  });

  it('keeps first-fit order: the lowest-id node with room, a whole-node job after the node empties', () => {
    const d = driver([node(0, true), node(1, true)]);
    expect(assigned(d.step({ type: 'submit', job: job(0) }))).toEqual([[0, 0]]);
    expect(assigned(d.step({ type: 'submit', job: job(1, 4, 16) }))).toEqual([[1, 1]]);
    expect(assigned(d.step({ type: 'submit', job: job(2, 4, 16) }))).toEqual([]);
    expect(assigned(d.step({ type: 'submit', job: job(3) }))).toEqual([[3, 0]]);
    // Node 0 still runs job 3 (3 GPUs spare): the 4-GPU job waits until node 0 is empty.
    expect(assigned(d.step({ type: 'deliver', jobId: 0, operator: 0 }, 10))).toEqual([]);
    expect(assigned(d.step({ type: 'deliver', jobId: 3, operator: 0 }, 11))).toEqual([[2, 0]]);
  });

  it('refuses an answer from a node about a job it does not run, and frees nothing for it', () => {
    const d = driver([node(0, true), node(1, true)]);
    d.step({ type: 'submit', job: job(0) });
    const out = d.step({ type: 'deliver', jobId: 0, operator: 1 });
    expect(out).toEqual([expect.objectContaining({ type: 'refused', reason: 'not-assigned' })]);
  });
});

describe('dominantShare', () => {
  it('is the largest fraction of the node a request takes; an empty request takes the whole node', () => {
    expect(dominantShare({ cpus: 0, gpus: 1, memoryGb: 16 }, BIG)).toBe(0.25);
    expect(dominantShare({ cpus: 32, gpus: 1, memoryGb: 16 }, BIG)).toBe(0.5);
    expect(dominantShare({ cpus: 0, gpus: 0, memoryGb: 0 }, BIG)).toBe(1);
  });
});
