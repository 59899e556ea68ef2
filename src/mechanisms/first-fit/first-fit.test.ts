import { describe, expect, it } from 'vitest';
import type { Decision, Input, InputDraft, Job, Mechanism, OperatorInfo, Random } from '../types.js';
import { toMicros } from '../types.js';
import { FF_TAG_LIMIT, firstFit, type FirstFitParams } from './index.js';
import { testJob } from '../test-kit.js';

const rnd: Random = { next: () => 0.5 };

const ops = (gpus: number[]): OperatorInfo[] =>
  gpus.map((g, i) => ({ id: i, entity: i, capacity: { cpus: 16, gpus: g, memoryGb: 64 }, hardware: 'gpu' }));

/** The shared test job (`test-kit.ts`). */
const job = (id: number, over: Partial<Job> = {}): Job => testJob(id, over);

function driver(params: Partial<FirstFitParams> & { preset?: string } = {}, operators = ops([1, 1, 1])) {
  const m: Mechanism = firstFit(params);
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

const of = <T extends Decision['type']>(ds: Decision[], t: T) => ds.filter((d): d is Extract<Decision, { type: T }> => d.type === t);

describe('first-fit: assignment', () => {
  it('assigns each job to the first free node whose hardware is equivalent or stronger, in registration order', () => {
    const d = driver({}, ops([1, 8, 1, 8]));
    expect(of(d.step({ type: 'submit', job: job(0, { request: { cpus: 0, gpus: 8, memoryGb: 16 } }) }), 'assign')[0]!.operator).toBe(1);
    expect(of(d.step({ type: 'submit', job: job(1) }), 'assign')[0]!.operator).toBe(0);
    expect(of(d.step({ type: 'submit', job: job(2) }), 'assign')[0]!.operator).toBe(2);
    // A 1-GPU job may take the stronger 8-GPU node when it is the first free one.
    const a = of(d.step({ type: 'submit', job: job(3) }), 'assign')[0]!;
    expect(a).toMatchObject({ operator: 3, committed: true, role: 'primary', price: toMicros(10) });
  });

  it('queues jobs FIFO when no compatible node is free and serves them as nodes free up', () => {
    const d = driver({}, ops([1]));
    d.step({ type: 'submit', job: job(0) });
    expect(of(d.step({ type: 'submit', job: job(1) }), 'assign')).toHaveLength(0);
    expect(of(d.step({ type: 'submit', job: job(2) }), 'assign')).toHaveLength(0);
    const out = d.step({ type: 'deliver', jobId: 0, operator: 0 }, 100);
    expect(of(out, 'settle')).toEqual([{ type: 'settle', jobId: 0, operator: 0, amount: toMicros(10), source: 'escrow' }]);
    expect(of(out, 'assign').map((a) => a.jobId)).toEqual([1]);
  });

  it('rejects at once a job that no node could ever run', () => {
    const d = driver({}, ops([1]));
    const out = d.step({ type: 'submit', job: job(0, { request: { cpus: 0, gpus: 4, memoryGb: 16 } }) });
    expect(of(out, 'done')).toEqual([{ type: 'done', jobId: 0, outcome: 'rejected', operator: -1 }]);
  });

  it('re-assigns a failed job ahead of the queue, and fails it after `retries` failures', () => {
    const d = driver({ retries: 1 }, ops([1]));
    d.step({ type: 'submit', job: job(0) });
    d.step({ type: 'submit', job: job(1) });
    const again = d.step({ type: 'fail', jobId: 0, operator: 0 }, 10);
    expect(of(again, 'assign')).toMatchObject([{ jobId: 0, role: 'fallback' }]);
    const out = d.step({ type: 'fail', jobId: 0, operator: 0 }, 20);
    expect(of(out, 'done')).toEqual([{ type: 'done', jobId: 0, outcome: 'failed', operator: -1 }]);
    expect(of(out, 'assign').map((a) => a.jobId)).toEqual([1]);
  });
});

describe('first-fit: time limit and commitments', () => {
  it("rejects a job not delivered by the seeker's limit, aborting its attempt and paying nothing (fermah: 1 h)", () => {
    const d = driver({ preset: 'fermah' }, ops([1]));
    const sub = d.step({ type: 'submit', job: job(0, { deadline: 99_999 }) });
    expect(of(sub, 'timer')).toEqual([{ type: 'timer', jobId: 0, at: 3600, tag: FF_TAG_LIMIT }]);
    d.step({ type: 'submit', job: job(1, { deadline: 99_999 }) }, 5);
    const out = d.step({ type: 'timer', jobId: 0, tag: FF_TAG_LIMIT }, 3600);
    expect(of(out, 'abort')).toEqual([{ type: 'abort', jobId: 0, operator: 0 }]);
    expect(of(out, 'done')).toEqual([{ type: 'done', jobId: 0, outcome: 'rejected', operator: -1 }]);
    expect(of(out, 'settle')).toHaveLength(0);
    expect(of(out, 'assign').map((a) => a.jobId)).toEqual([1]);
    // A late proof for the rejected job changes nothing.
    expect(of(d.step({ type: 'deliver', jobId: 0, operator: 0 }, 3601), 'refused')[0]!.reason).toBe('unknown-job');
  });

  it("by default the job's own deadline is the limit; a queued job past it is rejected", () => {
    const d = driver({}, ops([1]));
    d.step({ type: 'submit', job: job(0) });
    expect(of(d.step({ type: 'submit', job: job(1, { deadline: 500 }) }), 'timer')[0]!.at).toBe(500);
    const out = d.step({ type: 'timer', jobId: 1, tag: FF_TAG_LIMIT }, 500);
    expect(of(out, 'abort')).toHaveLength(0);
    expect(of(out, 'done')[0]!.outcome).toBe('rejected');
  });

  it('committed operators cannot decline; uncommitted ones can, and the job moves to the next free node', () => {
    const c = driver({}, ops([1, 1]));
    c.step({ type: 'submit', job: job(0) });
    expect(of(c.step({ type: 'decline', jobId: 0, operator: 0 }), 'refused')[0]!.reason).toBe('invalid');
    const u = driver({ committed: false }, ops([1, 1]));
    expect(of(u.step({ type: 'submit', job: job(0) }), 'assign')[0]).toMatchObject({ operator: 0, committed: false });
    expect(of(u.step({ type: 'decline', jobId: 0, operator: 0 }), 'assign')[0]!.operator).toBe(1);
    // Node 1 declines too: the job waits; node 0 is free but declined it; a new job takes node 0.
    expect(of(u.step({ type: 'decline', jobId: 0, operator: 1 }), 'assign')).toHaveLength(0);
    expect(of(u.step({ type: 'submit', job: job(1) }), 'assign')[0]!.operator).toBe(0);
  });

  it('a repeated input id is refused as duplicate; a deliver from a node that holds nothing is not-assigned', () => {
    const m = firstFit();
    const s = m.init(ops([1, 1]));
    const out: Decision[] = [];
    m.step(s, { type: 'submit', id: 1, job: job(0) }, 0, rnd, out);
    m.step(s, { type: 'submit', id: 1, job: job(0) }, 0, rnd, out);
    m.step(s, { type: 'deliver', id: 2, jobId: 0, operator: 1 }, 0, rnd, out);
    expect(of(out, 'refused').map((r) => r.reason)).toEqual(['duplicate', 'not-assigned']);
  });

  it('refuses unknown parameters and presets', () => {
    expect(() => firstFit({ nope: 1 } as never)).toThrow(/unknown parameter "nope"/);
    expect(() => firstFit({ preset: 'nope' })).toThrow(/unknown preset/);
  });
});
