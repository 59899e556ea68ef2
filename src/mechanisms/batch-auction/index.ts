import { resolveParams } from '../resolve-params.js';
import type { Decision, Handlers, Job, Mechanism, Micros, OperatorInfo, ProtocolState, Resources, Seconds } from '../types.js';
import { defineMechanism, fits, seenIds } from '../types.js';
import { mcafee, type Order } from './mcafee.js';
import { gangOffers } from './gang.js';
import { canEverFit } from '../gang.js';
import { batchAuctionDefaults, batchAuctionPresets, type BatchAuctionParams } from './params.js';

export { batchAuctionDefaults, batchAuctionPresets, type BatchAuctionParams } from './params.js';
export { mcafee, type McAfeeResult, type Order } from './mcafee.js';

/** Timer tags. The batch clock rides on the id of a pending job (any: the tag says what it is). */
export const BATCH_TAG_CLEAR = 1;
export const BATCH_TAG_DEADLINE = 2;

interface BaJob {
  readonly job: Job;
  failures: number;
  /** The node proving it, -1 while pending. */
  node: number;
  done: boolean;
  /** What the requester pays on delivery, and what of it the prover receives (the rest is the auctioneer's surplus). */
  buyerPay: Micros;
  sellerPay: Micros;
}

/** The mechanism-owned state of the batch auction. */
export interface BatchAuctionState extends ProtocolState {
  jobs: Map<number, BaJob>;
  /** Jobs waiting for a clearing, in submission order. */
  pending: BaJob[];
  /** Per node: capacity (undefined: unknown node), active, free, sealed ask (µUSD per Mcycle, -1: none) and its expiry. */
  capacity: (Resources | undefined)[];
  active: boolean[];
  free: boolean[];
  ask: number[];
  askUntil: number[];
  /** A `request-ask` is outstanding for the node. */
  asked: boolean[];
  /** Per node: its owning entity (an offer for a gang job covers N nodes of one entity). */
  entity: number[];
  /** Per node: how many open jobs it proves (as the lead): a node that holds one is not freed by `available`. */
  holding: number[];
  /** Time of the next clearing, -1: none scheduled. */
  clearAt: number;
}

/** One batch's clearing, for tests and reports: the trades and the auctioneer's surplus. */
export interface BatchTrade {
  readonly jobId: number;
  readonly operator: number;
  readonly buyerPay: Micros;
  readonly sellerPay: Micros;
}

/** The order in which request profiles are cleared: the most demanding first (they fit the fewest nodes). */
function demanding(a: Resources, b: Resources): number {
  return b.gpus - a.gpus || b.memoryGb - a.memoryGb || b.cpus - a.cpus;
}

const profileKey = (r: Resources): string => `${r.gpus}/${r.memoryGb}/${r.cpus}`;

/**
 * The periodic batch double auction (mechanism id `batch-auction`), in the spirit of Lagrange's DARA
 * (docs.lagrange.dev/prover-network/dara; eprint 2024/1750): every `period` seconds the jobs
 * submitted since the last clearing (bids: the requester's price limit per Mcycle) are cleared
 * against the sealed asks of the free nodes (price per Mcycle) by McAfee's trade reduction, per
 * request profile (most demanding first; a node trades at most once per batch). All or nothing
 * per job: a job trades whole on one node or waits for the next batch (until its deadline). The
 * buyer pays the buyer price × its Mcycles and the seller receives the seller price × those
 * Mcycles: the gap goes to the treasury, so every batch is weakly budget-balanced. Trading buyers
 * and sellers are paired by id, not by price, so a seller's ask cannot buy it a larger job.
 */
export function batchAuction(params: Partial<BatchAuctionParams> & { preset?: string } = {}): Mechanism<BatchAuctionState> {
  const p = batchAuctionParams(params);
  const preset = params.preset;
  const { end, register, schedule, clearBatch, freeNode } = batchAuctionRules(p);

  const handlers: Handlers<BatchAuctionState> = {
    submit: (s, input, now, _r, out) => {
      const job = input.job;
      const rec: BaJob = { job, failures: 0, node: -1, done: false, buyerPay: 0, sellerPay: 0 };
      const caps = job.gang === undefined ? undefined : s.capacity.filter((c): c is Resources => c !== undefined);
      if (caps ? !canEverFit(caps, job) : !s.capacity.some((c) => c !== undefined && fits(c, job.request))) {
        end(s, rec, 'rejected', -1, out);
        return;
      }
      s.jobs.set(job.id, rec);
      s.pending.push(rec);
      out.push({ type: 'timer', jobId: job.id, at: Math.max(now, job.deadline), tag: BATCH_TAG_DEADLINE });
      schedule(s, now, out);
    },
    ask: (s, input) => {
      if (s.capacity[input.operator] === undefined) return 'not-assigned';
      s.asked[input.operator] = false;
      if (!(input.pricePerMcycle >= 0)) return 'invalid';
      s.ask[input.operator] = input.pricePerMcycle * 1e6;
      s.askUntil[input.operator] = input.expiresAt;
      return undefined;
    },
    'cancel-ask': (s, input) => {
      if (s.capacity[input.operator] === undefined) return 'not-assigned';
      s.asked[input.operator] = false;
      s.ask[input.operator] = -1;
      return undefined;
    },
    deliver: (s, input, now, _r, out) => {
      const rec = s.jobs.get(input.jobId);
      if (!rec) return 'unknown-job';
      if (rec.node !== input.operator) return 'not-assigned';
      if (rec.sellerPay > 0)
        out.push({ type: 'settle', jobId: rec.job.id, operator: input.operator, amount: rec.sellerPay, source: 'escrow' });
      if (rec.buyerPay > rec.sellerPay) out.push({ type: 'fee', jobId: rec.job.id, amount: rec.buyerPay - rec.sellerPay });
      end(s, rec, 'delivered', input.operator, out);
      freeNode(s, input.operator, now, out);
      return undefined;
    },
    fail: (s, input, now, _r, out) => {
      const rec = s.jobs.get(input.jobId);
      if (!rec) return 'unknown-job';
      if (rec.node !== input.operator) return 'not-assigned';
      s.holding[rec.node]!--;
      rec.node = -1;
      rec.failures++;
      freeNode(s, input.operator, now, out);
      if (rec.failures > p.retries || now >= rec.job.deadline) end(s, rec, 'failed', -1, out);
      else {
        // All or nothing: the whole job goes back to the next batch.
        s.pending.push(rec);
        schedule(s, now, out);
      }
      return undefined;
    },
    available: (s, input, now, _r, out) => {
      const op = input.operator;
      if (s.capacity[op] === undefined || !s.active[op]) return;
      if (s.holding[op]! > 0) return; // still holds a job
      freeNode(s, op, now, out);
    },
    join: (s, input, now, _r, out) => register(s, input.operator, now, out),
    leave: (s, input) => {
      s.active[input.operator] = false;
    },
    timer: (s, input, now, _r, out) => {
      if (input.tag === BATCH_TAG_CLEAR) {
        if (s.clearAt < 0 || now < s.clearAt) return; // stale
        s.clearAt = -1;
        clearBatch(s, now, out);
        schedule(s, now, out);
        return;
      }
      const rec = s.jobs.get(input.jobId);
      if (!rec || rec.done || input.tag !== BATCH_TAG_DEADLINE || rec.node >= 0) return;
      // Still pending at its deadline: expired (work in progress finishes and is paid).
      s.pending = s.pending.filter((r) => r !== rec);
      end(s, rec, 'expired', -1, out);
    },
  };

  return defineMechanism<BatchAuctionState>({
    type: 'batch-auction',
    params: { ...p, ...(preset ? { preset } : {}) },
    init(operators: readonly OperatorInfo[], out: Decision[], now: Seconds): BatchAuctionState {
      const s: BatchAuctionState = {
        seen: seenIds(),
        jobs: new Map(),
        pending: [],
        capacity: [],
        active: [],
        free: [],
        ask: [],
        askUntil: [],
        asked: [],
        entity: [],
        holding: [],
        clearAt: -1,
      };
      for (const o of operators) register(s, o, now, out);
      return s;
    },
    handlers,
  });
}

/** Resolves the batch auction's parameters (defaults, preset, overrides) and refuses out-of-range ones. */
function batchAuctionParams(params: Partial<BatchAuctionParams> & { preset?: string }): BatchAuctionParams {
  const p: BatchAuctionParams = resolveParams('batch-auction', batchAuctionDefaults, batchAuctionPresets, params);
  if (!(Number.isInteger(p.period) && p.period >= 1)) throw new RangeError('batch-auction: period must be whole seconds ≥ 1');
  if (!(p.askTtl > 0)) throw new RangeError('batch-auction: askTtl must be > 0 seconds');
  if (!(Number.isInteger(p.retries) && p.retries >= 0)) throw new RangeError('batch-auction: retries must be an integer ≥ 0');
  return p;
}

/** The batch auction's rules: registration, standing asks, the periodic McAfee clearing and freed nodes. */
function batchAuctionRules(p: BatchAuctionParams) {
  function end(
    s: BatchAuctionState,
    rec: BaJob,
    outcome: 'delivered' | 'failed' | 'expired' | 'rejected',
    op: number,
    out: Decision[],
  ): void {
    rec.done = true;
    if (s.jobs.delete(rec.job.id) && rec.node >= 0) s.holding[rec.node]!--;
    out.push({ type: 'done', jobId: rec.job.id, outcome, operator: op });
    out.push({ type: 'close', jobId: rec.job.id });
  }

  function register(s: BatchAuctionState, o: OperatorInfo, now: Seconds, out: Decision[]): void {
    s.capacity[o.id] = o.capacity;
    s.active[o.id] = true;
    s.free[o.id] = true;
    s.ask[o.id] = -1;
    s.askUntil[o.id] = -1;
    s.asked[o.id] = false;
    s.entity[o.id] = o.entity;
    // A node that joins again may still be proving a job it won before it left.
    s.holding[o.id] ??= 0;
    requestAsk(s, o.id, now, out);
  }

  /** Asks a free node for its sealed ask unless it has a standing one or was already asked. */
  function requestAsk(s: BatchAuctionState, op: number, now: Seconds, out: Decision[]): void {
    if (!s.active[op] || s.asked[op] || (s.ask[op]! >= 0 && s.askUntil[op]! > now)) return;
    s.asked[op] = true;
    out.push({ type: 'request-ask', operator: op, expiresAt: now + p.askTtl });
  }

  function schedule(s: BatchAuctionState, now: Seconds, out: Decision[]): void {
    if (s.clearAt >= 0 || s.pending.length === 0) return;
    s.clearAt = (Math.floor(now / p.period) + 1) * p.period;
    out.push({ type: 'timer', jobId: s.pending[0]!.job.id, at: s.clearAt, tag: BATCH_TAG_CLEAR });
  }

  /** Clears the pending batch; returns the trades. */
  function clearBatch(s: BatchAuctionState, now: Seconds, out: Decision[]): BatchTrade[] {
    const sellers: number[] = [];
    for (let op = 0; op < s.capacity.length; op++) {
      if (!s.active[op] || !s.free[op]) continue;
      if (s.ask[op]! >= 0 && s.askUntil[op]! >= now) sellers.push(op);
      else requestAsk(s, op, now, out); // lapsed: asked now, trades from the next batch
    }
    const used = new Set<number>();
    const traded = new Set<BaJob>();
    const trades: BatchTrade[] = [];
    const groups = new Map<string, BaJob[]>();
    for (const rec of s.pending) {
      // Gang jobs of one size clear among themselves, against offers of N nodes (`gang.ts`).
      const k = rec.job.gang === undefined ? profileKey(rec.job.request) : `${profileKey(rec.job.request)}x${rec.job.gang}`;
      const g = groups.get(k);
      if (g) g.push(rec);
      else groups.set(k, [rec]);
    }
    const ordered = [...groups.values()].sort((a, b) => demanding(a[0]!.job.request, b[0]!.job.request));
    for (const group of ordered) {
      const req = group[0]!.job.request;
      const bids: Order[] = group.map((r) => ({ id: r.job.id, price: r.job.maxPrice / r.job.mcycles }));
      const gang = group[0]!.job.gang;
      const avail = sellers.filter((op) => !used.has(op) && fits(s.capacity[op]!, req));
      const offers = gang !== undefined ? gangOffers(avail, s.entity, s.ask, gang) : undefined;
      const asks: Order[] = offers ? offers.orders : avail.map((op) => ({ id: op, price: s.ask[op]! }));
      const c = mcafee(bids, asks);
      const buyers = [...c.buyers].sort((a, b) => a - b);
      const nodes = [...c.sellers].sort((a, b) => a - b);
      for (let i = 0; i < buyers.length; i++) {
        const rec = s.jobs.get(buyers[i]!)!;
        const op = nodes[i]!;
        const buyerPay = Math.min(rec.job.maxPrice, Math.floor(c.buyerPrice * rec.job.mcycles));
        const sellerPay = Math.min(buyerPay, Math.floor(c.sellerPrice * rec.job.mcycles));
        rec.node = op;
        s.holding[op]!++;
        rec.buyerPay = buyerPay;
        rec.sellerPay = sellerPay;
        traded.add(rec);
        trades.push({ jobId: rec.job.id, operator: op, buyerPay, sellerPay });
        const members = offers?.members.get(op);
        for (const m of members ?? [op]) {
          used.add(m);
          s.free[m] = false;
        }
        if (members)
          out.push({ type: 'assign', jobId: rec.job.id, operator: op, price: sellerPay, role: 'winner', committed: true, members });
        else out.push({ type: 'assign', jobId: rec.job.id, operator: op, price: sellerPay, role: 'winner', committed: true });
      }
    }
    s.pending = s.pending.filter((r) => !traded.has(r));
    return trades;
  }

  function freeNode(s: BatchAuctionState, op: number, now: Seconds, out: Decision[]): void {
    s.free[op] = true;
    requestAsk(s, op, now, out);
  }

  return { end, register, schedule, clearBatch, freeNode };
}
