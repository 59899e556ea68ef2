import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Decision, Input, InputDraft, Job, OperatorInfo, Random } from '../types.js';
import { toMicros } from '../types.js';
import { BATCH_TAG_CLEAR, batchAuction, mcafee, type BatchAuctionParams, type Order } from './index.js';
import { testJob } from '../test-kit.js';
import { lowest } from './mcafee.js';

const rnd: Random = { next: () => 0.5 };
const ops = (n: number, gpus = 1): OperatorInfo[] =>
  Array.from({ length: n }, (_, i) => ({ id: i, entity: i, capacity: { cpus: 16, gpus, memoryGb: 64 }, hardware: 'gpu' }));

/** The shared test job (`test-kit.ts`), with this file's defaults. */
const job = (id: number, over: Partial<Job> = {}): Job => testJob(id, { maxPrice: toMicros(1), ...over });

function driver(params: Partial<BatchAuctionParams> = {}, operators = ops(3)) {
  const m = batchAuction(params);
  const init: Decision[] = [];
  const state = m.init(operators, init, 0);
  let nextId = 0;
  return {
    init,
    state,
    step(draft: InputDraft, now = 0): Decision[] {
      const out: Decision[] = [];
      m.step(state, { ...draft, id: nextId++ } as Input, now, rnd, out);
      return out;
    },
  };
}

const of = <T extends Decision['type']>(ds: Decision[], t: T) => ds.filter((d): d is Extract<Decision, { type: T }> => d.type === t);

describe('batch auction: McAfee trade reduction', () => {
  it('trades k pairs at p0 = (b(k+1) + s(k+1)) / 2 when p0 lies between s(k) and b(k)', () => {
    // b: 10 8 5 3; s: 1 4 6 9 → k = 2 (8 ≥ 4, 5 < 6); p0 = (5 + 6) / 2 = 5.5 ∈ [4, 8].
    const r = mcafee(
      [10, 8, 5, 3].map((price, id) => ({ id, price })),
      [1, 4, 6, 9].map((price, id) => ({ id, price })),
    );
    expect(r).toEqual({ buyers: [0, 1], sellers: [0, 1], buyerPrice: 5.5, sellerPrice: 5.5, reduced: false });
  });

  it("otherwise drops the k-th trade: buyers pay b(k), sellers receive s(k), the gap is the auctioneer's", () => {
    // b: 10 8 7.9; s: 1 2 9 → k = 2; p0 = (7.9 + 9) / 2 = 8.45 > b(2) = 8: reduce to 1 trade.
    const r = mcafee(
      [10, 8, 7.9].map((price, id) => ({ id, price })),
      [1, 2, 9].map((price, id) => ({ id, price })),
    );
    expect(r).toEqual({ buyers: [0], sellers: [0], buyerPrice: 8, sellerPrice: 2, reduced: true });
    expect(mcafee([{ id: 0, price: 1 }], [{ id: 0, price: 2 }]).buyers).toEqual([]);
  });

  it('is budget-balanced, individually rational and efficient up to one trade in every batch (property)', () => {
    const side = fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 12 });
    fc.assert(
      fc.property(side, side, (bv, sv) => {
        const bids: Order[] = bv.map((price, id) => ({ id, price }));
        const asks: Order[] = sv.map((price, id) => ({ id, price }));
        const r = mcafee(bids, asks);
        expect(r.buyers.length).toBe(r.sellers.length);
        if (r.buyers.length === 0) return;
        expect(r.buyerPrice).toBeGreaterThanOrEqual(r.sellerPrice); // the auctioneer never pays in
        for (const id of r.buyers) expect(bids[id]!.price).toBeGreaterThanOrEqual(r.buyerPrice);
        for (const id of r.sellers) expect(asks[id]!.price).toBeLessThanOrEqual(r.sellerPrice);
        // The efficient number of trades k is at most one more than the number traded.
        const b = [...bv].sort((x, y) => y - x);
        const s = [...sv].sort((x, y) => x - y);
        let k = 0;
        while (k < b.length && k < s.length && b[k]! >= s[k]!) k++;
        expect(r.buyers.length).toBeGreaterThanOrEqual(k - 1);
      }),
      { numRuns: 500, seed: 13 },
    );
  });

  it('clears many more asks than bids exactly as a full sort would: the lowest |bids| + 1 asks decide (property)', () => {
    // Few price levels, so ties (broken by id) are common; up to 60 asks against up to 5 bids.
    const prices = (max: number) => fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: max });
    fc.assert(
      fc.property(prices(5), prices(60), fc.integer({ min: 0, max: 70 }), (bv, sv, m) => {
        const asks: Order[] = sv.map((price, i) => ({ id: (i * 37) % 61, price }));
        const sorted = [...asks].sort((x, y) => x.price - y.price || x.id - y.id);
        expect(lowest(asks, m)).toEqual(sorted.slice(0, m));
        const bids: Order[] = bv.map((price, id) => ({ id, price }));
        const full = (() => {
          // The rule on the fully sorted lists (the definition, before the selection).
          const b = [...bids].sort((x, y) => y.price - x.price || x.id - y.id);
          let k = 0;
          while (k < b.length && k < sorted.length && b[k]!.price >= sorted[k]!.price) k++;
          return k;
        })();
        const r = mcafee(bids, asks);
        expect(r.buyers.length === full || r.buyers.length === full - 1 || full === 0).toBe(true);
        expect(r.sellers).toEqual(sorted.slice(0, r.sellers.length).map((o) => o.id));
      }),
      { numRuns: 1000, seed: 29 },
    );
  });

  it('is truthful by simulation: a buyer or seller that shades its price never gains in expectation (4,000 random markets per deviation)', () => {
    let x = 12345;
    const u = (): number => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 4294967296;
    const trials = 4000;
    for (const shade of [-0.3, -0.1, 0.1, 0.3]) {
      let truthfulB = 0;
      let deviantB = 0;
      let truthfulS = 0;
      let deviantS = 0;
      for (let t = 0; t < trials; t++) {
        const nb = 2 + Math.floor(u() * 6);
        const ns = 2 + Math.floor(u() * 6);
        const values = Array.from({ length: nb }, u);
        const costs = Array.from({ length: ns }, u);
        const bids = (v0: number): Order[] => values.map((price, id) => ({ id, price: id === 0 ? v0 : price }));
        const asks = (c0: number): Order[] => costs.map((price, id) => ({ id, price: id === 0 ? c0 : price }));
        const buyerUtility = (v0: number): number => {
          const r = mcafee(bids(v0), asks(costs[0]!));
          return r.buyers.includes(0) ? values[0]! - r.buyerPrice : 0;
        };
        const sellerUtility = (c0: number): number => {
          const r = mcafee(bids(values[0]!), asks(c0));
          return r.sellers.includes(0) ? r.sellerPrice - costs[0]! : 0;
        };
        truthfulB += buyerUtility(values[0]!);
        deviantB += buyerUtility(values[0]! * (1 + shade));
        truthfulS += sellerUtility(costs[0]!);
        deviantS += sellerUtility(costs[0]! * (1 + shade));
        // Dominant strategy: truth is at least as good in every single market, not only on average.
        expect(buyerUtility(values[0]!)).toBeGreaterThanOrEqual(buyerUtility(values[0]! * (1 + shade)) - 1e-12);
        expect(sellerUtility(costs[0]!)).toBeGreaterThanOrEqual(sellerUtility(costs[0]! * (1 + shade)) - 1e-12);
      }
      expect(truthfulB).toBeGreaterThanOrEqual(deviantB);
      expect(truthfulS).toBeGreaterThanOrEqual(deviantS);
    }
  });
});

describe('batch auction: the mechanism', () => {
  function withAsks(d: ReturnType<typeof driver>, asks: number[]): void {
    asks.forEach((a, op) => d.step({ type: 'ask', operator: op, pricePerMcycle: a, expiresAt: 99_999 }));
  }

  it('asks every node for a sealed ask at start, gathers jobs until the period boundary, then clears them at once', () => {
    const d = driver({ period: 60 });
    expect(of(d.init, 'request-ask').map((r) => r.operator)).toEqual([0, 1, 2]);
    withAsks(d, [0.0002, 0.0004, 0.0009]);
    const s0 = d.step({ type: 'submit', job: job(0) }, 10);
    expect(of(s0, 'timer').find((t) => t.tag === BATCH_TAG_CLEAR)!.at).toBe(60);
    expect(of(s0, 'assign')).toHaveLength(0);
    d.step({ type: 'submit', job: job(1, { maxPrice: toMicros(0.8) }) }, 20);
    d.step({ type: 'submit', job: job(2, { maxPrice: toMicros(0.3) }) }, 30);
    // Bids per Mcycle (µUSD): 1000, 800, 300; asks 200, 400, 900 → k = 2; p0 = (300 + 900)/2 = 600 ∈ [400, 800].
    const out = d.step({ type: 'timer', jobId: 0, tag: BATCH_TAG_CLEAR }, 60);
    expect(of(out, 'assign').map((a) => [a.jobId, a.operator, a.price])).toEqual([
      [0, 0, 600_000],
      [1, 1, 600_000],
    ]);
    const paid = d.step({ type: 'deliver', jobId: 1, operator: 1 }, 200);
    expect(of(paid, 'settle')).toEqual([{ type: 'settle', jobId: 1, operator: 1, amount: 600_000, source: 'escrow' }]);
    expect(of(paid, 'fee')).toHaveLength(0);
    // Job 2 was not cleared: it waits for the next batch, whole.
    expect(of(out, 'timer').find((t) => t.tag === BATCH_TAG_CLEAR)!.at).toBe(120);
  });

  it('in the trade-reduction case the requester pays b(k), the prover gets s(k) and the treasury the gap', () => {
    const d = driver({ period: 60 }, ops(2));
    withAsks(d, [0.0001, 0.0002]);
    d.step({ type: 'submit', job: job(0, { maxPrice: toMicros(1) }) }, 1);
    d.step({ type: 'submit', job: job(1, { maxPrice: toMicros(0.5) }) }, 2);
    // b: 1000, 500; s: 100, 200 → k = 2, no (k+1)-th pair: one trade, buyer pays 500, seller gets 200 per Mcycle.
    const out = d.step({ type: 'timer', jobId: 0, tag: BATCH_TAG_CLEAR }, 60);
    expect(of(out, 'assign').map((a) => [a.jobId, a.operator, a.price])).toEqual([[0, 0, 200_000]]);
    const paid = d.step({ type: 'deliver', jobId: 0, operator: 0 }, 100);
    expect(of(paid, 'settle')[0]!.amount).toBe(200_000);
    expect(of(paid, 'fee')).toEqual([{ type: 'fee', jobId: 0, amount: 300_000 }]);
  });

  it('a lone job in a batch never trades: with k = 1 there is no (k+1)-th pair, and trade reduction drops the only trade', () => {
    const d = driver({ period: 60 }, ops(3));
    withAsks(d, [0.0001, 0.0002, 0.0003]);
    d.step({ type: 'submit', job: job(0) }, 1);
    expect(of(d.step({ type: 'timer', jobId: 0, tag: BATCH_TAG_CLEAR }, 60), 'assign')).toHaveLength(0);
  });

  it('a failed job goes back whole to the next batch; a job still pending at its deadline expires', () => {
    const d = driver({ period: 60, retries: 1 }, ops(2));
    withAsks(d, [0.0001, 0.0002]);
    d.step({ type: 'submit', job: job(0) }, 1);
    d.step({ type: 'submit', job: job(1, { maxPrice: toMicros(0.5) }) }, 2);
    expect(of(d.step({ type: 'timer', jobId: 0, tag: BATCH_TAG_CLEAR }, 60), 'assign').map((a) => a.jobId)).toEqual([0]);
    const f = d.step({ type: 'fail', jobId: 0, operator: 0 }, 90);
    expect(of(f, 'done')).toHaveLength(0);
    expect(d.state.pending.map((r) => r.job.id)).toEqual([1, 0]);
    expect(d.state.clearAt).toBe(120);
    const d2 = driver({ period: 60 }, ops(1));
    d2.step({ type: 'submit', job: job(0, { deadline: 50 }) }, 1); // no ask yet: nothing can clear
    expect(of(d2.step({ type: 'timer', jobId: 0, tag: 2 }, 50), 'done')[0]!.outcome).toBe('expired');
  });
});
