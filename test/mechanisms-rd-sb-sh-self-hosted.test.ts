import { describe, expect, it } from 'vitest';
import { hardwareById } from '../src/hardware-models/catalogue.js';
import { selfHosted, TAG_DEADLINE } from '../src/mechanisms/self-hosted/index.js';
import { summaryRow } from '../src/comparison/rows.js';
import { Driver, job, op } from './mechanisms-rd-sb-sh.driver.js';
import { step, type Decision, type Input } from '../src/mechanisms/types.js';
import { checked, create, run, scenario } from './mechanisms-rd-sb-sh-market.helpers.js';

const key = { scenario: 's', mechanism: 'self-hosted', mechanism_id: 'self-hosted', preset: '', seed: 1 };

describe('self-hosted: the cluster scheduler', () => {
  it('runs jobs first come first served on the lowest free node, committed, at no per-job price', () => {
    const d = new Driver(selfHosted({ nodes: 2 }), [op(0), op(1)]);
    for (let i = 0; i < 4; i++) d.submit(job({ id: i, submittedAt: i }), i);
    expect(d.of('assign').map((a) => [a.jobId, a.operator, a.price, a.committed])).toEqual([
      [0, 0, 0, true],
      [1, 1, 0, true],
    ]);
    d.step({ type: 'deliver', jobId: 1, operator: 1 }, 10);
    d.step({ type: 'deliver', jobId: 0, operator: 0 }, 11);
    expect(
      d
        .of('assign')
        .slice(2)
        .map((a) => [a.jobId, a.operator]),
    ).toEqual([
      [2, 1],
      [3, 0],
    ]);
    expect(d.done.get(1)).toMatchObject({ outcome: 'delivered', operator: 1 });
    d.step({ type: 'deliver', jobId: 2, operator: 1 }, 20);
    d.step({ type: 'deliver', jobId: 3, operator: 0 }, 21);
    expect(d.closed.size).toBe(4);
    expect(d.of('settle')).toHaveLength(0);
    expect(d.bal.requester).toBe(0);
  });
  it('re-runs a failed job ahead of the queue, up to `retries` times, then fails it', () => {
    const d = new Driver(selfHosted({ nodes: 1, retries: 1 }), [op(0)]);
    d.submit(job({ id: 0 }), 0);
    d.submit(job({ id: 1 }), 1);
    d.step({ type: 'fail', jobId: 0, operator: 0 }, 5);
    expect(d.of('assign').at(-1)).toMatchObject({ jobId: 0, operator: 0, role: 'fallback' });
    d.step({ type: 'fail', jobId: 0, operator: 0 }, 9);
    expect(d.done.get(0)).toMatchObject({ outcome: 'failed' });
    expect(d.of('assign').at(-1)).toMatchObject({ jobId: 1, operator: 0 });
  });
  it('with dropLate, expires a job still queued at its deadline and proves the rest', () => {
    const d = new Driver(selfHosted({ nodes: 1, dropLate: true }), [op(0)]);
    d.submit(job({ id: 0, deadline: 100 }), 0);
    d.submit(job({ id: 1, deadline: 50 }), 1);
    d.step({ type: 'timer', jobId: 1, tag: TAG_DEADLINE }, 50);
    expect(d.done.get(1)).toMatchObject({ outcome: 'expired' });
    d.step({ type: 'timer', jobId: 0, tag: TAG_DEADLINE }, 100); // in progress: not dropped
    expect(d.done.has(0)).toBe(false);
  });
  it('rejects a job no node of the cluster could ever run', () => {
    const d = new Driver(selfHosted({ nodes: 1 }), [op(0, 1)]);
    d.submit(job({ id: 0, request: { cpus: 0, gpus: 8, memoryGb: 16 } }), 0);
    expect(d.done.get(0)).toMatchObject({ outcome: 'rejected' });
    expect(d.closed.has(0)).toBe(true);
  });
});

describe('self-hosted in the market shell', () => {
  const rtx = hardwareById('gpu-rtx4090')!;
  /** Nominal service time of a 1000-Mcycle job on one RTX 4090: setup + cycles / speed. */
  const S = rtx.setupSeconds + 1e9 / (rtx.khz * 1000);

  it("replaces the operators with the requester's cluster and charges rent for every hour of the run, idle ones included", () => {
    const s = scenario({
      duration: '1d',
      requesters: [{ name: 'app', arrival: '2h', size_mcycles: 1000, deadline: '4h', max_price_usd: 1 }],
    });
    const m = checked(create('self-hosted', { nodes: 3, hardware: 'gpu-rtx4090', devices: 2, rentUsdPerHour: 0.5, failureProb: 0 }));
    const { result, rows } = run(s, m);
    const row = summaryRow(key, result);
    expect(m.violations).toEqual([]);
    // 3 nodes × 2 GPUs × $0.50/h × 24 h, to the micro-dollar.
    expect(row.requester_cost_usd).toBe(72);
    expect(rows.every((r) => r.entity === 'self-hosted' && r.price_usd === 0)).toBe(true);
    expect(row.operator_profit_usd).toBe(0);
    expect(row.active_operators_end).toBe(1);
    expect(result.ledger.total()).toBe(0);
    expect(result.ledger.openEscrows()).toBe(0);
  });

  // Validation 1 (utilization and idle cost): with Poisson arrivals at rate λ and a mean service
  // time E[S] on c nodes, the long-run utilization is ρ = λE[S]/c (Little's law on the servers;
  // Kleinrock, Queueing Systems I, §2.1), so busy cost = ρ × rent × c × T and idle cost = rent × c × T − busy.
  // Tolerance 5% (30 days, ~4,300 jobs: the Poisson count alone has a 1.5% standard deviation).
  it('has utilization ρ = λE[S]/c and idle cost = rent × hours − busy cost (±5%)', () => {
    const lambda = 1 / 600;
    const c = 4;
    const s = scenario({
      duration: '30d',
      window: '1d',
      requesters: [{ name: 'app', arrival: { dist: 'exponential', mean: 600 }, size_mcycles: 1000, deadline: '1d', max_price_usd: 1 }],
    });
    const { result, rows } = run(s, create('self-hosted', { nodes: c, hardware: 'gpu-rtx4090', failureProb: 0 }));
    const row = summaryRow(key, result);
    const rentAll = Number(row.requester_cost_usd);
    const busy = Number(row.compute_cost_usd);
    const rho = (lambda * S) / c;
    // The rent runs from 0 to the end of the run, or to the last proof if the queue drains later.
    const end = Math.max(30 * 86400, ...rows.map((r) => r.ended_s));
    expect(rentAll).toBeCloseTo((c * rtx.rentUsdPerHour * end) / 3600, 5);
    expect(Math.abs(busy / rentAll - rho) / rho).toBeLessThan(0.05);
    expect(Math.abs(rentAll - busy - rentAll * (1 - rho)) / (rentAll * (1 - rho))).toBeLessThan(0.05);
    // Per delivered job the busy cost is E[S] × rent (the jitter is mean-one): ±1%.
    const perJob = (S * rtx.rentUsdPerHour) / 3600;
    expect(Math.abs(busy / rows.length - perJob) / perJob).toBeLessThan(0.01);
    // The on-demand cloud price of the same work is the busy time at the same rent: ±1%.
    expect(Math.abs(Number(row.cloud_cost_usd) - busy) / busy).toBeLessThan(0.01);
  });

  // Validation 2 (latency): one node is an M/G/1 queue. Pollaczek–Khinchine: mean wait
  // Wq = λE[S²] / (2(1 − ρ)); here S = E[S] × U(0.9, 1.1), so E[S²] = E[S]²(1 + 0.2²/12).
  // Mean latency = Wq + E[S]. Tolerance 5% (50,000 jobs at ρ = 0.5).
  it('has the Pollaczek–Khinchine mean latency on one node (M/G/1, ±5%)', () => {
    const rho = 0.5;
    const mean = S / rho;
    const n = 50_000;
    const s = scenario({
      duration: Math.ceil(n * mean),
      window: Math.ceil(n * mean),
      requesters: [{ name: 'app', arrival: { dist: 'exponential', mean }, size_mcycles: 1000, deadline: '30d', max_price_usd: 1 }],
    });
    const { rows } = run(s, create('self-hosted', { nodes: 1, hardware: 'gpu-rtx4090', failureProb: 0 }));
    const lat = rows.filter((r) => r.outcome === 'delivered').map((r) => r.latency_s);
    const measured = lat.reduce((a, b) => a + b, 0) / lat.length;
    const es2 = S * S * (1 + 0.04 / 12);
    const expected = ((1 / mean) * es2) / (2 * (1 - rho)) + S;
    expect(lat.length).toBeGreaterThan(0.95 * n);
    expect(Math.abs(measured - expected) / expected).toBeLessThan(0.05);
  });
});

describe('self-hosted: its own dispatch of submit and deliver', () => {
  it('decides what the shared step decides over its handlers, refusals (duplicate, unknown job, not assigned) included', () => {
    const m = selfHosted({ nodes: 2, retries: 1, dropLate: true });
    const ops = [op(0), op(1)];
    const inputs: Input[] = [
      { type: 'submit', id: 0, job: job({ id: 0, deadline: 500 }) },
      { type: 'submit', id: 1, job: job({ id: 1, deadline: 500 }) },
      { type: 'submit', id: 2, job: job({ id: 2, deadline: 50 }) },
      { type: 'submit', id: 2, job: job({ id: 3 }) },
      { type: 'deliver', id: 3, jobId: 7, operator: 0 },
      { type: 'deliver', id: 4, jobId: 1, operator: 0 },
      { type: 'fail', id: 5, jobId: 0, operator: 0 },
      { type: 'timer', id: 6, jobId: 2, tag: TAG_DEADLINE },
      { type: 'deliver', id: 7, jobId: 1, operator: 1 },
      { type: 'deliver', id: 7, jobId: 0, operator: 0 },
      { type: 'deliver', id: 8, jobId: 0, operator: 0 },
      { type: 'submit', id: 9, job: job({ id: 4, request: { cpus: 1e6, gpus: 1, memoryGb: 1 } }) },
    ];
    const direct: Decision[][] = [];
    const shared: Decision[][] = [];
    const a = m.init(ops, [], 0);
    const b = m.init(ops, [], 0);
    inputs.forEach((input, t) => {
      const outA: Decision[] = [];
      const outB: Decision[] = [];
      m.step(a, input, t, { next: () => 0.5 }, outA);
      step(m, b, input, t, { next: () => 0.5 }, outB);
      direct.push(outA);
      shared.push(outB);
    });
    expect(direct).toEqual(shared);
    const refusals = direct.flat().filter((d) => d.type === 'refused');
    expect(refusals.map((d) => (d.type === 'refused' ? d.reason : ''))).toEqual(['duplicate', 'unknown-job', 'not-assigned', 'duplicate']);
    expect(direct.flat().filter((d) => d.type === 'done')).toHaveLength(4);
  });
});
