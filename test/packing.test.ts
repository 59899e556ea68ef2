import { describe, expect, it } from 'vitest';
import { ESCROW } from '../src/market/ledger.js';
import { runMarket, type JobRow, type MarketResult } from '../src/market/market.js';
import { createMechanism, resolveMechanism } from '../src/comparison/run-scenario.js';
import type { Decision, Input, Resources } from '../src/mechanisms/types.js';
import { scenario } from './helpers.js';

interface Traced {
  result: MarketResult;
  rows: JobRow[];
  /** Most jobs any node ran at once, and whether a node's running requests ever exceeded its capacity. */
  maxConcurrent: number;
  overCapacity: boolean;
}

function traced(concurrent: boolean, mechanism: unknown = 'first-fit', over: Record<string, unknown> = {}): Traced {
  const s = scenario({
    mechanisms: [mechanism],
    operators: [
      {
        name: 'big',
        entities: 3,
        hardware: 'gpu-rtx4090',
        devices: 4,
        margin: 0.1,
        failure_prob: 0.05,
        ...(concurrent ? { concurrent_jobs: true } : {}),
      },
    ],
    requesters: [
      {
        name: 'small',
        arrival: { dist: 'exponential', mean: '2m' },
        size_mcycles: { dist: 'lognormal', median: 300, sigma: 0.5 },
        deadline: '6h',
        max_price_usd_per_mcycle: 0.001,
        resources: { gpus: 1, memory_gb: 48 },
      },
    ],
    ...over,
  });
  const rows: JobRow[] = [];
  const caps = new Map<number, Resources>();
  const running = new Map<number, Map<number, Resources>>();
  const requests = new Map<number, Resources>();
  let maxConcurrent = 0;
  let overCapacity = false;
  const stop = (jobId: number, op: number): void => void running.get(op)?.delete(jobId);
  const step = (input: Input, _now: number, ds: readonly Decision[]): void => {
    if (input.type === 'submit') requests.set(input.job.id, input.job.request);
    if (input.type === 'deliver' || input.type === 'fail' || input.type === 'decline') stop(input.jobId, input.operator);
    for (const d of ds) {
      if (d.type === 'abort') stop(d.jobId, d.operator);
      if (d.type !== 'assign') continue;
      const m = running.get(d.operator) ?? new Map<number, Resources>();
      running.set(d.operator, m);
      m.set(d.jobId, requests.get(d.jobId)!);
      maxConcurrent = Math.max(maxConcurrent, m.size);
      const cap = caps.get(d.operator)!;
      let gpus = 0;
      let mem = 0;
      for (const r of m.values()) {
        gpus += r.gpus;
        mem += r.memoryGb;
      }
      if (gpus > cap.gpus || mem > cap.memoryGb) overCapacity = true;
    }
  };
  const result = runMarket({
    scenario: s,
    mechanism: createMechanism(resolveMechanism(s.mechanisms[0]!)),
    seed: s.seed,
    onJob: (r) => rows.push(r),
    record: { init: (all) => all.forEach((o) => caps.set(o.id, o.capacity)), step },
  });
  return { result, rows, maxConcurrent, overCapacity };
}

describe('multi-job nodes (operators[].concurrent_jobs) under first-fit', () => {
  const packed = traced(true);
  const whole = traced(false);

  it('run several jobs at once on a node, never more than its GPUs and memory hold', () => {
    expect(packed.maxConcurrent).toBeGreaterThan(1);
    expect(packed.maxConcurrent).toBeLessThanOrEqual(4);
    expect(packed.overCapacity).toBe(false);
    expect(whole.maxConcurrent).toBe(1);
  });

  it('run a job at its dominant share of the node: a lone 1-GPU job on a 4-GPU node takes 4x as long, at the same compute cost', () => {
    const one = { requesters: [{ name: 'one', arrival: '1h', max_jobs: 1, size_mcycles: 500, deadline: '6h', max_price_usd: 5 }] };
    const a = traced(true, 'first-fit', one);
    const b = traced(false, 'first-fit', one);
    expect(a.rows).toHaveLength(1);
    expect(a.rows[0]!.latency_s / b.rows[0]!.latency_s).toBeCloseTo(4, 9);
    expect(Math.abs(a.result.metrics.compute - b.result.metrics.compute)).toBeLessThanOrEqual(1);
  });

  it('conserve money and keep utilisation at most 1', () => {
    for (const t of [packed, traced(true, { id: 'first-fit', preset: 'fermah' })]) {
      const r = t.result;
      const m = r.metrics;
      expect(r.ledger.total()).toBe(0);
      expect(r.ledger.escrowTotal()).toBe(r.ledger.balance(ESCROW));
      expect(m.requesterPaid + m.slashed).toBe(m.revenue - m.emission + m.protocol + m.burned);
      expect(m.delivered + m.failed + m.expired + m.rejected + r.openJobs).toBe(m.submitted);
      expect(m.busySeconds / m.nodeSeconds).toBeLessThanOrEqual(1);
    }
  });

  it('run under mechanisms that do not pack (sealed-bid, order-book): jobs delivered, money conserved', () => {
    for (const mech of ['sealed-bid', 'order-book']) {
      const r = traced(true, mech).result;
      expect(r.metrics.delivered, mech).toBeGreaterThan(0);
      expect(r.ledger.total(), mech).toBe(0);
    }
  });
});

describe('multi-job nodes under random allocation', () => {
  const packed = traced(true, 'random');
  it('run several jobs at once on a node, never more than its GPUs and memory hold', () => {
    expect(packed.maxConcurrent).toBeGreaterThan(1);
    expect(packed.overCapacity).toBe(false);
    expect(traced(false, 'random').maxConcurrent).toBe(1);
  });
  it('conserve money, also with redundancy, fallbacks and the zkcloud preset', () => {
    for (const t of [
      packed,
      traced(true, { id: 'random', preset: 'zkcloud' }),
      traced(true, { id: 'random', params: { lastResortRace: true } }),
    ]) {
      const r = t.result;
      const m = r.metrics;
      expect(t.overCapacity).toBe(false);
      expect(r.ledger.total()).toBe(0);
      expect(m.requesterPaid + m.slashed).toBe(m.revenue - m.emission + m.protocol + m.burned);
      expect(m.delivered + m.failed + m.expired + m.rejected + r.openJobs).toBe(m.submitted);
      expect(m.busySeconds / m.nodeSeconds).toBeLessThanOrEqual(1);
    }
  });
});
