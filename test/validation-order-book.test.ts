/**
 * Closed-form validation of the order book (see docs/validation.md, `## order-book`).
 */
import { describe, expect, it } from 'vitest';
import { hardwareById, nodeModel } from '../src/hardware-models/index.js';
import { runMarket, type JobRow } from '../src/market/market.js';
import { parseScenario } from '../src/scenario/load.js';
import type { Decision, Job, OperatorInfo, Random } from '../src/mechanisms/types.js';
import { orderBook, type OrderBookParams } from '../src/mechanisms/order-book/index.js';

/** mulberry32: a small seeded uniform source for the order-statistic experiment. */
function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

const rtx4090 = nodeModel(hardwareById('gpu-rtx4090')!, 1, 'owned', 0.12);

/** Erlang's loss formula B(c, A), by the stable recursion B(0) = 1, B(k) = A B(k−1) / (k + A B(k−1)). */
function erlangB(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

describe('order book: closed-form validation', () => {
  it('n asks ~ U(0, 1), one bid: the trade price is the lowest ask, E = 1/(n + 1) (n = 9, 4,000 books, tolerance ±0.005)', () => {
    const n = 9;
    const trials = 4000;
    const u = mulberry32(2024);
    const operators: OperatorInfo[] = Array.from({ length: n }, (_, i) => ({
      id: i,
      entity: i,
      capacity: { cpus: 16, gpus: 1, memoryGb: 64 },
      hardware: 'gpu',
    }));
    // One Mcycle at an ask of `x` USD per Mcycle trades at x × 1e6 micro-USD.
    const bid: Job = {
      id: 0,
      requester: 0,
      kind: 'zkvm',
      mcycles: 1,
      request: { cpus: 0, gpus: 1, memoryGb: 1 },
      submittedAt: 0,
      deadline: 3600,
      maxPrice: 1_000_000,
      redundancy: 1,
      estSeconds: 1,
    };
    let sum = 0;
    let exactMin = 0;
    for (let t = 0; t < trials; t++) {
      const m = orderBook({} satisfies Partial<OrderBookParams>);
      const out: Decision[] = [];
      const s = m.init(operators, out, 0); // opens the book: asks every node for an opening ask
      let id = 0;
      let lowest = Infinity;
      for (let i = 0; i < n; i++) {
        const x = u.next();
        lowest = Math.min(lowest, x);
        m.step(s, { type: 'ask', id: id++, operator: i, pricePerMcycle: x, expiresAt: 100 }, 0, u, out);
      }
      out.length = 0;
      m.step(s, { type: 'submit', id: id++, job: bid }, 1, u, out);
      const a = out.find((d): d is Extract<Decision, { type: 'assign' }> => d.type === 'assign')!;
      if (a.price === Math.round(lowest * 1e6)) exactMin++;
      sum += a.price / 1e6;
    }
    expect(exactMin).toBe(trials); // every trade is at the lowest ask
    expect(Math.abs(sum / trials - 1 / (n + 1))).toBeLessThan(0.005);
  });

  it('mina-snarketplace, c zero-fee sellers: the share of jobs that pay a fee is Erlang B(c, A) (c = 3, A = 1.5: 0.134, tolerance ±0.015)', () => {
    const c = 3;
    const load = 1.5;
    const mcycles = 500;
    const meanService = rtx4090.duration(mcycles, 'zkvm'); // jitter U(0.9, 1.1) has mean 1; B is insensitive to its shape
    const jobs = 20000;
    const gap = meanService / load;
    const scenario = parseScenario({
      name: 'mina-erlang',
      seed: 11,
      duration: Math.ceil(jobs * gap),
      window: '1d',
      mechanisms: [{ id: 'order-book', preset: 'mina-snarketplace' }],
      operators: [
        { name: 'zero-fee', entities: c, nodes: 1, hardware: 'gpu-rtx4090', margin: -1, failure_prob: 0 },
        { name: 'paid', entities: 30, nodes: 1, hardware: 'gpu-rtx4090', margin: 0.2, failure_prob: 0 },
      ],
      requesters: [
        {
          name: 'txs',
          arrival: { dist: 'exponential', mean: gap },
          size_mcycles: mcycles,
          deadline: '1d',
          max_price_usd_per_mcycle: 0.001,
          resources: { gpus: 1, memory_gb: 16 },
        },
      ],
    });
    const rows: JobRow[] = [];
    const r = runMarket({ scenario, mechanism: orderBook({ preset: 'mina-snarketplace' }), seed: 11, onJob: (row) => rows.push(row) });
    expect(rows.length).toBeGreaterThan(0.95 * jobs);
    expect(rows.every((row) => row.outcome === 'delivered')).toBe(true);
    const paying = rows.filter((row) => row.price_usd > 0).length / rows.length;
    expect(Math.abs(paying - erlangB(c, load))).toBeLessThan(0.015);
    // With enough zero-fee capacity the fee is driven to 0: B(12, 1.5) = 6.0e-8.
    expect(erlangB(12, load)).toBeLessThan(1e-7);
    expect(r.ledger.total()).toBe(0);
  });

  it('one node, Poisson bids of one size: the book is an M/G/1 FIFO queue, mean latency = E[S] + λE[S²]/(2(1 − ρ)) (ρ = 0.7, tolerance 5%)', () => {
    const rho = 0.7;
    const mcycles = 500;
    const d = rtx4090.duration(mcycles, 'zkvm');
    const es = d; // S = d × U(0.9, 1.1)
    const es2 = d * d * (1 + 0.2 ** 2 / 12);
    const gap = es / rho;
    const jobs = 60000;
    const scenario = parseScenario({
      name: 'book-mg1',
      seed: 5,
      duration: Math.ceil(jobs * gap),
      window: '30d',
      mechanisms: ['order-book'],
      operators: [{ name: 'solo', entities: 1, nodes: 1, hardware: 'gpu-rtx4090', margin: 0.2, failure_prob: 0 }],
      requesters: [
        {
          name: 'apps',
          arrival: { dist: 'exponential', mean: gap },
          size_mcycles: mcycles,
          deadline: '3650d',
          max_price_usd_per_mcycle: 0.001,
          resources: { gpus: 1, memory_gb: 16 },
        },
      ],
    });
    const rows: JobRow[] = [];
    runMarket({ scenario, mechanism: orderBook(), seed: 5, onJob: (row) => rows.push(row) });
    const delivered = rows.filter((row) => row.outcome === 'delivered');
    expect(delivered.length).toBe(rows.length);
    const mean = delivered.reduce((s, row) => s + row.latency_s, 0) / delivered.length;
    const expected = es + ((1 / gap) * es2) / (2 * (1 - rho));
    expect(Math.abs(mean / expected - 1)).toBeLessThan(0.05);
  });
});
