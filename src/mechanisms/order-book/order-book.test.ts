import { describe, expect, it } from 'vitest';
import type { Decision, Input, InputDraft, Job, OperatorInfo, Random } from '../types.js';
import { BOOK_TAG_DEADLINE, BOOK_TAG_POST, orderBook, orderBookDefaults, orderBookPresets, type OrderBookParams } from './index.js';
import { testJob } from '../test-kit.js';

const noRandom: Random = { next: () => 0.5 };

const ops = (n: number, gpus = 1, entityOf = (i: number) => i): OperatorInfo[] =>
  Array.from({ length: n }, (_, i) => ({ id: i, entity: entityOf(i), capacity: { cpus: 16, gpus, memoryGb: 64 }, hardware: 'gpu' }));

/** The shared test job (`test-kit.ts`), with this file's defaults. */
const job = (id: number, over: Partial<Job> = {}): Job => testJob(id, { estSeconds: 600, ...over });

/**
 * Drives the mechanism like the market shell does: inputs are processed in order; a `request-ask`
 * is answered at once with an `ask` at the node's price in `asks` (USD per Mcycle), or with a
 * `cancel-ask` ("no ask") for a node missing there; a timer set for the current time fires after
 * every pending input. Later timers are the test's business. `init`'s decisions (the opening asks)
 * are carried out at time 0 and kept in `opening`.
 */
function driver(params: Partial<OrderBookParams> & { preset?: string } = {}, operators = ops(4), asks: Record<number, number> = {}) {
  const m = orderBook(params);
  const opening: Decision[] = [];
  const state = m.init(operators, opening, 0);
  const prices = new Map<number, number>(Object.entries(asks).map(([k, v]) => [Number(k), v]));
  let nextId = 0;
  const answer = (out: readonly Decision[], now: number, queue: InputDraft[], timers: InputDraft[]): void => {
    for (const d of out) {
      if (d.type === 'request-ask') {
        const price = prices.get(d.operator);
        if (price !== undefined) queue.push({ type: 'ask', operator: d.operator, pricePerMcycle: price, expiresAt: d.expiresAt });
        else queue.push({ type: 'cancel-ask', operator: d.operator });
      } else if (d.type === 'timer' && d.at === now) timers.push({ type: 'timer', jobId: d.jobId, tag: d.tag });
    }
  };
  const run = (first: InputDraft[], now: number, all: Decision[]): void => {
    let queue: InputDraft[] = first;
    while (queue.length > 0) {
      const timers: InputDraft[] = [];
      for (let i = 0; i < queue.length; i++) {
        const out: Decision[] = [];
        m.step(state, { ...queue[i]!, id: nextId++ } as Input, now, noRandom, out);
        all.push(...out);
        answer(out, now, queue, timers);
      }
      queue = timers;
    }
  };
  const openingAnswers: InputDraft[] = [];
  answer(opening, 0, openingAnswers, []);
  run(openingAnswers, 0, opening);
  return {
    m,
    state,
    prices,
    opening,
    step(input: InputDraft, now = 0): Decision[] {
      const all: Decision[] = [];
      run([input], now, all);
      return all;
    },
  };
}

const of = <T extends Decision['type']>(ds: Decision[], t: T) => ds.filter((d): d is Extract<Decision, { type: T }> => d.type === t);

/** Boots a book: `init` asks every node for its opening ask, answered at time 0. */
function booted(params: Partial<OrderBookParams> & { preset?: string }, operators: OperatorInfo[], asks: Record<number, number>) {
  return driver(params, operators, asks);
}

describe('order book: opening the book', () => {
  it('asks every node for an opening ask in `init`, so a first bid meets the complete book', () => {
    const d = driver({}, ops(3), { 0: 0.004, 1: 0.002, 2: 0.003 });
    expect(of(d.opening, 'request-ask')).toEqual(
      [0, 1, 2].map((op) => ({ type: 'request-ask', operator: op, expiresAt: orderBookDefaults.askTtl })),
    );
    const out = d.step({ type: 'submit', job: job(1) });
    expect(of(out, 'request-ask')).toEqual([]);
    expect(of(out, 'timer')).toEqual([{ type: 'timer', jobId: 1, at: 3600, tag: BOOK_TAG_DEADLINE }]);
    // Had the first ask to arrive (node 0, the dearest) taken the job, price priority would be lost.
    expect(of(out, 'assign')).toEqual([{ type: 'assign', jobId: 1, operator: 1, price: 2_000_000, role: 'winner', committed: true }]);
  });

  it('asks a node for a fresh ask whenever it becomes free, expiring after `askTtl`', () => {
    const d = booted({ askTtl: 900 }, ops(2), {});
    expect(d.step({ type: 'available', operator: 1 }, 50)).toEqual([{ type: 'request-ask', operator: 1, expiresAt: 950 }]);
  });

  it('a node that joins is asked for an ask; a node that leaves loses its ask', () => {
    const d = booted({}, ops(2), { 0: 0.001 });
    d.prices.set(5, 0.0005);
    const joined = d.step(
      { type: 'join', operator: { id: 5, entity: 5, capacity: { cpus: 16, gpus: 1, memoryGb: 64 }, hardware: 'gpu' } },
      10,
    );
    expect(of(joined, 'request-ask').map((r) => r.operator)).toEqual([5]);
    d.step({ type: 'leave', operator: 5 }, 20);
    expect(of(d.step({ type: 'submit', job: job(1, { submittedAt: 30 }) }, 30), 'assign')[0]!.operator).toBe(0);
  });
});

describe('order book: what a match needs', () => {
  it('ask × Mcycles must not exceed the bid: a dearer ask leaves the bid resting', () => {
    const d = booted({}, ops(1), { 0: 0.011 });
    expect(of(d.step({ type: 'submit', job: job(1, { maxPrice: 10_999_999 }) }, 1), 'assign')).toHaveLength(0);
    d.prices.set(0, 0.011);
    const out = d.step({ type: 'submit', job: job(2, { maxPrice: 11_000_000 }) }, 2);
    expect(of(out, 'assign')).toEqual([{ type: 'assign', jobId: 2, operator: 0, price: 11_000_000, role: 'winner', committed: true }]);
  });

  it("the node must meet the job's request: a cheap 1-GPU ask never takes an 8-GPU job", () => {
    const operators = [...ops(1), { id: 1, entity: 1, capacity: { cpus: 64, gpus: 8, memoryGb: 512 }, hardware: 'gpu' }];
    const d = booted({}, operators, { 0: 0.0001, 1: 0.005 });
    const out = d.step({ type: 'submit', job: job(1, { request: { cpus: 0, gpus: 8, memoryGb: 128 } }) }, 1);
    expect(of(out, 'assign').map((a) => a.operator)).toEqual([1]);
  });

  it('the job must be finishable by the deadline (now + estSeconds): otherwise it is rejected at once', () => {
    const d = booted({}, ops(1), { 0: 0.001 });
    const out = d.step({ type: 'submit', job: job(1, { submittedAt: 100, deadline: 699, estSeconds: 600 }) }, 100);
    expect(out).toEqual([
      { type: 'done', jobId: 1, outcome: 'rejected', operator: -1 },
      { type: 'close', jobId: 1 },
    ]);
  });

  it('a resting bid that can no longer be finished in time leaves the book `expired` when an ask reaches it', () => {
    const d = booted({}, ops(1), {});
    d.step({ type: 'submit', job: job(1, { deadline: 1000, estSeconds: 600 }) }, 0);
    const out = d.step({ type: 'ask', operator: 0, pricePerMcycle: 0.001, expiresAt: 5000 }, 401);
    expect(of(out, 'done')).toEqual([{ type: 'done', jobId: 1, outcome: 'expired', operator: -1 }]);
    expect(of(out, 'assign')).toHaveLength(0);
  });

  it('requireFinish: false matches regardless and lets the proof be late', () => {
    const d = booted({ requireFinish: false }, ops(1), { 0: 0.001 });
    expect(of(d.step({ type: 'submit', job: job(1, { deadline: 10, estSeconds: 600 }) }, 1), 'assign')).toHaveLength(1);
  });

  it('an unmatched bid expires at its deadline: `expired`, a liveness failure, nothing paid', () => {
    const d = booted({}, ops(1), {});
    d.step({ type: 'submit', job: job(1) }, 0);
    const out = d.step({ type: 'timer', jobId: 1, tag: BOOK_TAG_DEADLINE }, 3600);
    expect(out).toEqual([
      { type: 'done', jobId: 1, outcome: 'expired', operator: -1 },
      { type: 'close', jobId: 1 },
    ]);
  });
});

describe('order book: price-time priority', () => {
  it('an incoming bid takes the lowest ask, and the earliest of equal asks', () => {
    const d = booted({}, ops(4), { 0: 0.003, 1: 0.002, 2: 0.002, 3: 0.0025 });
    expect(of(d.step({ type: 'submit', job: job(1) }, 1), 'assign')[0]!.operator).toBe(1);
    expect(of(d.step({ type: 'submit', job: job(2) }, 1), 'assign')[0]!.operator).toBe(2);
    expect(of(d.step({ type: 'submit', job: job(3) }, 1), 'assign')[0]!.operator).toBe(3);
  });

  it('an incoming ask serves the highest bid per Mcycle first, then the oldest', () => {
    const d = booted({}, ops(1), {});
    d.step({ type: 'submit', job: job(1, { mcycles: 1000, maxPrice: 5_000_000 }) }, 1); // $0.005 / Mcycle
    d.step({ type: 'submit', job: job(2, { mcycles: 100, maxPrice: 900_000 }) }, 2); // $0.009 / Mcycle
    d.step({ type: 'submit', job: job(3, { mcycles: 2000, maxPrice: 18_000_000 }) }, 3); // $0.009 / Mcycle, later
    const first = d.step({ type: 'ask', operator: 0, pricePerMcycle: 0.001, expiresAt: 9999 }, 4);
    expect(of(first, 'assign')[0]!.jobId).toBe(2);
    d.step({ type: 'deliver', jobId: 2, operator: 0 }, 5);
    expect(of(d.step({ type: 'ask', operator: 0, pricePerMcycle: 0.001, expiresAt: 9999 }, 6), 'assign')[0]!.jobId).toBe(3);
  });

  it('a replaced ask takes the new price and loses its place in time; a cancelled ask is gone', () => {
    const d = booted({}, ops(3), { 0: 0.002, 1: 0.002, 2: 0.004 });
    d.step({ type: 'ask', operator: 0, pricePerMcycle: 0.002, expiresAt: 9999 }, 1); // re-posted: now behind node 1
    d.step({ type: 'cancel-ask', operator: 1 }, 1);
    const out = d.step({ type: 'submit', job: job(1) }, 2);
    expect(of(out, 'assign')).toEqual([{ type: 'assign', jobId: 1, operator: 0, price: 2_000_000, role: 'winner', committed: true }]);
    d.step({ type: 'ask', operator: 2, pricePerMcycle: 0.001, expiresAt: 9999 }, 3);
    expect(of(d.step({ type: 'submit', job: job(2) }, 4), 'assign')[0]).toMatchObject({ operator: 2, price: 1_000_000 });
  });

  it('an expired ask is never used: its node is asked again and the bid meets the fresh ask', () => {
    const d = booted({ askTtl: 100 }, ops(2), { 0: 0.001, 1: 0.003 });
    d.prices.set(0, 0.0015);
    const out = d.step({ type: 'submit', job: job(1, { submittedAt: 150 }) }, 150);
    expect(
      of(out, 'request-ask')
        .map((r) => r.operator)
        .sort(),
    ).toEqual([0, 1]);
    // Held until both nodes answered (at most `askWait`), then posted against the fresh asks.
    expect(of(out, 'timer')).toContainEqual({ type: 'timer', jobId: 1, at: 150 + orderBookDefaults.askWait, tag: BOOK_TAG_POST });
    expect(of(out, 'assign')).toEqual([{ type: 'assign', jobId: 1, operator: 0, price: 1_500_000, role: 'winner', committed: true }]);
  });
});

describe('order book: trade price rules', () => {
  const trade = (priceRule: OrderBookParams['priceRule'], incoming: 'bid' | 'ask') => {
    const d = booted({ priceRule }, ops(1), incoming === 'bid' ? { 0: 0.002 } : {});
    const submitted = d.step({ type: 'submit', job: job(1, { maxPrice: 8_000_000 }) }, 1);
    if (incoming === 'bid') return of(submitted, 'assign')[0]!.price;
    return of(d.step({ type: 'ask', operator: 0, pricePerMcycle: 0.002, expiresAt: 9999 }, 2), 'assign')[0]!.price;
  };

  it('resting (default): the ask when a bid arrives, the bid when an ask arrives', () => {
    expect(trade('resting', 'bid')).toBe(2_000_000);
    expect(trade('resting', 'ask')).toBe(8_000_000);
  });

  it('midpoint, bid and ask do not depend on which order arrived first', () => {
    for (const incoming of ['bid', 'ask'] as const) {
      expect(trade('midpoint', incoming)).toBe(5_000_000);
      expect(trade('bid', incoming)).toBe(8_000_000);
      expect(trade('ask', incoming)).toBe(2_000_000);
    }
  });
});

describe('order book: money at the level of one job', () => {
  it('default: the operator is paid the trade price once, nothing else leaves escrow', () => {
    const d = booted({}, ops(1), { 0: 0.002 });
    d.step({ type: 'submit', job: job(1) }, 1);
    const out = d.step({ type: 'deliver', jobId: 1, operator: 0 }, 500);
    expect(out).toEqual([
      { type: 'settle', jobId: 1, operator: 0, amount: 2_000_000, source: 'escrow' },
      { type: 'done', jobId: 1, outcome: 'delivered', operator: 0 },
      { type: 'close', jobId: 1 },
    ]);
    // A second report for a closed job changes nothing, and says so.
    expect(d.step({ type: 'deliver', jobId: 1, operator: 0 }, 501)).toEqual([
      { type: 'refused', inputId: expect.any(Number), input: 'deliver', reason: 'unknown-job' },
    ]);
  });

  it("nil-proof-market: 0.5% commission from the operator's pay, split 70/30 between two fees", () => {
    const d = booted({ preset: 'nil-proof-market' }, ops(1), { 0: 0.002 });
    const a = of(d.step({ type: 'submit', job: job(1, { maxPrice: 8_000_000 }) }, 1), 'assign')[0]!;
    expect(a.price).toBe(2_000_000); // =nil pays the ask cost
    const out = d.step({ type: 'deliver', jobId: 1, operator: 0 }, 500);
    expect(of(out, 'settle')).toEqual([{ type: 'settle', jobId: 1, operator: 0, amount: 1_990_000, source: 'escrow' }]);
    expect(of(out, 'fee').map((f) => f.amount)).toEqual([7_000, 3_000]);
  });

  it('nil-proof-market: the commission never falls below its floor nor exceeds the price', () => {
    const floor = booted({ preset: 'nil-proof-market', commissionMinUsd: 0.05 }, ops(1), { 0: 0.001 });
    floor.step({ type: 'submit', job: job(1) }, 1);
    const out = floor.step({ type: 'deliver', jobId: 1, operator: 0 }, 2);
    expect(of(out, 'settle')[0]!.amount).toBe(950_000);
    expect(of(out, 'fee').map((f) => f.amount)).toEqual([35_000, 15_000]);
    const tiny = booted({ preset: 'nil-proof-market', commissionMinUsd: 5 }, ops(1), { 0: 0.001 });
    tiny.step({ type: 'submit', job: job(1) }, 1);
    const out2 = tiny.step({ type: 'deliver', jobId: 1, operator: 0 }, 2);
    expect(of(out2, 'settle')).toHaveLength(0);
    expect(of(out2, 'fee').reduce((s, f) => s + f.amount, 0)).toBe(1_000_000);
  });

  it('nil-proof-market: a late proof is delivered but not paid (the escrow goes back to the requester)', () => {
    const d = booted({ preset: 'nil-proof-market' }, ops(1), { 0: 0.002 });
    d.step({ type: 'submit', job: job(1, { deadline: 1000 }) }, 1);
    const out = d.step({ type: 'deliver', jobId: 1, operator: 0 }, 1001);
    expect(out).toEqual([
      { type: 'done', jobId: 1, outcome: 'delivered', operator: 0 },
      { type: 'close', jobId: 1 },
    ]);
  });

  it('nil-proof-market: a deposit X lets an entity hold trades worth at most X / pf at once', () => {
    // One entity owning two nodes, deposit $30 ⇒ $3 of open trades; a $2 trade fits, a second does not.
    const operators = [...ops(2, 1, () => 0), { id: 2, entity: 1, capacity: { cpus: 16, gpus: 1, memoryGb: 64 }, hardware: 'gpu' }];
    const d = booted({ preset: 'nil-proof-market', depositUsd: 30 }, operators, { 0: 0.002, 1: 0.002, 2: 0.003 });
    expect(of(d.step({ type: 'submit', job: job(1) }, 1), 'assign')[0]!.operator).toBe(0);
    expect(of(d.step({ type: 'submit', job: job(2) }, 1), 'assign')[0]!.operator).toBe(2); // node 1 is cheaper but its entity is full
    d.step({ type: 'deliver', jobId: 1, operator: 0 }, 10);
    expect(of(d.step({ type: 'submit', job: job(3) }, 11), 'assign')[0]!.operator).toBe(1); // room again
  });

  it('mina-snarketplace: the lowest fee wins, a zero fee is allowed and nothing is paid for it', () => {
    const d = booted({ preset: 'mina-snarketplace' }, ops(3), { 0: 0.001, 1: 0, 2: 0.0005 });
    const a = of(d.step({ type: 'submit', job: job(1) }, 1), 'assign')[0]!;
    expect(a).toMatchObject({ operator: 1, price: 0 });
    const out = d.step({ type: 'deliver', jobId: 1, operator: 1 }, 100);
    expect(of(out, 'settle')).toHaveLength(0);
    expect(of(out, 'fee')).toHaveLength(0);
    expect(of(out, 'done')[0]!.outcome).toBe('delivered');
  });

  it('mina-snarketplace: a bid that rests pays the fee of the worker that takes it (not its limit)', () => {
    const d = booted({ preset: 'mina-snarketplace' }, ops(1), {});
    d.step({ type: 'submit', job: job(1) }, 1);
    expect(of(d.step({ type: 'ask', operator: 0, pricePerMcycle: 0.0007, expiresAt: 9999 }, 2), 'assign')[0]!.price).toBe(700_000);
  });
});

describe('order book: failures', () => {
  it('a failed attempt puts the bid back in the book; the next ask takes it', () => {
    const d = booted({}, ops(2), { 0: 0.001 });
    d.step({ type: 'submit', job: job(1) }, 1);
    expect(of(d.step({ type: 'fail', jobId: 1, operator: 0 }, 100), 'done')).toHaveLength(0);
    const out = d.step({ type: 'ask', operator: 1, pricePerMcycle: 0.002, expiresAt: 9999 }, 101);
    expect(of(out, 'assign')).toEqual([{ type: 'assign', jobId: 1, operator: 1, price: 10_000_000, role: 'winner', committed: true }]);
  });

  it('a job whose attempts failed and whose deadline passed ends `failed`, not `expired`', () => {
    const d = booted({}, ops(1), { 0: 0.001 });
    d.step({ type: 'submit', job: job(1, { deadline: 1000 }) }, 1);
    d.step({ type: 'fail', jobId: 1, operator: 0 }, 200);
    const out = d.step({ type: 'timer', jobId: 1, tag: BOOK_TAG_DEADLINE }, 1000);
    expect(out).toEqual([
      { type: 'done', jobId: 1, outcome: 'failed', operator: -1 },
      { type: 'close', jobId: 1 },
    ]);
  });

  it('rematchOnFail: false ends the job `failed` at the first failure', () => {
    const d = booted({ rematchOnFail: false }, ops(1), { 0: 0.001 });
    d.step({ type: 'submit', job: job(1) }, 1);
    expect(d.step({ type: 'fail', jobId: 1, operator: 0 }, 200)).toEqual([
      { type: 'done', jobId: 1, outcome: 'failed', operator: -1 },
      { type: 'close', jobId: 1 },
    ]);
  });
});

describe('order book: parameters', () => {
  it('has the nil-proof-market and mina-snarketplace presets', () => {
    expect(Object.keys(orderBookPresets).sort()).toEqual(['mina-snarketplace', 'nil-proof-market']);
    expect(orderBook({ preset: 'nil-proof-market' }).params).toMatchObject({
      commissionShare: 0.005,
      commissionSplit: 0.7,
      penaltyFactor: 10,
      payLate: false,
    });
  });

  it('refuses an unknown preset and out-of-range parameters', () => {
    expect(() => orderBook({ preset: 'nope' })).toThrow(/unknown preset/);
    expect(() => orderBook({ priceRule: 'vwap' as never })).toThrow(/priceRule/);
    expect(() => orderBook({ askTtl: 0 })).toThrow(/askTtl/);
    expect(() => orderBook({ commissionShare: 2 })).toThrow(/commissionShare/);
  });
});

describe('order book: the producer\'s rating (=nil economics.md @499e68f, "Apply proof producer\'s rating to the sorted list")', () => {
  const run = (ratingTieBreak: boolean) => {
    const d = booted({ ratingTieBreak }, ops(2), { 0: 0.001, 1: 0.001 });
    // Node 0's ask is older: it takes job 1, delivers on time, and asks again (a newer ask).
    expect(of(d.step({ type: 'submit', job: job(1) }, 1), 'assign')[0]!.operator).toBe(0);
    d.step({ type: 'deliver', jobId: 1, operator: 0 }, 700);
    d.step({ type: 'available', operator: 0 }, 700);
    return of(d.step({ type: 'submit', job: job(2, { submittedAt: 800, deadline: 4400 }) }, 800), 'assign')[0]!.operator;
  };

  it('among equal asks the better-rated producer is matched first, before time priority', () => {
    // Node 0 has completed 1 of 1 (rating 2/3), node 1 none (1/2), but node 1's ask is older.
    expect(run(true)).toBe(0);
    expect(run(false)).toBe(1);
  });

  it('the nil-proof-market preset orders equal asks by rating', () => {
    expect(orderBook({ preset: 'nil-proof-market' }).params.ratingTieBreak).toBe(true);
  });
});
