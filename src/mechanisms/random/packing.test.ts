import { describe, expect, it } from 'vitest';
import type { Decision, Input, InputDraft, Job, OperatorInfo, Random } from '../types.js';
import { toMicros } from '../types.js';
import { randomAllocation } from './index.js';

const rnd: Random = { next: () => 0.5 };
const BIG = { cpus: 64, gpus: 4, memoryGb: 256 };

const node = (id: number, concurrent: boolean): OperatorInfo => ({
  id,
  entity: id,
  capacity: BIG,
  hardware: 'gpu',
  ...(concurrent ? { concurrent: true } : {}),
});

function job(id: number, gpus = 1): Job {
  return {
    id,
    requester: 0,
    kind: 'zkvm',
    mcycles: 1000,
    request: { cpus: 0, gpus, memoryGb: 16 },
    submittedAt: 0,
    deadline: 36_000,
    maxPrice: toMicros(100),
    redundancy: 1,
    estSeconds: 3600,
  };
}

function driver(operators: OperatorInfo[]) {
  const m = randomAllocation({});
  const state = m.init(operators);
  let nextId = 0;
  return {
    step(draft: InputDraft, now = 0): Decision[] {
      const out: Decision[] = [];
      const beacon = draft.type === 'submit' ? new Uint8Array(32).map((_, i) => (draft.job.id * 31 + i * 7) & 255) : undefined;
      m.step(state, { ...draft, ...(beacon ? { beacon } : {}), id: nextId++ } as Input, now, rnd, out);
      return out;
    },
  };
}

const assigned = (ds: Decision[]) =>
  ds.filter((d): d is Extract<Decision, { type: 'assign' }> => d.type === 'assign').map((d) => [d.jobId, d.operator]);

describe('random allocation on multi-job nodes (concurrent: bin packing by cpus, gpus and memory)', () => {
  it('gives a concurrent 4-GPU node four 1-GPU jobs at once, and the queued fifth when one is delivered', () => {
    const d = driver([node(0, true)]);
    for (let i = 0; i < 4; i++) expect(assigned(d.step({ type: 'submit', job: job(i) }))).toEqual([[i, 0]]);
    expect(assigned(d.step({ type: 'submit', job: job(4) }))).toEqual([]);
    expect(assigned(d.step({ type: 'deliver', jobId: 1, operator: 0 }, 10))).toEqual([[4, 0]]);
  });

  it('gives an ordinary node one job at a time (unchanged)', () => {
    const d = driver([node(0, false)]);
    expect(assigned(d.step({ type: 'submit', job: job(0) }))).toEqual([[0, 0]]);
    expect(assigned(d.step({ type: 'submit', job: job(1) }))).toEqual([]);
  });

  it('draws only among the nodes whose spare resources fit: a 2-GPU job never goes to a node with 1 GPU spare', () => {
    for (let trial = 0; trial < 20; trial++) {
      const d = driver([node(0, true), node(1, true)]);
      // Fill node 0 to 3 of 4 GPUs: three 1-GPU jobs, whichever node each draw picks, then move on.
      let id = 100 * trial;
      const on0: number[] = [];
      while (on0.length < 3) {
        const a = assigned(d.step({ type: 'submit', job: job(id++) }));
        if (a[0]![1] === 0) on0.push(a[0]![0]!);
        else d.step({ type: 'deliver', jobId: a[0]![0]!, operator: 1 }, 1);
      }
      expect(assigned(d.step({ type: 'submit', job: job(id++, 2) }))[0]![1]).toBe(1);
    }
  });

  it('refuses an answer from a concurrent node about a job it does not prove', () => {
    const d = driver([node(0, true), node(1, true)]);
    const [[, op]] = assigned(d.step({ type: 'submit', job: job(0) })) as [[number, number]];
    const out = d.step({ type: 'deliver', jobId: 0, operator: 1 - op });
    expect(out).toEqual([expect.objectContaining({ type: 'refused', reason: 'not-assigned' })]);
  });
});
