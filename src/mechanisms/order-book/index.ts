import { DenseTable } from '../dense-table.js';
import { resolveParams } from '../resolve-params.js';
import type {
  Decision,
  Handlers,
  Job,
  Mechanism,
  Micros,
  OperatorInfo,
  ProtocolState,
  RefusalReason,
  Resources,
  Seconds,
} from '../types.js';
import { defineMechanism, fits, seenIds, toMicros } from '../types.js';
import { type Ask, AskBook, askFirst } from './ask-book.js';
import { Heap } from './heap.js';
import { entityFieldsGang, gangFielding } from './gang.js';
import { orderBookDefaults, orderBookPresets, type OrderBookParams } from './params.js';
import { compareLimitPerMcycle } from './priority.js';

export { orderBookDefaults, orderBookPresets, type OrderBookParams } from './params.js';

/** Timer tag: the bid's deadline (an unmatched bid expires: a liveness failure). */
export const BOOK_TAG_DEADLINE = 1;
/**
 * Timer tag: post a held bid. A bid is held (kept out of the book) while asks it should see are on
 * their way: when matching found expired asks and asked their nodes again. It is posted when every
 * node asked has answered (an `ask`, or a `cancel-ask`: "no ask"), or `askWait` seconds later,
 * whichever comes first; asks that arrive later still meet it in the book. (The opening asks are
 * asked for in `init`, before any bid.)
 */
export const BOOK_TAG_POST = 2;

/** Longest run of live-but-unusable orders (entity over its deposit cap) skipped per side and group. */
const MAX_SKIP = 256;

const HELD = 0;
const RESTING = 1;
const MATCHED = 2;
const ENDED = 3;

/** A bid = a job. */
interface Bid {
  job: Job;
  /** Price limit per Mcycle (priority key). */
  limit: number;
  group: number;
  status: number;
  /** Time priority of the bid's current stay in the book. */
  seq: number;
  /** While held: when the hold ends at the latest, and how many asked nodes have not answered. */
  holdUntil: Seconds;
  awaiting: number;
  op: number;
  price: Micros;
  attempts: number;
}

/** One entry of a bid heap: a snapshot of the bid's priority when it entered the book. */
interface BidEntry {
  readonly bid: Bid;
  readonly limit: number;
  readonly seq: number;
}

/** The mechanism-owned state of the order book. */
export interface OrderBookState extends ProtocolState {
  info: (OperatorInfo | undefined)[];
  active: boolean[];
  busy: boolean[];
  /** Node id → its live ask (undefined: none). */
  ask: (Ask | undefined)[];
  /** Capacity profile of each node. */
  opProfile: number[];
  profiles: Resources[];
  profileKeys: Map<string, number>;
  /** Capacity profile → its standing asks, by price level (`ask-book.ts`). */
  askBooks: AskBook[];
  /** Request profiles of bids. */
  groups: Resources[];
  groupKeys: Map<string, number>;
  bidHeaps: Heap<BidEntry>[];
  /** Bid group → ask profiles that can serve it; ask profile → bid groups it can serve. */
  groupProfiles: number[][];
  profileGroups: number[][];
  /** Job id → its bid while open (a dense table: a Map's set and delete per job promote its tables). */
  bids: DenseTable<Bid>;
  /** Entity → value of its open (matched, unfinished) trades, micro-USD. */
  load: number[];
  seq: number;
  /** Node id → held bids (job ids) waiting for its answer to a `request-ask`. */
  waiters: (number[] | undefined)[];
  scratchAsks: Ask[];
  scratchBids: BidEntry[];
  /** Entity → trades completed on time, and trades matched (for the producer's rating). */
  completed: number[];
  matched: number[];
}

/**
 * A producer's rating: its share of matched trades completed on time, with one prior success and
 * one prior failure (Laplace), so a newcomer starts at 0.5. =nil: the rating "depends on the rate of
 * completed orders"; its formula is not published.
 */
export function rating(completed: number, matched: number): number {
  return (completed + 1) / (matched + 2);
}
// Price priority by exact comparison (priority.ts): equal limits per Mcycle fall back to time priority.
const bidFirst = (a: BidEntry, b: BidEntry): boolean => {
  const c = compareLimitPerMcycle(a.bid.job, b.bid.job);
  return c > 0 || (c === 0 && a.seq < b.seq);
};
const key = (r: Resources): string => `${r.cpus}/${r.gpus}/${r.memoryGb}`;
/** The first few profiles (or groups) are found by comparing fields: no key string per node or job. */
const SCANNED = 8;
function scan(list: readonly Resources[], r: Resources): number {
  const n = Math.min(list.length, SCANNED);
  for (let i = 0; i < n; i++) {
    const x = list[i]!;
    if (x.cpus === r.cpus && x.gpus === r.gpus && x.memoryGb === r.memoryGb) return i;
  }
  return -1;
}

/**
 * The continuous double auction (mechanism id `order-book`): requesters' bids are jobs (limit =
 * `maxPrice`, until the deadline); operators post standing asks (price per Mcycle) whenever a node
 * is free. A match needs ask × Mcycles ≤ bid, a node that meets the job's request, a finish before
 * the deadline (estimated) and room under the operator's deposit; matching is price-time priority
 * on both sides and the trade price rule is a parameter. Rules and sources: docs/mechanisms/order-book.md.
 */
export function orderBook(params: Partial<OrderBookParams> & { preset?: string } = {}): Mechanism<OrderBookState> {
  const p: OrderBookParams = resolveParams('order-book', orderBookDefaults, orderBookPresets, params);
  const preset = params.preset;
  if (!['resting', 'midpoint', 'bid', 'ask'].includes(p.priceRule))
    throw new Error(`order-book: priceRule must be resting, midpoint, bid or ask, got "${String(p.priceRule)}"`);
  if (!(p.askTtl > 0)) throw new Error(`order-book: askTtl must be > 0 seconds, got ${p.askTtl}`);
  if (!(p.finishFactor >= 0)) throw new Error(`order-book: finishFactor must be ≥ 0, got ${p.finishFactor}`);
  for (const k of ['commissionShare', 'commissionSplit'] as const) {
    if (!(p[k] >= 0 && p[k] <= 1)) throw new Error(`order-book: ${k} must be in [0, 1], got ${p[k]}`);
  }
  if (!(p.commissionMinUsd >= 0) || !(p.depositUsd >= 0)) throw new Error('order-book: commissionMinUsd and depositUsd must be ≥ 0');
  if (!(p.askWait > 0)) throw new Error(`order-book: askWait must be > 0 seconds, got ${p.askWait}`);
  if (!(p.penaltyFactor > 0)) throw new Error(`order-book: penaltyFactor must be > 0, got ${p.penaltyFactor}`);
  // Each part builds on the ones before it: the book's structure, its matching (bids, then asks), then the job lifecycle.
  const structure = bookStructure(p);
  const matching = bookMatching(p, structure);
  const parts = { ...structure, ...matching };
  const { addNode } = structure;
  const { requestAsk, endBid, answered, postBid } = matching;
  const { postAsk } = bookAskSide(parts);
  const { seed, onSubmit, onDeliver, onFail, matchedTo } = bookLifecycle(p, parts);

  const handlers: Handlers<OrderBookState> = {
    submit: (s, input, now, _r, out) => onSubmit(s, input.job, now, out),
    ask: (s, input, now, _r, out) => {
      const op = input.operator;
      const info = s.info[op];
      let why: RefusalReason | undefined;
      if (!info || !s.active[op])
        why = 'invalid'; // not a node of the network (or gone)
      else if (s.busy[op]) why = 'taken';
      else if (!(input.expiresAt > now)) why = 'late';
      else {
        // A new ask from the same node replaces its old one (which loses its place in time).
        s.ask[op] = undefined;
        const r = p.ratingTieBreak ? rating(s.completed[info.entity] ?? 0, s.matched[info.entity] ?? 0) : 0;
        // Each field is created with the representation it keeps: V8 otherwise changed `op` and `expiresAt`
        // from small integer to double mid-run and migrated every standing ask (and bid) to a new map
        // (4,512 migrations at 10,000 operators). `op | 0`: a node id (it has `info`) may arrive as a double
        // (payloads are a Float64Array); the expiry is created holding a fraction, then set (times turn fractional).
        const ask = {
          op: op | 0,
          entity: info.entity,
          profile: s.opProfile[op]!,
          price: Math.max(0, input.pricePerMcycle),
          expiresAt: 0.5,
          seq: s.seq++,
          rating: r,
        };
        ask.expiresAt = input.expiresAt;
        postAsk(s, ask, now, out);
      }
      answered(s, op, now, out);
      return why;
    },
    'cancel-ask': (s, input, now, _r, out) => {
      s.ask[input.operator] = undefined;
      answered(s, input.operator, now, out);
    },
    available: (s, input, now, _r, out) => {
      if (s.info[input.operator] && s.active[input.operator] && !s.busy[input.operator]) requestAsk(s, input.operator, now, out);
    },
    join: (s, input, now, _r, out) => {
      addNode(s, input.operator);
      requestAsk(s, input.operator.id, now, out);
    },
    leave: (s, input) => {
      s.active[input.operator] = false;
      s.ask[input.operator] = undefined;
    },
    deliver: (s, input, now, _r, out) => {
      const bid = matchedTo(s, input.jobId, input.operator);
      if (typeof bid === 'string') return bid;
      onDeliver(s, bid, now, out);
    },
    fail: (s, input, now, _r, out) => {
      const bid = matchedTo(s, input.jobId, input.operator);
      if (typeof bid === 'string') return bid;
      onFail(s, bid, now, out);
    },
    timer: (s, input, now, _r, out) => {
      const bid = s.bids.get(input.jobId);
      if (!bid) return;
      if (input.tag === BOOK_TAG_POST) {
        if (bid.status === HELD && now >= bid.holdUntil) postBid(s, bid, now, out);
      } else if (input.tag === BOOK_TAG_DEADLINE) {
        if (bid.status === RESTING || bid.status === HELD) endBid(s, bid, 'expired', out);
      }
    },
  };

  return defineMechanism<OrderBookState>({
    type: 'order-book',
    params: { ...p, ...(preset ? { preset } : {}) },
    init(operators: readonly OperatorInfo[], out: Decision[], now: Seconds): OrderBookState {
      const s: OrderBookState = {
        seen: seenIds(),
        info: [],
        active: [],
        busy: [],
        ask: [],
        opProfile: [],
        profiles: [],
        profileKeys: new Map(),
        askBooks: [],
        groups: [],
        groupKeys: new Map(),
        bidHeaps: [],
        groupProfiles: [],
        profileGroups: [],
        bids: new DenseTable<Bid>(),
        load: [],
        seq: 0,
        waiters: [],
        scratchAsks: [],
        scratchBids: [],
        completed: [],
        matched: [],
      };
      // Indexed (10,000 nodes at set-up): an array iterator's steps allocate while the loop runs unoptimized.
      for (let i = 0; i < operators.length; i++) addNode(s, operators[i]!);
      seed(s, now, out);
      return s;
    },
    handlers,
  });
}

/** Order-book rules, part 1: capacity profiles and bid groups, prices, feasibility and deposit room. */
function bookStructure(p: OrderBookParams) {
  const cap: Micros = p.depositUsd > 0 ? Math.floor(toMicros(p.depositUsd) / p.penaltyFactor) : Infinity;
  const minCommission = toMicros(p.commissionMinUsd);
  const charges = p.commissionShare > 0 || minCommission > 0;

  // ---- structure ---------------------------------------------------------------------------

  function profileOf(s: OrderBookState, r: Resources): number {
    const hit = scan(s.profiles, r);
    if (hit >= 0) return hit;
    const k = key(r);
    let i = s.profileKeys.get(k);
    if (i !== undefined) return i;
    i = s.profiles.length;
    s.profileKeys.set(k, i);
    s.profiles.push(r);
    s.askBooks.push(new AskBook());
    const groups: number[] = [];
    for (let g = 0; g < s.groups.length; g++) {
      if (fits(r, s.groups[g]!)) {
        groups.push(g);
        s.groupProfiles[g]!.push(i);
      }
    }
    s.profileGroups.push(groups);
    return i;
  }

  function groupOf(s: OrderBookState, r: Resources): number {
    const hit = scan(s.groups, r);
    if (hit >= 0) return hit;
    const k = key(r);
    let g = s.groupKeys.get(k);
    if (g !== undefined) return g;
    g = s.groups.length;
    s.groupKeys.set(k, g);
    s.groups.push(r);
    s.bidHeaps.push(new Heap(bidFirst));
    const profiles: number[] = [];
    for (let i = 0; i < s.profiles.length; i++) {
      if (fits(s.profiles[i]!, r)) {
        profiles.push(i);
        s.profileGroups[i]!.push(g);
      }
    }
    s.groupProfiles.push(profiles);
    return g;
  }

  function addNode(s: OrderBookState, o: OperatorInfo): void {
    s.info[o.id] = o;
    s.active[o.id] = true;
    s.busy[o.id] = false;
    s.ask[o.id] = undefined;
    s.opProfile[o.id] = profileOf(s, o.capacity);
    if (s.load[o.entity] === undefined) s.load[o.entity] = 0;
  }

  // ---- prices ------------------------------------------------------------------------------

  /** The commission on a trade: max(floor, share × price), never more than the price itself. */
  const commissionOf = (price: Micros): Micros => Math.min(price, Math.max(minCommission, Math.floor(price * p.commissionShare)));

  const askTotal = (a: Ask, job: Job): Micros => Math.round(a.price * job.mcycles * 1e6);

  function tradePrice(bid: Bid, askValue: Micros, incomingBid: boolean): Micros {
    const bidValue = bid.job.maxPrice;
    switch (p.priceRule) {
      case 'bid':
        return bidValue;
      case 'ask':
        return askValue;
      case 'midpoint':
        return Math.floor((bidValue + askValue) / 2);
      default:
        return incomingBid ? askValue : bidValue;
    }
  }

  const feasible = (job: Job, now: Seconds): boolean => !p.requireFinish || now + p.finishFactor * job.estSeconds <= job.deadline;
  const room = (s: OrderBookState, entity: number, price: Micros): boolean => cap === Infinity || s.load[entity]! + price <= cap;

  /** Is this ask still the node's live ask, on a free active node? (Expiry is checked apart.) */
  const askLive = (s: OrderBookState, a: Ask): boolean => s.ask[a.op] === a && s.active[a.op] === true && !s.busy[a.op];
  const bidLive = (e: BidEntry): boolean => e.bid.status === RESTING && e.bid.seq === e.seq;

  // ---- decisions ---------------------------------------------------------------------------

  return { cap, minCommission, charges, profileOf, groupOf, addNode, commissionOf, askTotal, tradePrice, feasible, room, askLive, bidLive };
}

/** Order-book rules, part 2: ask requests, holds, trades and price-time matching of incoming bids. */
function bookMatching(p: OrderBookParams, prior: ReturnType<typeof bookStructure>) {
  const { askTotal, tradePrice, feasible, room, askLive } = prior;
  function requestAsk(_s: OrderBookState, op: number, now: Seconds, out: Decision[]): void {
    out.push({ type: 'request-ask', operator: op, expiresAt: now + p.askTtl });
  }

  function endBid(s: OrderBookState, bid: Bid, outcome: 'expired' | 'failed' | 'rejected', out: Decision[]): void {
    bid.status = ENDED;
    s.bids.delete(bid.job.id);
    out.push({ type: 'done', jobId: bid.job.id, outcome: outcome === 'expired' && bid.attempts > 0 ? 'failed' : outcome, operator: -1 });
    out.push({ type: 'close', jobId: bid.job.id });
  }

  function trade(s: OrderBookState, bid: Bid, a: Ask, price: Micros, out: Decision[]): void {
    s.ask[a.op] = undefined;
    s.busy[a.op] = true;
    s.load[a.entity]! += price;
    bid.status = MATCHED;
    bid.op = a.op;
    bid.price = price;
    bid.attempts++;
    out.push({ type: 'assign', jobId: bid.job.id, operator: a.op, price, role: 'winner', committed: true });
  }

  /** Puts a bid in the book (resting, with fresh time priority). */
  function restBid(s: OrderBookState, bid: Bid): void {
    bid.status = RESTING;
    bid.seq = s.seq++;
    s.bidHeaps[bid.group]!.push({ bid, limit: bid.limit, seq: bid.seq });
  }

  /** A node answered a `request-ask`: held bids that waited only for it are posted now. */
  function answered(s: OrderBookState, op: number, now: Seconds, out: Decision[]): void {
    const w = s.waiters[op];
    if (w === undefined) return;
    s.waiters[op] = undefined;
    for (let i = 0; i < w.length; i++) {
      const bid = s.bids.get(w[i]!);
      if (bid !== undefined && bid.status === HELD && --bid.awaiting === 0) postBid(s, bid, now, out);
    }
  }

  function hold(bid: Bid, now: Seconds, out: Decision[]): void {
    bid.status = HELD;
    bid.holdUntil = now + p.askWait;
    out.push({ type: 'timer', jobId: bid.job.id, at: bid.holdUntil, tag: BOOK_TAG_POST });
  }

  /** An incoming bid: trade with the best ask it can use, or rest. */
  function postBid(s: OrderBookState, bid: Bid, now: Seconds, out: Decision[]): void {
    const job = bid.job;
    if (!feasible(job, now)) {
      endBid(s, bid, 'expired', out);
      return;
    }
    let best: Ask | undefined;
    let bestPrice = 0;
    let refreshed = false;
    const skipped = s.scratchAsks;
    skipped.length = 0;
    const fields = gangFielding(s.info, s.active, s.busy, job);
    const profiles = s.groupProfiles[bid.group]!;
    for (let k = 0; k < profiles.length; k++) {
      const heap = s.askBooks[profiles[k]!]!;
      let skips = 0;
      while (heap.size > 0) {
        const a = heap.peek()!;
        if (!askLive(s, a)) {
          heap.pop();
          continue;
        }
        if (a.expiresAt <= now) {
          // An expired ask leaves the book; its idle node is asked for a fresh one.
          heap.pop();
          s.ask[a.op] = undefined;
          requestAsk(s, a.op, now, out);
          const w = s.waiters[a.op];
          if (w === undefined) s.waiters[a.op] = [job.id];
          else w.push(job.id);
          bid.awaiting++;
          refreshed = true;
          continue;
        }
        if (best !== undefined && !askFirst(a, best)) break;
        const value = askTotal(a, job);
        if (value > job.maxPrice) break; // every later ask in this heap costs at least as much
        const price = tradePrice(bid, value, true);
        // A gang job skips asks whose entity cannot field it (`gang.ts`), without a skip limit.
        const unfit = job.gang !== undefined && !fields(a.entity);
        if (unfit || !room(s, a.entity, price)) {
          if (!unfit && ++skips > MAX_SKIP) break;
          skipped.push(heap.pop()!);
          continue;
        }
        best = a;
        bestPrice = price;
        break;
      }
    }
    for (let i = skipped.length - 1; i >= 0; i--) s.askBooks[skipped[i]!.profile]!.push(skipped[i]!); // last first: to its level's front
    if (refreshed) hold(bid, now, out);
    else if (best !== undefined) trade(s, bid, best, bestPrice, out);
    else restBid(s, bid);
  }

  return { requestAsk, endBid, trade, restBid, answered, hold, postBid };
}

/** Order-book rules, part 2b: an incoming ask trades with the best bid it can serve, or rests. */
function bookAskSide(prior: ReturnType<typeof bookStructure> & ReturnType<typeof bookMatching>) {
  const { askTotal, tradePrice, feasible, room, bidLive, endBid, trade } = prior;
  /** An incoming ask: trade with the best bid it can serve, or rest. */
  function postAsk(s: OrderBookState, a: Ask, now: Seconds, out: Decision[]): void {
    let best: BidEntry | undefined;
    let bestPrice = 0;
    const skipped = s.scratchBids;
    skipped.length = 0;
    const groups = s.profileGroups[a.profile]!;
    for (let k = 0; k < groups.length; k++) {
      const heap = s.bidHeaps[groups[k]!]!;
      let skips = 0;
      while (heap.size > 0) {
        const e = heap.peek()!;
        if (!bidLive(e)) {
          heap.pop();
          continue;
        }
        const job = e.bid.job;
        if (!feasible(job, now)) {
          // No one can finish it in time any more: the bid leaves the book (a liveness failure).
          heap.pop();
          endBid(s, e.bid, 'expired', out);
          continue;
        }
        if (best !== undefined && !bidFirst(e, best)) break;
        const value = askTotal(a, job);
        if (value > job.maxPrice) break; // later bids have lower limits per Mcycle
        const price = tradePrice(e.bid, value, false);
        // A gang job skips asks whose entity cannot field it (`gang.ts`), without a skip limit.
        const unfit = job.gang !== undefined && !entityFieldsGang(s.info, s.active, s.busy, a.entity, job);
        if (unfit || !room(s, a.entity, price)) {
          if (!unfit && ++skips > MAX_SKIP) break;
          skipped.push(heap.pop()!);
          continue;
        }
        best = e;
        bestPrice = price;
        break;
      }
    }
    for (let i = 0; i < skipped.length; i++) s.bidHeaps[skipped[i]!.bid.group]!.push(skipped[i]!);
    if (best !== undefined) {
      s.ask[a.op] = a;
      trade(s, best.bid, a, bestPrice, out);
    } else {
      s.ask[a.op] = a;
      s.askBooks[a.profile]!.push(a);
    }
  }

  return { postAsk };
}

/** Order-book rules, part 3: the opening asks, submissions, deliveries and failed trades. */
function bookLifecycle(p: OrderBookParams, prior: ReturnType<typeof bookStructure> & ReturnType<typeof bookMatching>) {
  const { charges, groupOf, commissionOf, feasible, requestAsk, endBid, postBid } = prior;
  /** Asks every free node for its opening ask. */
  function seed(s: OrderBookState, now: Seconds, out: Decision[]): void {
    for (let op = 0; op < s.info.length; op++) if (s.info[op] && s.active[op] && !s.busy[op]) requestAsk(s, op, now, out);
  }

  function onSubmit(s: OrderBookState, job: Job, now: Seconds, out: Decision[]): void {
    const bid: Bid = {
      job,
      limit: job.mcycles > 0 ? job.maxPrice / job.mcycles : Infinity,
      group: groupOf(s, job.request),
      status: HELD,
      seq: -1,
      holdUntil: now,
      awaiting: 0,
      op: -1,
      price: 0,
      attempts: 0,
    };
    s.bids.set(job.id, bid);
    if (!feasible(job, now)) {
      endBid(s, bid, 'rejected', out);
      return;
    }
    out.push({ type: 'timer', jobId: job.id, at: job.deadline, tag: BOOK_TAG_DEADLINE });
    postBid(s, bid, now, out);
  }

  function finishTrade(s: OrderBookState, bid: Bid, onTime: boolean): void {
    const op = bid.op;
    s.busy[op] = false;
    const e = s.info[op]!.entity;
    s.load[e]! -= bid.price;
    s.matched[e] = (s.matched[e] ?? 0) + 1;
    if (onTime) s.completed[e] = (s.completed[e] ?? 0) + 1;
  }

  function onDeliver(s: OrderBookState, bid: Bid, now: Seconds, out: Decision[]): void {
    finishTrade(s, bid, now <= bid.job.deadline);
    const id = bid.job.id;
    const op = bid.op;
    if (now <= bid.job.deadline || p.payLate) {
      const commission = charges ? commissionOf(bid.price) : 0;
      const pay = bid.price - commission;
      if (pay > 0) out.push({ type: 'settle', jobId: id, operator: op, amount: pay, source: 'escrow' });
      if (commission > 0) {
        const first = Math.floor(commission * p.commissionSplit);
        if (first > 0) out.push({ type: 'fee', jobId: id, amount: first });
        if (commission - first > 0) out.push({ type: 'fee', jobId: id, amount: commission - first });
      }
    }
    bid.status = ENDED;
    s.bids.delete(id);
    out.push({ type: 'done', jobId: id, outcome: 'delivered', operator: op });
    out.push({ type: 'close', jobId: id });
  }

  function onFail(s: OrderBookState, bid: Bid, now: Seconds, out: Decision[]): void {
    finishTrade(s, bid, false);
    bid.op = -1;
    bid.price = 0;
    if (p.rematchOnFail && now < bid.job.deadline) postBid(s, bid, now, out);
    else endBid(s, bid, 'failed', out);
  }

  /** The matched bid an operator's report is about, or why there is none for it. */
  function matchedTo(s: OrderBookState, jobId: number, op: number): Bid | RefusalReason {
    const bid = s.bids.get(jobId);
    if (!bid) return 'unknown-job';
    return bid.status === MATCHED && bid.op === op ? bid : 'not-assigned';
  }
  return { seed, onSubmit, finishTrade, onDeliver, onFail, matchedTo };
}
