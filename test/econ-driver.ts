/**
 * A small fake exchange for the economics validation (in the spirit of ABIDES's test kernels): it
 * drives an allocation mechanism directly through its factory and `step`, asks strategies for
 * their bids and locks with hand-made quotes, and reads the clearing price off the `assign`
 * decision. Every input the tests send is built here, so a change of the core's input vocabulary
 * touches this file only.
 */
import type { CostPrior, EntityView, MarketView, OperatorStrategy, Quote } from '../src/agents/strategy.js';
import type { Decision, Input, InputDraft, Job, Mechanism, OperatorInfo } from '../src/mechanisms/types.js';
import { reverseDutch } from '../src/mechanisms/reverse-dutch/index.js';
import { sealedBid, TAG_CLOSE } from '../src/mechanisms/sealed-bid/index.js';
import { orderBook } from '../src/mechanisms/order-book/index.js';

/** A deterministic uniform stream (mulberry32). */
export function rng(seed: number): { next(): number } {
  let a = seed >>> 0;
  return {
    next(): number {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

export const operators = (n: number): OperatorInfo[] =>
  Array.from({ length: n }, (_, i) => ({ id: i, entity: i, capacity: { cpus: 16, gpus: 1, memoryGb: 64 }, hardware: 'gpu' }));

/** A 100-Mcycle job with a generous limit (the reserve does not bind) unless overridden. */
export function job(id: number, maxPriceUsd = 10, over: Partial<Job> = {}): Job {
  return {
    id,
    requester: 0,
    kind: 'zkvm',
    mcycles: 100,
    request: { cpus: 0, gpus: 1, memoryGb: 16 },
    submittedAt: 0,
    deadline: 1e9,
    maxPrice: Math.round(maxPriceUsd * 1e6),
    redundancy: 1,
    estSeconds: 100,
    ...over,
  };
}

/** The uniform prior on [lo, hi] over `count` bidders. */
export function uniformPrior(lo: number, hi: number, count: number): CostPrior {
  return { lo, hi, count, cdf: (t) => (t < lo ? 0 : t >= hi ? 1 : (t - lo) / (hi - lo)) };
}

/** A market view whose cost prior is fixed (the auction-theory setting: a common, known F). */
export function fixedView(prior: CostPrior, settlement?: 'first' | 'second'): MarketView {
  return { costPrior: () => prior, mcyclePrior: () => prior, durations: () => new Float64Array(0), settlement };
}

export function entity(id: number, market?: MarketView, margin = 0.2): EntityView {
  return { id, name: `e${id}`, margin, attacker: false, params: {}, share: 0, memory: {}, market };
}

/** A quote for job `j` at cost `c` on an idle node, with `bidders` nodes reached. */
export function quote(j: Job, c: number, bidders: number, now = 0): Quote {
  return { job: j, costUsd: c, durationS: 100, finishAt: now + 100, busy: false, now, bidders };
}

/** One bidder of an auction: its strategy, view and cost for the job. */
export interface Bidder {
  readonly strategy: OperatorStrategy;
  readonly view: EntityView;
  readonly cost: number;
}

/** The outcome of one auction: the winner (index) and the price paid, USD. */
export interface AuctionResult {
  readonly winner: number;
  readonly price: number;
  /** Each bidder's bid (USD; null: abstained). */
  readonly bids: (number | null)[];
}

/** Input ids: one sequence for the whole test process (the core refuses a repeated id within a state). */
let nextInputId = 0;

function step(m: Mechanism, s: unknown, input: InputDraft, now: number, out: Decision[]): void {
  m.step(s as never, { ...input, id: nextInputId++ } as Input, now, rng(1), out);
}

function init(m: Mechanism, n: number): unknown {
  return m.init(operators(n), [], 0);
}

function assigned(out: Decision[]): Extract<Decision, { type: 'assign' }> | undefined {
  return out.find((d): d is Extract<Decision, { type: 'assign' }> => d.type === 'assign');
}

/** A sealed-bid auction (first or second price) of one job among `bidders`. */
export function sealedBidAuction(settlement: 'first' | 'second', j: Job, bidders: readonly Bidder[], u: () => number): AuctionResult {
  const m = sealedBid({ auctionPeriod: 10, settlement, maxConcurrent: 0 });
  const s = init(m, bidders.length);
  const out: Decision[] = [];
  step(m, s, { type: 'submit', job: j }, 0, out);
  const bids = bidders.map((b, i) => {
    const x = b.strategy.bid(quote(j, b.cost, bidders.length), b.view, u());
    if (x !== null) step(m, s, { type: 'bid', jobId: j.id, operator: i, price: Math.max(0, Math.round(x * 1e6)) }, 1, out);
    return x;
  });
  out.length = 0;
  step(m, s, { type: 'timer', jobId: j.id, tag: TAG_CLOSE }, 10, out);
  const a = assigned(out);
  return { winner: a ? a.operator : -1, price: a ? a.price / 1e6 : NaN, bids };
}

/**
 * A reverse Dutch auction of one job (Boundless): the price ramps from 0 to the limit over
 * `rampS` seconds; each bidder locks at the first second the ramp reaches its lock price (as the
 * market shell's responder does); the earliest lock wins at the ramp's price then.
 */
export function reverseDutchAuction(j: Job, bidders: readonly Bidder[], u: () => number, rampS = 10_000): AuctionResult {
  const m = reverseDutch({
    minPriceShare: 0,
    collateralMultiple: 0,
    timeouts: 'sdk',
    rampUpBase: rampS,
    rampUpPerMcycle: 0,
    rampUpMax: 1e12,
    rampUpDelay: 0,
    lockTimeoutBase: rampS * 2,
    lockTimeoutPerMcycle: 0,
    lockTimeoutMax: 1e12,
    timeoutMultiple: 2,
    lockDelay: 0,
    resolicit: 0,
  });
  const s = init(m, bidders.length);
  const out: Decision[] = [];
  step(m, s, { type: 'submit', job: j }, 0, out);
  const sol = out.find((d): d is Extract<Decision, { type: 'solicit' }> => d.type === 'solicit');
  if (!sol?.ramp) throw new Error('reverse Dutch: expected a solicitation with a ramp');
  const r = sol.ramp;
  const bids = bidders.map((b) => b.strategy.lockPrice(quote(j, b.cost, bidders.length), b.view, u()));
  const times = bids.map((p) => {
    if (p === null) return Infinity;
    const want = Math.round(p * 1e6);
    if (want <= r.from) return r.start;
    if (want > r.to) return Infinity;
    return r.start + Math.ceil(((want - r.from) * (r.end - r.start)) / (r.to - r.from));
  });
  const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
  out.length = 0;
  for (const i of order) {
    if (!Number.isFinite(times[i]!)) break;
    step(m, s, { type: 'lock', jobId: j.id, operator: i }, times[i]!, out);
    const a = assigned(out);
    if (a) return { winner: a.operator, price: a.price / 1e6, bids };
  }
  return { winner: -1, price: NaN, bids };
}

/** Order book of one period: the mechanism, its state and the decisions of the last step. */
export function orderBookExchange(n: number): { step(input: InputDraft, now: number): Decision[] } {
  const m = orderBook({});
  const s = init(m, n);
  return {
    step(input: InputDraft, now: number): Decision[] {
      const out: Decision[] = [];
      step(m, s, input, now, out);
      return out;
    },
  };
}
