import { describe, expect, it } from 'vitest';
import { audit } from '../beacon.js';
import type { Decision, Input, InputDraft, Job, OperatorInfo, Random } from '../types.js';
import { toMicros } from '../types.js';
import { slotFee } from './fee.js';
import { randomAllocation, TAG_CAP0, TAG_DEADLINE, type RandomParams } from './index.js';
import { testJob } from '../test-kit.js';

/** A tiny deterministic uniform source (LCG), enough for beacons in tests. */
function lcg(seed: number): Random {
  let x = seed >>> 0;
  return { next: () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 4294967296 };
}

const ops = (n: number, gpus = 1): OperatorInfo[] =>
  Array.from({ length: n }, (_, i) => ({ id: i, entity: i, capacity: { cpus: 16, gpus, memoryGb: 64 }, hardware: 'gpu' }));

/** The shared test job (`test-kit.ts`). */
const job = (id: number, over: Partial<Job> = {}): Job => testJob(id, over);

function driver(params: Partial<RandomParams> & { preset?: string } = {}, operators = ops(10)) {
  const m = randomAllocation(params);
  const state = m.init(operators);
  let nextId = 0;
  const rnd = lcg(42);
  return {
    m,
    state,
    step(draft: InputDraft, now = 0): Decision[] {
      const out: Decision[] = [];
      // Every submission carries a beacon, as a caller must: 32 bytes that differ per job.
      const beacon =
        draft.type === 'submit' && !('beacon' in draft) ? new Uint8Array(32).map((_, i) => (draft.job.id * 31 + i * 7) & 255) : undefined;
      const input = { ...draft, ...(beacon ? { beacon } : {}), id: nextId++ } as Input;
      m.step(state, input, now, rnd, out);
      return out;
    },
  };
}

const of = <T extends Decision['type']>(ds: Decision[], t: T) => ds.filter((d): d is Extract<Decision, { type: T }> => d.type === t);

describe('random allocation: fees', () => {
  it('charges $0.84 per 2× RTX 4090 node-hour and $0.61 per CPU-node-hour (gevulot-docs@1b722dc firestarter/pricing.md, both images)', () => {
    const p = { gpuHourUsd: 0.84, cpuHourUsd: 0.61, txFeeUsd: 0, gpusPerNode: 2 };
    const node = slotFee(job(0, { request: { cpus: 0, gpus: 2, memoryGb: 1 }, estSeconds: 3600 }), p);
    const oneGpu = slotFee(job(0, { request: { cpus: 0, gpus: 1, memoryGb: 1 }, estSeconds: 3600 }), p);
    const cpu = slotFee(job(0, { request: { cpus: 8, gpus: 0, memoryGb: 1 }, estSeconds: 3600 }), p);
    expect(node).toBe(840_000);
    expect(oneGpu).toBe(420_000);
    expect(cpu).toBe(610_000);
    expect(node / cpu).toBeCloseTo(0.84 / 0.61, 10);
  });

  it("charges the declared time, which covers the prover's 1 s setup: a 0.5 s job pays for 1.5 s, so it is not priced below its cost (fees.md: a max compute time too short does not complete)", () => {
    const p = { gpuHourUsd: 0.84, cpuHourUsd: 0.61, txFeeUsd: 0, gpusPerNode: 2 };
    const tiny = job(0, { request: { cpus: 0, gpus: 2, memoryGb: 1 }, estSeconds: 0.5 });
    expect(slotFee(tiny, { ...p, setupSeconds: 1 })).toBe(Math.round((0.84 * 1.5 * 1e6) / 3600));
    expect(slotFee(tiny, { ...p, setupSeconds: 0 })).toBe(Math.round((0.84 * 0.5 * 1e6) / 3600));
    const d = driver({ preset: 'zkcloud' });
    const a = of(d.step({ type: 'submit', job: job(0, { estSeconds: 10 }) }), 'timer').find((t) => t.tag >= TAG_CAP0);
    expect(a?.at).toBe(10 * 1.2 + 1);
  });

  it('the default and zkcloud price one node of two GPUs', () => {
    expect(randomAllocation().params.gpusPerNode).toBe(2);
    expect(randomAllocation({ preset: 'zkcloud' }).params.gpusPerNode).toBe(2);
  });

  it('rejects a job whose price limit is below the fixed price times redundancy', () => {
    const d = driver();
    const out = d.step({ type: 'submit', job: job(1, { maxPrice: toMicros(0.8), redundancy: 2 }) });
    expect(of(out, 'done')).toEqual([{ type: 'done', jobId: 1, outcome: 'rejected', operator: -1 }]);
    expect(of(out, 'close')).toHaveLength(1);
    expect(of(out, 'assign')).toHaveLength(0);
  });
});

describe('random allocation: selection', () => {
  it('selects uniformly among eligible operators (chi-square, 20 operators, 40,000 jobs, p > 0.001)', () => {
    const d = driver({}, ops(20));
    const counts = new Array<number>(20).fill(0);
    for (let i = 0; i < 40000; i++) {
      const a = of(d.step({ type: 'submit', job: job(i) }), 'assign')[0]!;
      counts[a.operator]!++;
      d.step({ type: 'deliver', jobId: i, operator: a.operator });
      d.step({ type: 'available', operator: a.operator });
    }
    const e = 40000 / 20;
    const chi2 = counts.reduce((s, c) => s + ((c - e) * (c - e)) / e, 0);
    expect(chi2).toBeLessThan(43.82); // chi-square critical value, 19 degrees of freedom, alpha = 0.001
  });

  it('only ever picks free operators that meet the request, and audit() reproduces every pick', () => {
    const mixed: OperatorInfo[] = ops(30).map((o) => (o.id % 3 === 0 ? { ...o, capacity: { cpus: 64, gpus: 8, memoryGb: 512 } } : o));
    const d = driver({}, mixed);
    let checked = 0;
    for (let i = 0; i < 300; i++) {
      const big = i % 2 === 0;
      const j = job(i, { request: { cpus: 0, gpus: big ? 4 : 1, memoryGb: 16 }, redundancy: 1 + (i % 3), maxPrice: toMicros(100) });
      const profiles = d.state.index.eligibleProfiles(j.request, []);
      const eligible = d.state.index.listFree(profiles);
      const assigns = of(d.step({ type: 'submit', job: j }), 'assign');
      const picked = assigns.map((a) => a.operator);
      if (eligible.length >= j.redundancy) expect(picked).toHaveLength(j.redundancy);
      for (const a of assigns) {
        expect(eligible).toContain(a.operator);
        expect(mixed[a.operator]!.capacity.gpus).toBeGreaterThanOrEqual(j.request.gpus);
      }
      if (assigns.length > 0) {
        expect(audit(assigns[0]!.beacon!, eligible, i, 0, assigns.length)).toEqual(picked);
        checked++;
      }
      // half the jobs finish at once, so the free set keeps changing
      if (i % 2 === 1)
        for (const a of assigns) {
          d.step({ type: 'deliver', jobId: i, operator: a.operator });
          d.step({ type: 'available', operator: a.operator });
        }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('puts k distinct provers on a job with redundancy k', () => {
    const d = driver();
    const a = of(d.step({ type: 'submit', job: job(0, { redundancy: 3 }) }), 'assign');
    expect(new Set(a.map((x) => x.operator)).size).toBe(3);
    expect(a.map((x) => x.role)).toEqual(['primary', 'redundant', 'redundant']);
  });
});

describe('random allocation: queue, declines and deadlines', () => {
  it('queues a job while no eligible operator is free, assigns it FIFO when one frees, and sets a deadline timer', () => {
    const d = driver({}, ops(1));
    expect(of(d.step({ type: 'submit', job: job(0) }), 'assign')).toHaveLength(1);
    const q1 = d.step({ type: 'submit', job: job(1) });
    const q2 = d.step({ type: 'submit', job: job(2) });
    expect(of(q1, 'assign')).toHaveLength(0);
    expect(of(q1, 'timer')).toEqual([{ type: 'timer', jobId: 1, at: 3600, tag: TAG_DEADLINE }]);
    expect(of(q2, 'timer')).toHaveLength(1);
    d.step({ type: 'deliver', jobId: 0, operator: 0 }, 10);
    const next = d.step({ type: 'available', operator: 0 }, 10);
    expect(of(next, 'assign').map((a) => a.jobId)).toEqual([1]);
  });

  it('expires a job still queued at its deadline, with no money moved', () => {
    const d = driver({}, ops(1));
    d.step({ type: 'submit', job: job(0) });
    d.step({ type: 'submit', job: job(1) });
    const out = d.step({ type: 'timer', jobId: 1, tag: TAG_DEADLINE }, 3600);
    expect(of(out, 'done')).toEqual([{ type: 'done', jobId: 1, outcome: 'expired', operator: -1 }]);
    expect(of(out, 'settle').length + of(out, 'burn').length + of(out, 'refund').length).toBe(0);
  });

  it('rejects a job at once when no operator is free and onNoCapacity is "fail" (no capacity is a rejection, as the README defines)', () => {
    const d = driver({ onNoCapacity: 'fail' }, ops(1));
    d.step({ type: 'submit', job: job(0) });
    const out = d.step({ type: 'submit', job: job(1) });
    expect(of(out, 'done')[0]!.outcome).toBe('rejected');
  });

  it('re-draws after a decline, never offering the job to the decliner again', () => {
    const d = driver({}, ops(3));
    let a = of(d.step({ type: 'submit', job: job(0) }), 'assign')[0]!;
    const declined = new Set<number>();
    for (let i = 0; i < 2; i++) {
      declined.add(a.operator);
      a = of(d.step({ type: 'decline', jobId: 0, operator: a.operator }), 'assign')[0]!;
      expect(declined.has(a.operator)).toBe(false);
    }
    // all three declined: the job waits in the queue
    expect(of(d.step({ type: 'decline', jobId: 0, operator: a.operator }), 'assign')).toHaveLength(0);
  });

  it('sets aside a job every free prover declined: the jobs queued behind it are placed first, and it is offered to a prover that joins later', () => {
    const d = driver({}, ops(2));
    // Job 0: both provers decline it (a price below their cost, say).
    let a = of(d.step({ type: 'submit', job: job(0) }), 'assign')[0]!;
    a = of(d.step({ type: 'decline', jobId: 0, operator: a.operator }), 'assign')[0]!;
    expect(of(d.step({ type: 'decline', jobId: 0, operator: a.operator }), 'assign')).toHaveLength(0);
    expect(d.state.aside.map((r) => r.job.id)).toEqual([0]);
    // Jobs 1 and 2 arrive behind it and proceed.
    expect(of(d.step({ type: 'submit', job: job(1) }, 1), 'assign')).toHaveLength(1);
    expect(of(d.step({ type: 'submit', job: job(2) }, 1), 'assign')).toHaveLength(1);
    // Job 3 queues (both busy); when a prover frees, job 3 gets it (job 0 cannot: that prover declined it).
    d.step({ type: 'submit', job: job(3) }, 2);
    const busy = d.state.opJob.findIndex((r) => r?.job.id === 1);
    d.step({ type: 'deliver', jobId: 1, operator: busy }, 3);
    expect(of(d.step({ type: 'available', operator: busy }, 3), 'assign').map((x) => x.jobId)).toEqual([3]);
    expect(d.state.aside.map((r) => r.job.id)).toEqual([0]);
    // A new prover joins: it is offered the job set aside.
    const joined = of(
      d.step({ type: 'join', operator: { id: 2, entity: 2, capacity: { cpus: 16, gpus: 1, memoryGb: 64 }, hardware: 'gpu' } }, 4),
      'assign',
    );
    expect(joined.map((x) => [x.jobId, x.operator])).toEqual([[0, 2]]);
    expect(d.state.aside).toHaveLength(0);
  });

  it('keeps the FIFO order of the other jobs and drops a job set aside once its deadline passes', () => {
    const d = driver({}, ops(1));
    const a = of(d.step({ type: 'submit', job: job(0) }), 'assign')[0]!;
    d.step({ type: 'decline', jobId: 0, operator: a.operator });
    expect(d.state.aside).toHaveLength(1);
    const out = d.step({ type: 'timer', jobId: 0, tag: TAG_DEADLINE }, 3600);
    expect(of(out, 'done')).toEqual([{ type: 'done', jobId: 0, outcome: 'expired', operator: -1 }]);
    d.step({ type: 'available', operator: 0 }, 3601);
    expect(d.state.aside).toHaveLength(0);
  });

  it('removes a prover that declines more than maxDeclines times within the window', () => {
    const d = driver({ maxDeclines: 2, declineWindow: 1000 }, ops(2));
    const ejected: number[] = [];
    for (let i = 0; i < 6; i++) {
      const out = d.step({ type: 'submit', job: job(i) }, i);
      const a = of(out, 'assign').find((x) => x.operator === 0);
      if (!a) continue;
      ejected.push(...of(d.step({ type: 'decline', jobId: i, operator: 0 }, i), 'eject').map((e) => e.operator));
    }
    expect(ejected).toEqual([0]);
  });
});

describe('random allocation: ZkCloud settlement (preset zkcloud)', () => {
  // The preset's requesters declare 1.2 × the reference time plus the 1 s setup, and pay for it.
  const fee = slotFee(job(0), {
    gpuHourUsd: 0.84,
    cpuHourUsd: 0.61,
    txFeeUsd: 0,
    gpusPerNode: 2,
    declaredTimeFactor: 1.2,
    setupSeconds: 1,
  });
  const cap = 3600 * 1.2 + 1;
  const half = Math.floor(fee * 0.5); // the refund share, in whole micro-USD

  it('pays the prover the full fee on success', () => {
    const d = driver({ preset: 'zkcloud' });
    const a = of(d.step({ type: 'submit', job: job(0) }), 'assign')[0]!;
    const out = d.step({ type: 'deliver', jobId: 0, operator: a.operator });
    expect(of(out, 'settle')).toEqual([{ type: 'settle', jobId: 0, operator: a.operator, amount: fee, source: 'escrow' }]);
    expect(of(out, 'done')[0]!.outcome).toBe('delivered');
    expect(of(out, 'close')).toHaveLength(1);
  });

  it("on a fallback success refunds 50% to the requester, pays the fallback prover the regular fee (half from the failed prover's stake) and removes the first prover", () => {
    const d = driver({ preset: 'zkcloud' });
    const first = of(d.step({ type: 'submit', job: job(0) }), 'assign')[0]!;
    // A failure is only acted on at the end of the max compute time (provers.md:47).
    expect(of(d.step({ type: 'fail', jobId: 0, operator: first.operator }, 100), 'assign')).toHaveLength(0);
    const fb = of(d.step({ type: 'timer', jobId: 0, tag: TAG_CAP0 + first.operator }, cap), 'assign')[0]!;
    expect(fb.role).toBe('fallback');
    expect(fb.operator).not.toBe(first.operator);
    expect(fb.price).toBe(fee);
    const out = d.step({ type: 'deliver', jobId: 0, operator: fb.operator }, cap + 100);
    expect(of(out, 'refund')).toEqual([{ type: 'refund', jobId: 0, amount: half }]);
    expect(of(out, 'settle')[0]!.amount).toBe(fee - half);
    expect(of(out, 'collateral')).toEqual([{ type: 'collateral', jobId: 0, operator: first.operator, amount: half }]);
    expect(of(out, 'slash')).toEqual([
      { type: 'slash', jobId: 0, operator: first.operator, burn: 0, toOperator: fb.operator, reward: half, toTreasury: 0 },
    ]);
    // Removed until it re-stakes (a day later), not ejected for good.
    expect(of(out, 'eject')).toHaveLength(0);
    expect(of(out, 'timer').map((t) => t.at)).toContain(cap + 100 + 86400);
  });

  it('burns the whole fee when the prover and the fallback both fail', () => {
    const d = driver({ preset: 'zkcloud' });
    const first = of(d.step({ type: 'submit', job: job(0) }), 'assign')[0]!;
    d.step({ type: 'fail', jobId: 0, operator: first.operator }, 10);
    const fb = of(d.step({ type: 'timer', jobId: 0, tag: TAG_CAP0 + first.operator }, cap), 'assign')[0]!;
    d.step({ type: 'fail', jobId: 0, operator: fb.operator }, cap + 10);
    const out = d.step({ type: 'timer', jobId: 0, tag: TAG_CAP0 + fb.operator }, 2 * cap);
    expect(of(out, 'burn')).toEqual([{ type: 'burn', jobId: 0, amount: fee }]);
    expect(of(out, 'settle')).toHaveLength(0);
    expect(of(out, 'done')[0]!.outcome).toBe('failed');
  });

  it('opens a last-resort race after the fallback rounds when enabled', () => {
    const fee = slotFee(job(0), { gpuHourUsd: 0.84, cpuHourUsd: 0.61, txFeeUsd: 0, gpusPerNode: 2, setupSeconds: 1 });
    const d = driver({ fallbackRounds: 0, lastResortRace: true });
    const first = of(d.step({ type: 'submit', job: job(0) }), 'assign')[0]!;
    const out = d.step({ type: 'fail', jobId: 0, operator: first.operator });
    const s = of(out, 'solicit')[0]!;
    expect(s.mode).toBe('race');
    expect(s.exclude).toContain(first.operator);
    const racer = (first.operator + 1) % 10;
    d.step({ type: 'available', operator: first.operator });
    const join = of(d.step({ type: 'join-race', jobId: 0, operator: racer }), 'assign')[0]!;
    expect(join).toMatchObject({ role: 'racer', committed: true, operator: racer });
    const win = d.step({ type: 'deliver', jobId: 0, operator: racer });
    expect(of(win, 'settle')[0]!.amount).toBe(fee);
    expect(of(win, 'done')[0]!.outcome).toBe('delivered');
  });
});

describe('random allocation: Gevulot 2023 (preset gevulot-2023)', () => {
  it('opens a declined slot to a race instead of re-drawing', () => {
    const d = driver({ preset: 'gevulot-2023' });
    const a = of(d.step({ type: 'submit', job: job(0, { redundancy: 2 }) }), 'assign');
    const out = d.step({ type: 'decline', jobId: 0, operator: a[0]!.operator });
    expect(of(out, 'solicit')[0]!.mode).toBe('race');
    expect(of(out, 'assign')).toHaveLength(0);
  });

  it('tiers a network reward by speed on top of the fees: the first proof gets its fee + 50% of the pool minted, the second its fee + 30% (gevulot-docs@ddba0cd network/provers.md:19)', () => {
    const d = driver({ preset: 'gevulot-2023' });
    const j = job(0, { redundancy: 3 });
    const fee = slotFee(j, { gpuHourUsd: 0.84, cpuHourUsd: 0.61, txFeeUsd: 0, gpusPerNode: 2, setupSeconds: 1 });
    const pool = 3 * fee;
    const a = of(d.step({ type: 'submit', job: j }), 'assign');
    const s1 = of(d.step({ type: 'deliver', jobId: 0, operator: a[1]!.operator }), 'settle');
    const s2 = of(d.step({ type: 'deliver', jobId: 0, operator: a[0]!.operator }), 'settle');
    expect(s1.map((x) => [x.amount, x.source])).toEqual([
      [fee, 'escrow'],
      [Math.floor(pool * 0.5), 'emission'],
    ]);
    expect(s2.map((x) => [x.amount, x.source])).toEqual([
      [fee, 'escrow'],
      [Math.floor(pool * 0.3), 'emission'],
    ]);
  });

  it('burns the fees of a program that does not complete (gevulot-docs@ddba0cd network/provers.md:19)', () => {
    const d = driver({ preset: 'gevulot-2023' });
    const a = of(d.step({ type: 'submit', job: job(0) }), 'assign')[0]!;
    // No fallback round: the failed slot is opened to a race; nobody joins before the deadline.
    d.step({ type: 'fail', jobId: 0, operator: a.operator }, 10);
    const out = d.step({ type: 'timer', jobId: 0, tag: TAG_DEADLINE }, 3600);
    expect(of(out, 'burn')).toEqual([{ type: 'burn', jobId: 0, amount: a.price }]);
    expect(of(out, 'refund')).toHaveLength(0);
  });
});
