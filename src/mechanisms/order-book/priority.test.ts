import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Decision, Input, InputDraft, Job, OperatorInfo, Random } from '../types.js';
import { orderBook } from './index.js';
import { compareLimitPerMcycle } from './priority.js';

/** A job of `mcycles` at `rate` µUSD per Mcycle, its limit rounded to whole µUSD as the demand does. */
const priced = (rate: number, mcycles: number) => ({ maxPrice: Math.round(rate * mcycles), mcycles });

const size = fc.double({ min: 0.001, max: 1e6, noNaN: true });
const rate = fc.double({ min: 1, max: 1e4, noNaN: true });

describe('order-book price priority (compareLimitPerMcycle)', () => {
  it('treats jobs of one rate as equal, whatever their sizes and rounding residues', () => {
    fc.assert(
      fc.property(rate, size, size, (r, a, b) => compareLimitPerMcycle(priced(r, a), priced(r, b)) === 0),
      { numRuns: 2000 },
    );
  });

  it('puts a clearly higher limit per Mcycle first, both ways round', () => {
    fc.assert(
      fc.property(rate, size, size, (r, a, b) => {
        const hi = priced(r * 1.01 + 1, a);
        const lo = priced(r, b);
        // Only when the rounding cannot hide the gap (0.5 µUSD per job over its Mcycles).
        fc.pre(hi.maxPrice / a - 0.5 / a > lo.maxPrice / b + 0.5 / b);
        return compareLimitPerMcycle(hi, lo) > 0 && compareLimitPerMcycle(lo, hi) < 0;
      }),
      { numRuns: 2000 },
    );
  });

  it('is antisymmetric and agrees with the exact rational comparison near the tolerance', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), size, fc.integer({ min: 0, max: 2 ** 40 }), size, (pa, ma, pb, mb) => {
        const a = { maxPrice: pa, mcycles: ma };
        const b = { maxPrice: pb, mcycles: mb };
        expect(compareLimitPerMcycle(a, b)).toBe(-compareLimitPerMcycle(b, a) || 0);
      }),
      { numRuns: 1000 },
    );
    // A tie at exactly the tolerance: |1 x 1 - 0 x 1| = 1 = (1 + 1) / 2.
    expect(compareLimitPerMcycle({ maxPrice: 1, mcycles: 1 }, { maxPrice: 0, mcycles: 1 })).toBe(0);
    expect(compareLimitPerMcycle({ maxPrice: 2, mcycles: 1 }, { maxPrice: 0, mcycles: 1 })).toBe(1);
  });
});

const noRandom: Random = { next: () => 0.5 };
const ops = (n: number): OperatorInfo[] =>
  Array.from({ length: n }, (_, i) => ({ id: i, entity: i, capacity: { cpus: 16, gpus: 1, memoryGb: 64 }, hardware: 'gpu' }));

/**
 * Posts the jobs in order (one second apart) to a book with no asks, then lets one node at a time
 * post a cheap ask: each ask trades with the best bid. Returns the job ids in the order served.
 */
function serviceOrder(jobs: { mcycles: number; maxPrice: number }[]): number[] {
  const m = orderBook({ requireFinish: false });
  const operators = ops(jobs.length);
  const state = m.init(operators);
  const served: number[] = [];
  const prices = new Map<number, number>();
  let nextId = 0;
  // Answers every request-ask at once (an ask where the node has a price, else "no ask"), as the
  // shell does, so a held bid is posted without waiting for askWait.
  const step = (input: InputDraft, now: number) => {
    let queue: InputDraft[] = [input];
    while (queue.length > 0) {
      const next: InputDraft[] = [];
      for (const i of queue) {
        const out: Decision[] = [];
        m.step(state, { ...i, id: nextId++ } as Input, now, noRandom, out);
        for (const d of out) {
          if (d.type === 'request-ask' && prices.has(d.operator))
            next.push({ type: 'ask', operator: d.operator, pricePerMcycle: prices.get(d.operator)!, expiresAt: d.expiresAt });
          else if (d.type === 'request-ask') next.push({ type: 'cancel-ask', operator: d.operator });
          else if (d.type === 'timer' && d.at === now) next.push({ type: 'timer', jobId: d.jobId, tag: d.tag });
          else if (d.type === 'assign') served.push(d.jobId);
        }
      }
      queue = next;
    }
  };
  step({ type: 'available', operator: 0 }, 0);
  jobs.forEach((j, id) => {
    const job: Job = {
      id,
      requester: 0,
      kind: 'zkvm',
      mcycles: j.mcycles,
      request: { cpus: 0, gpus: 1, memoryGb: 16 },
      submittedAt: id + 1,
      deadline: 1e9,
      maxPrice: j.maxPrice,
      redundancy: 1,
      estSeconds: 1,
    };
    step({ type: 'submit', job }, id + 1);
  });
  const t = jobs.length + 10;
  for (let op = 0; op < jobs.length; op++) {
    prices.set(op, 1e-12);
    step({ type: 'available', operator: op }, t + op);
  }
  return served;
}

describe('the order book serves bids of one limit per Mcycle in time order', () => {
  it('for jobs of any size: the earlier bid is always served first (property over sizes and limits)', () => {
    fc.assert(
      fc.property(rate, fc.array(size, { minLength: 2, maxLength: 12 }), (r, sizes) => {
        const order = serviceOrder(sizes.map((mc) => priced(r, mc)));
        expect(order).toEqual(sizes.map((_, i) => i));
      }),
      { numRuns: 300 },
    );
  });
});
