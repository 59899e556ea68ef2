import { describe, expect, it } from 'vitest';
import { chunksOf } from '../src/market/chunking.js';
import { ESCROW } from '../src/market/ledger.js';
import { runMarket, type JobRow, type MarketResult } from '../src/market/market.js';
import { createMechanism, resolveMechanism } from '../src/comparison/run-scenario.js';
import type { Decision, Input } from '../src/mechanisms/types.js';
import { ScenarioError } from '../src/scenario/errors.js';
import { scenario } from './helpers.js';

const CHUNKING = { chunk_mcycles: 1000, overhead_s: 5, aggregation_mcycles: 20 };

interface Traced {
  result: MarketResult;
  rows: JobRow[];
  /** Submitted job id → (time, Mcycles). */
  submits: Map<number, { at: number; mcycles: number }>;
  /** Job id → (time, outcome) of its `done`. */
  dones: Map<number, { at: number; outcome: string }>;
  /** Job id → what left its escrow to operators, the treasury or the burn (settle, fee, burn). */
  spent: Map<number, number>;
}

function traced(over: Record<string, unknown>, mechanism: unknown = 'random', failure = 0.02): Traced {
  const s = scenario({
    mechanisms: [mechanism],
    operators: [{ name: 'gpus', entities: 8, hardware: 'gpu-rtx4090', margin: 0.1, failure_prob: failure }],
    requesters: [
      {
        name: 'apps',
        arrival: { dist: 'exponential', mean: '10m' },
        size_mcycles: { dist: 'lognormal', median: 2000, sigma: 0.6 },
        deadline: '4h',
        max_price_usd_per_mcycle: 0.001,
        chunking: CHUNKING,
      },
    ],
    ...over,
  });
  const rows: JobRow[] = [];
  const submits = new Map<number, { at: number; mcycles: number }>();
  const dones = new Map<number, { at: number; outcome: string }>();
  const spent = new Map<number, number>();
  const add = (id: number, v: number): void => void spent.set(id, (spent.get(id) ?? 0) + v);
  const step = (input: Input, now: number, ds: readonly Decision[]): void => {
    if (input.type === 'submit') submits.set(input.job.id, { at: now, mcycles: input.job.mcycles });
    for (const d of ds) {
      if (d.type === 'done' && !dones.has(d.jobId)) dones.set(d.jobId, { at: now, outcome: d.outcome });
      if ((d.type === 'settle' && d.source === 'escrow') || d.type === 'fee' || d.type === 'burn') add(d.jobId, d.amount);
    }
  };
  const result = runMarket({
    scenario: s,
    mechanism: createMechanism(resolveMechanism(s.mechanisms[0]!)),
    seed: s.seed,
    onJob: (r) => rows.push(r),
    record: { init: () => {}, step },
  });
  return { result, rows, submits, dones, spent };
}

describe('chunksOf', () => {
  it('splits M Mcycles into ceil(M / chunk) equal chunks', () => {
    expect(chunksOf(2500, 1000)).toEqual({ n: 3, mcycles: 2500 / 3 });
    expect(chunksOf(3000, 1000)).toEqual({ n: 3, mcycles: 1000 });
    expect(chunksOf(1000.5, 1000).n).toBe(2);
  });
});

describe('a chunked job', () => {
  const t = traced({});
  const big = t.rows.filter((r) => r.mcycles > CHUNKING.chunk_mcycles);

  it('reaches the mechanism as n chunks on the ids after it, submitted overhead_s later, never itself', () => {
    expect(big.length).toBeGreaterThan(20);
    for (const r of big) {
      const { n, mcycles } = chunksOf(r.mcycles, CHUNKING.chunk_mcycles);
      expect(t.submits.has(r.job_id)).toBe(false);
      for (let i = 1; i <= n; i++) {
        const c = t.submits.get(r.job_id + i)!;
        expect(c.mcycles).toBeCloseTo(mcycles, 9);
        expect(c.at).toBe(r.submitted_s + CHUNKING.overhead_s);
      }
    }
  });

  it('is aggregated by one job of n × aggregation_mcycles, submitted when its last chunk is delivered', () => {
    for (const r of big.filter((x) => x.outcome === 'delivered')) {
      const { n } = chunksOf(r.mcycles, CHUNKING.chunk_mcycles);
      const agg = t.submits.get(r.job_id + n + 1)!;
      expect(agg.mcycles).toBeCloseTo(n * CHUNKING.aggregation_mcycles, 9);
      const lastChunk = Math.max(...Array.from({ length: n }, (_, i) => t.dones.get(r.job_id + 1 + i)!.at));
      expect(agg.at).toBe(lastChunk);
    }
  });

  it('has an end-to-end latency (aggregation delivered − job submitted) and a price that is the sum of its pieces', () => {
    const delivered = big.filter((x) => x.outcome === 'delivered');
    expect(delivered.length).toBeGreaterThan(20);
    for (const r of delivered) {
      const { n } = chunksOf(r.mcycles, CHUNKING.chunk_mcycles);
      const aggDone = t.dones.get(r.job_id + n + 1)!;
      expect(aggDone.outcome).toBe('delivered');
      expect(r.ended_s).toBe(aggDone.at);
      expect(r.latency_s).toBeCloseTo(aggDone.at - r.submitted_s, 9);
      expect(r.latency_s).toBeGreaterThan(CHUNKING.overhead_s);
      let pieces = 0;
      for (let i = 1; i <= n + 1; i++) pieces += t.spent.get(r.job_id + i) ?? 0;
      expect(Math.round(r.price_usd * 1e6)).toBe(pieces);
      expect(r.price_usd).toBeLessThanOrEqual(r.mcycles * 0.001 + 1e-6);
    }
  });

  it('counts as one job in the metrics (the pieces are not jobs of their own)', () => {
    const m = t.result.metrics;
    expect(m.submitted).toBe(t.rows.length);
    expect(m.delivered).toBe(t.rows.filter((r) => r.outcome === 'delivered').length);
    expect(t.submits.size).toBeGreaterThan(t.rows.length);
  });

  it('is not split when it is no larger than chunk_mcycles', () => {
    const small = t.rows.filter((r) => r.mcycles <= CHUNKING.chunk_mcycles);
    expect(small.length).toBeGreaterThan(0);
    for (const r of small) expect(t.submits.get(r.job_id)!.mcycles).toBe(r.mcycles);
  });
});

describe('a chunked job whose chunk fails', () => {
  const t = traced({}, { id: 'random', params: { fallbackRounds: 0 } }, 0.3);
  const failed = t.rows.filter((r) => r.outcome === 'failed' && r.mcycles > CHUNKING.chunk_mcycles);

  it('fails when its first chunk fails (its aggregation never submitted), or when its aggregation fails', () => {
    let byChunk = 0;
    let byAggregation = 0;
    for (const r of failed) {
      const { n } = chunksOf(r.mcycles, CHUNKING.chunk_mcycles);
      const chunks = Array.from({ length: n }, (_, i) => t.dones.get(r.job_id + 1 + i)!);
      const fails = chunks.filter((c) => c.outcome !== 'delivered').map((c) => c.at);
      let pieces = 0;
      if (fails.length > 0) {
        byChunk++;
        expect(r.ended_s).toBe(Math.min(...fails));
        expect(t.submits.has(r.job_id + n + 1)).toBe(false);
        for (let i = 1; i <= n; i++) pieces += t.spent.get(r.job_id + i) ?? 0;
      } else {
        byAggregation++;
        expect(t.dones.get(r.job_id + n + 1)).toEqual({ at: r.ended_s, outcome: 'failed' });
        for (let i = 1; i <= n + 1; i++) pieces += t.spent.get(r.job_id + i) ?? 0;
      }
      // The requester pays what its pieces cost (burned fees included); an aggregation never submitted costs nothing.
      expect(Math.round(r.price_usd * 1e6)).toBe(pieces);
    }
    expect(byChunk).toBeGreaterThan(5);
    expect(byAggregation).toBeGreaterThan(0);
  });

  it('leaves no escrow behind once every piece has closed', () => {
    expect(t.result.openJobs).toBe(0);
    expect(t.result.ledger.openEscrows()).toBe(0);
  });
});

describe('a chunked job whose chunks are refused at submission', () => {
  it('is rejected once, its escrow returned in full (no chunk closes the job before the others opened)', () => {
    // Random's fixed fee is above this limit: every chunk is rejected the moment it is submitted.
    const t = traced({
      requesters: [
        {
          name: 'cheap',
          arrival: { dist: 'exponential', mean: '10m' },
          size_mcycles: 500,
          deadline: '1h',
          max_price_usd_per_mcycle: 0.00001,
          chunking: { chunk_mcycles: 50, aggregation_mcycles: 0 },
        },
      ],
    });
    const m = t.result.metrics;
    expect(m.submitted).toBeGreaterThan(10);
    expect(m.rejected).toBe(m.submitted);
    expect(m.requesterPaid).toBe(0);
    expect(t.result.ledger.total()).toBe(0);
    expect(t.result.ledger.openEscrows()).toBe(0);
    for (const r of t.rows) expect(t.dones.get(r.job_id + 10)?.outcome).toBe('rejected');
  });
});

describe('money with chunked jobs', () => {
  it('is conserved under every mechanism, and every job ends in exactly one state', () => {
    for (const mech of ['random', 'race', 'order-book', 'reverse-dutch', 'sealed-bid', 'first-fit', 'batch-auction']) {
      const r = traced({ duration: '12h', verifier_committee: { size_min: 3, fee_usd: 0.001 } }, mech, 0.1).result;
      const m = r.metrics;
      expect(r.ledger.total(), mech).toBe(0);
      expect(r.ledger.escrowTotal(), mech).toBe(r.ledger.balance(ESCROW));
      expect(m.requesterPaid + m.slashed, mech).toBe(m.revenue - m.emission + m.protocol + m.burned);
      expect(m.delivered + m.failed + m.expired + m.rejected + r.openJobs, mech).toBe(m.submitted);
      if (r.openJobs === 0) expect(r.ledger.openEscrows(), mech).toBe(0);
    }
  });
});

describe('the chunking key', () => {
  const err = (chunking: unknown): string => {
    try {
      scenario({
        requesters: [{ name: 'a', arrival: '1m', size_mcycles: 10, deadline: '1h', max_price_usd: 1, chunking }],
      });
    } catch (e) {
      if (e instanceof ScenarioError) return e.message;
      throw e;
    }
    return '';
  };
  it('refuses a chunk size ≤ 0, a negative overhead, a missing aggregation size and unknown keys, naming the field', () => {
    expect(err({ chunk_mcycles: 0, aggregation_mcycles: 1 })).toMatch(/requesters\[0\]\.chunking\.chunk_mcycles: expected a number > 0/);
    expect(err({ chunk_mcycles: 10, overhead_s: -1, aggregation_mcycles: 1 })).toMatch(/chunking\.overhead_s: expected a number ≥ 0/);
    expect(err({ chunk_mcycles: 10 })).toMatch(/chunking\.aggregation_mcycles/);
    expect(err({ chunk_mcycles: 10, aggregation_mcycles: 1, chunks: 2 })).toMatch(/chunking: unknown key "chunks"/);
    expect(err({ chunk_mcycles: 10, aggregation_mcycles: 1 })).toBe('');
  });
});
