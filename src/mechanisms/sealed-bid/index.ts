import { BidClasses, rotationKey } from '../bid-classes.js';
import { hashUniform } from '../beacon.js';
import { distribute, EPOCH_JOB, emissionBook, type EmissionBook, TAG_EPOCH } from '../emission.js';
import { resolveParams } from '../resolve-params.js';
import { DenseTable } from '../dense-table.js';
import { FreeIndex } from '../free-index.js';
import * as stake from '../stake.js';
import type {
  Decision,
  Handlers,
  Input,
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
import { type ClassBidders, classWalk, EVERY } from './class-walk.js';
import { FlagLog } from './flag-log.js';
import { holdings } from './holdings.js';
import { sealedBidDefaults, sealedBidPresets, type SealedBidParams } from './params.js';

export { sealedBidDefaults, sealedBidPresets, type SealedBidParams } from './params.js';

/** Timer tags. */
export const TAG_CLOSE = 1;
export const TAG_DEADLINE = 2;

export interface Bid {
  readonly operator: number;
  readonly price: Micros;
  /** Arrival order, for ties. */
  readonly seq: number;
}

export interface SbJob {
  job: Job;
  until: Seconds;
  bids: Bid[];
  /** Operators that bid one by one (one sealed bid each): a set, as a job may draw a thousand bids. Made at the first such bid, dropped at the close. */
  bidders: Set<number>;
  /** Classes that sent a class bid. */
  classes: number[];
  /** Per class, its ready members the class bid may need, in rotation order (set at submission, dropped at the class bid). */
  ready: (number[] | undefined)[];
  /** The class bids received, each with its kept ready and named busy members (read at the close). */
  classBids: ClassBidders[];
  /** First node of the job's arrival rotation (with bid classes; drawn from its beacon), -1: bids rank by arrival. */
  start: number;
  /** Auctions still taking bids when this one opened: they close first (same period). */
  before: number;
  /** Auctions opened up to this one (its stamp in the flags' log, `flag-log.ts`). */
  stamp: number;
  /** -1 while bidding; then the winner. */
  winner: number;
  price: Micros;
  collateral: Micros;
  /** Stake the winner locked for the job (with a stake rule). */
  staked: Micros;
  done: boolean;
  /** The auction period's closing timer was applied: later bids are late. */
  closed: boolean;
  /** The winner's entity, for a gang job it staffs itself (-1: none). */
  gangEntity: number;
}

/** The mechanism-owned state of the sealed-bid auction. */
export interface SealedBidState extends ProtocolState {
  jobs: DenseTable<SbJob>;
  /** Node id → jobs it holds (won, not finished). */
  held: number[];
  seq: number;
  /** Stake per node (`stake.ts`); unused when `stakeUsd` is 0. */
  stakes: stake.StakeBook;
  /** Nodes in join order (the dispenser pays every staker). */
  nodes: number[];
  /** The dispenser's schedule; `dispenseDue` is the time of its pending timer, -1 when none. */
  dispenser: EmissionBook;
  dispenseDue: Seconds;
  /** Jobs submitted since the dispenser last paid (it stops when the market is idle), and the last one's id. */
  submittedSince: number;
  lastJob: number;
  /** Bid classes: the ready (idle, eligible) members of each (`bid-classes.ts`). */
  classes: BidClasses;
  /** Active nodes by capacity profile (the rotation a job's bids arrive in). */
  active: FreeIndex;
  /** Eligible profiles (a bit mask) → their active nodes in id order, listed at `active`'s version (`class-walk.ts`, `reach`). */
  rotation: Map<number, { version: number; ids: Int32Array }>;
  /** Node id → its advertised capacity. */
  capacity: Resources[];
  /** Node id → 1 while given a job and not yet reported available (its queue is not empty). */
  busy: Uint8Array;
  /** Auctions taking bids now. */
  bidding: number;
  /** Node id → its entity. */
  entityOf: number[];
  /**
   * Entity → gang jobs its lead holds (won, not finished), and their total. The entity staffs such a
   * gang from its own nodes, which the mechanism is not told: while it holds one, the class walk
   * treats the entity's idle members as busy (the shell reads their queues).
   */
  gangs: number[];
  gangsHeld: number;
  /** A gang job was won: the shell's free times of its members moved without a notice, so every class is walked from then on. */
  gangSeen: boolean;
  /** Auctions opened so far (the flags' log stamps its changes with it). */
  opened: number;
  /** Recent changes of the ready and busy flags, for the close-time search. */
  log: FlagLog;
  /** Node id → when it last left; the nodes that left, in order, and the first not yet pruned (`holdings.ts`). */
  leftAt: number[];
  leftQueue: number[];
  leftHead: number;
  /** Class → whether every member has `busyBids` (its class bid can stand for its busy members); the classes that do. */
  busyBids: boolean[];
  every: number[];
  /** Records of ended jobs, reused by the next submissions (a record that lives minutes would otherwise reach the old generation). */
  spare: SbJob[];
}

/**
 * Where a job's arrival rotation starts, in [0, 1): a hash of its beacon's first two words and its
 * id, so anyone can recompute who wins a tie. Without a beacon, of the id alone.
 */
export function rotationDraw(beacon: Uint8Array | undefined, jobId: number): number {
  const w = (i: number): number =>
    beacon && beacon.length >= i + 4 ? (beacon[i]! << 24) | (beacon[i + 1]! << 16) | (beacon[i + 2]! << 8) | beacon[i + 3]! : 0;
  return hashUniform(w(0), w(4), jobId, 0xb1d);
}

/** The bids of an auction with no single bid yet, or cleared (never written: `onBid` makes an array at the first bid). */
const NO_BIDS: Bid[] = Object.freeze([]) as unknown as Bid[];

/** The bidder set of an auction with no single bid yet, or cleared (never written: `onBid` makes a set at the first bid, and bids after the close are refused first). */
const NO_BIDDERS: Set<number> = new Set();

/** The outcome of one auction's clearing. */
export interface Clearing {
  /** Index into the bids of the winner, -1: no eligible bid. */
  readonly winner: number;
  /** What the winner is paid. */
  readonly price: Micros;
}

/**
 * Clears one sealed-bid reverse auction: the lowest eligible bid wins (ties: the earlier bid);
 * first price pays the winning bid, second price the lowest other eligible bid, or `limit` (the
 * requester's price limit, the reserve) when there is no other. Pure; exported for tests.
 */
export function clear(
  bids: readonly Bid[],
  eligible: (b: Bid, i: number) => boolean,
  settlement: 'first' | 'second',
  limit: Micros,
): Clearing {
  let best = -1;
  let second = -1;
  const better = (a: Bid, b: Bid): boolean => a.price < b.price || (a.price === b.price && a.seq < b.seq);
  for (let i = 0; i < bids.length; i++) {
    const b = bids[i]!;
    if (!eligible(b, i)) continue;
    if (best < 0 || better(b, bids[best]!)) {
      second = best;
      best = i;
    } else if (second < 0 || better(b, bids[second]!)) {
      second = i;
    }
  }
  if (best < 0) return { winner: -1, price: 0 };
  const price = settlement === 'first' ? bids[best]!.price : second >= 0 ? bids[second]!.price : limit;
  return { winner: best, price };
}

/** Sealed-bid's configuration: the parameters, checked, and the stake and dispenser settings derived from them. */
function sealedBidConfig(params: Partial<SealedBidParams> & { preset?: string }) {
  const p: SealedBidParams = resolveParams('sealed-bid', sealedBidDefaults, sealedBidPresets, params);
  if (p.settlement !== 'first' && p.settlement !== 'second') throw new RangeError('sealed-bid: settlement must be "first" or "second"');
  if (!(p.auctionPeriod >= 0)) throw new RangeError('sealed-bid: auctionPeriod must be ≥ 0');
  if (!(p.slashBurnBps >= 0 && p.slashBurnBps <= 10_000)) throw new RangeError('sealed-bid: slashBurnBps must be 0-10000');
  if (!(p.protocolFeeBps >= 0 && p.protocolFeeBps <= 10_000)) throw new RangeError('sealed-bid: protocolFeeBps must be 0-10000');
  if (!(p.baseFeeUsd >= 0)) throw new RangeError('sealed-bid: baseFeeUsd must be ≥ 0');
  const baseFee = toMicros(p.baseFeeUsd);
  const stakeParams: stake.StakeParams = {
    stakeUsd: p.stakeUsd,
    minStakeUsd: 0,
    perJobUsd: p.stakeUsd > 0 ? p.stakePerJobUsd : 0,
    slashShare: p.stakeSlashShare,
    slashBurnShare: p.slashBurnBps / 10_000,
    restake: p.restake,
    restakeDelay: 0,
  };
  const staking = stake.staking(stakeParams);
  const dispenseParams = {
    epochSeconds: p.dispenseEpoch,
    tokensPerEpoch: p.dispenseRate * p.dispenseEpoch,
    tokenUsd: p.dispenseTokenUsd,
    split: 'stake' as const,
    fullAtWeight: 0,
  };
  const dispensing = p.dispenseTokenUsd > 0 && p.dispenseRate > 0 && staking;
  return { p, baseFee, stakeParams, staking, dispenseParams, dispensing };
}

/** The dispenser's timer and payout (Succinct `DISPENSE_RATE`, docs protocol/spn/parameters): off unless `dispensing`. */
function dispenser(p: SealedBidParams, dispensing: boolean) {
  /** The dispenser pays every staker in proportion to its stake, once per epoch while jobs come in. */
  function dispense(s: SealedBidState, now: Seconds, out: Decision[]): void {
    s.dispenseDue = -1;
    const weights = s.nodes.map((op) => Math.max(0, s.stakes.stake[op] ?? 0));
    distribute(
      s.dispenser,
      s.nodes,
      weights,
      s.nodes.map(() => s.lastJob),
      out,
    );
    if (s.submittedSince > 0) scheduleDispense(s, now, out);
    s.submittedSince = 0;
  }

  function scheduleDispense(s: SealedBidState, now: Seconds, out: Decision[]): void {
    if (!dispensing || s.dispenseDue >= 0) return;
    s.dispenseDue = (Math.floor(now / p.dispenseEpoch) + 1) * p.dispenseEpoch;
    out.push({ type: 'timer', jobId: EPOCH_JOB, at: s.dispenseDue, tag: TAG_EPOCH });
  }

  return { dispense, scheduleDispense };
}

/** A member of class `c` joined: the class's bid stands for its busy members only if it does for every member's. */
function classJoined(s: SealedBidState, c: number, busyBids: boolean): void {
  const was = s.busyBids[c];
  s.busyBids[c] = (was ?? true) && busyBids;
  if (was !== s.busyBids[c]) s.every = s.busyBids.flatMap((b, k) => (b ? [k] : []));
}

/** Sealed-bid's rules: eligibility, the dispenser, the close of an auction, delivery and misses. */
function sealedBidRules(cfg: ReturnType<typeof sealedBidConfig>) {
  const { p, baseFee, staking, dispensing } = cfg;

  /** May `op` bid on, or win, one more job now? The stake rule, or the flat `maxConcurrent` cap. */
  function mayHold(s: SealedBidState, op: number, now: Seconds): boolean {
    if (staking) return stake.eligible(s.stakes, op, now);
    return p.maxConcurrent <= 0 || (s.held[op] ?? 0) < p.maxConcurrent;
  }

  const { dispense, scheduleDispense } = dispenser(p, dispensing);

  function addNode(s: SealedBidState, o: OperatorInfo, now: Seconds): void {
    if (s.capacity[o.id] === undefined) {
      s.capacity[o.id] = o.capacity;
      if (o.id >= s.busy.length) growBusy(s, o.id);
      s.active.add(o.id, o.capacity);
      s.classes.add(o);
      s.entityOf[o.id] = o.entity;
      if (o.bidClass !== undefined && o.bidClass >= 0) classJoined(s, o.bidClass, o.busyBids === true);
    }
    s.active.setFree(o.id, true);
    if (s.stakes.stake[o.id] === undefined) {
      s.nodes.push(o.id);
      stake.join(s.stakes, o);
    }
    // One refresh, once the stake is posted: before it, a new node's flags were refreshed to what
    // they already were (with stake: not ready, not busy, may not hold; without: what the refresh
    // after the join sets, which joining does not change). 10,000 nodes join at the start.
    refresh(s, o.id, now);
  }

  const { refresh, restaked, left, prune, gangWon, gangEnded } = holdings({ staking, mayHold, period: p.auctionPeriod });
  const { reach, walkClass, onClassBid, classBest } = classWalk({ p, staking, mayHold });

  function end(s: SealedBidState, rec: SbJob, outcome: 'delivered' | 'failed', op: number, out: Decision[]): void {
    rec.done = true;
    gangEnded(s, rec);
    out.push({ type: 'done', jobId: rec.job.id, outcome, operator: op });
    out.push({ type: 'close', jobId: rec.job.id });
    s.jobs.delete(rec.job.id);
    rec.bids = NO_BIDS;
    rec.bidders = NO_BIDDERS;
    s.spare.push(rec);
  }

  function unhold(s: SealedBidState, op: number, now: Seconds): void {
    if ((s.held[op] ?? 0) > 0) s.held[op]!--;
    refresh(s, op, now);
  }

  /** The winner failed or missed the deadline. */
  function miss(s: SealedBidState, rec: SbJob, now: Seconds, out: Decision[]): void {
    const id = rec.job.id;
    unhold(s, rec.winner, now);
    // A missed deadline slashes stake (Succinct docs provers/how-it-works), or gives it back when slashing is off.
    if (rec.staked > 0) {
      if (p.slashOnMiss) stake.slash(s.stakes, rec.winner, id, rec.staked, now, out);
      else stake.unlock(s.stakes, rec.winner, id, rec.staked, out, false);
      restaked(s, rec.winner, now);
    }
    if (rec.collateral > 0) {
      const burn = Math.floor((rec.collateral * p.slashBurnBps) / 10_000);
      out.push({ type: 'slash', jobId: id, operator: rec.winner, burn, toOperator: -1, reward: 0, toTreasury: rec.collateral - burn });
    }
    if (rec.price + baseFee > 0) out.push({ type: 'refund', jobId: id, amount: rec.price + baseFee });
    end(s, rec, 'failed', -1, out);
  }

  function onClose(s: SealedBidState, rec: SbJob, now: Seconds, out: Decision[]): void {
    if (rec.winner >= 0 || rec.done) return;
    rec.closed = true;
    s.bidding--;
    rec.bidders = NO_BIDDERS;
    // With a class bid, every bid ranks by its node's place in the arrival rotation (as if each node had sent its own).
    const singles = rec.bids.length;
    if (rec.start >= 0) {
      rec.bids = rec.bids.map((b) => ({ operator: b.operator, price: b.price, seq: rotationKey(b.operator, rec.start) }));
      classBest(s, rec, now, rec.bids);
    }
    const limit = rec.job.maxPrice - baseFee;
    // The class bids' picks (after the single bids) may hold one more job: `classBest` chose them so.
    const c = clear(rec.bids, (b, i) => i >= singles || mayHold(s, b.operator, now), p.settlement, limit);
    if (c.winner < 0) {
      // No bid (or none under the price limit and the stake cap): the request fails, no re-auction.
      end(s, rec, 'failed', -1, out);
      return;
    }
    const op = rec.bids[c.winner]!.operator;
    const id = rec.job.id;
    rec.winner = op;
    rec.price = Math.min(c.price, limit);
    rec.bids = NO_BIDS;
    s.held[op] = (s.held[op] ?? 0) + 1;
    s.busy[op] = 1;
    gangWon(s, rec, op);
    refresh(s, op, now);
    // The stake backing the job is posted into escrow only when a miss can slash it.
    if (staking) {
      rec.staked = stake.lock(s.stakes, op, id, out, p.slashOnMiss);
      restaked(s, op, now);
    } else if (p.slashOnMiss) {
      rec.collateral = Math.max(0, Math.round(rec.price * p.collateralMultiple));
      if (rec.collateral > 0) out.push({ type: 'collateral', jobId: id, operator: op, amount: rec.collateral });
    }
    out.push({ type: 'assign', jobId: id, operator: op, price: rec.price + baseFee, role: 'winner', committed: true });
    out.push({ type: 'timer', jobId: id, at: Math.max(now, rec.job.deadline), tag: TAG_DEADLINE });
  }

  function onDeliver(s: SealedBidState, rec: SbJob, op: number, now: Seconds, out: Decision[]): RefusalReason | undefined {
    if (op !== rec.winner || rec.done) return 'not-assigned';
    const id = rec.job.id;
    unhold(s, op, now);
    // cost = price × PGUs + base_fee (state.rs:902): the base fee is paid with the bid.
    const cost = rec.price + baseFee;
    const fee = Math.floor((cost * p.protocolFeeBps) / 10_000);
    if (cost - fee > 0) out.push({ type: 'settle', jobId: id, operator: op, amount: cost - fee, source: 'escrow' });
    if (fee > 0) out.push({ type: 'fee', jobId: id, amount: fee });
    if (rec.collateral > 0) out.push({ type: 'release', jobId: id, operator: op, amount: rec.collateral });
    if (rec.staked > 0) {
      stake.unlock(s.stakes, op, id, rec.staked, out, p.slashOnMiss);
      restaked(s, op, now);
    }
    end(s, rec, 'delivered', op, out);
    return undefined;
  }

  /** A sealed bid, during the auction period: above the price limit or a second bid is refused. */
  function onBid(s: SealedBidState, rec: SbJob, input: Extract<Input, { type: 'bid' }>, now: Seconds): RefusalReason | undefined {
    const { operator: op, price } = input;
    if (rec.winner >= 0 || rec.done || now > rec.until || rec.closed) return 'late';
    if (!(price >= 0) || price > rec.job.maxPrice - baseFee) return 'invalid';
    if (input.bidClass !== undefined) return onClassBid(s, rec, input.bidClass, Math.round(price), input.also ?? [], input.except, now);
    if (rec.bidders.has(op)) return 'already';
    // A ready member of a class that bid has bid through its class.
    if (rec.classes.length > 0 && s.classes.isReady(op) && rec.classes.includes(s.classes.classOfNode(op))) return 'already';
    // The stake is checked before the auction (docs protocol/spn/staking), and again at the close.
    if (staking && !stake.eligible(s.stakes, op, now)) return 'invalid';
    if (rec.bidders === NO_BIDDERS) rec.bidders = new Set(); // made at the first bid: class bids need none
    rec.bidders.add(op);
    if (rec.bids === NO_BIDS) rec.bids = [];
    rec.bids.push({ operator: op, price: Math.round(price), seq: s.seq++ });
    return undefined;
  }

  return { addNode, refresh, left, prune, reach, walkClass, scheduleDispense, dispense, miss, onClose, onDeliver, onBid };
}

/** A record for a job put to auction: an ended job's, reset, or a new one. */
function openRecord(s: SealedBidState, job: Job, until: Seconds): SbJob {
  const rec = s.spare.pop();
  if (!rec) {
    return {
      job,
      until,
      bids: NO_BIDS,
      bidders: NO_BIDDERS,
      classes: [],
      ready: [],
      classBids: [],
      start: -1,
      before: s.bidding,
      stamp: ++s.opened,
      winner: -1,
      price: 0,
      collateral: 0,
      staked: 0,
      done: false,
      closed: false,
      gangEntity: -1,
    };
  }
  rec.job = job;
  rec.until = until;
  while (rec.classes.length > 0) rec.classes.pop();
  while (rec.ready.length > 0) rec.ready.pop();
  rec.start = -1;
  rec.before = s.bidding;
  rec.stamp = ++s.opened;
  rec.winner = -1;
  rec.price = 0;
  rec.collateral = 0;
  rec.staked = 0;
  rec.done = false;
  rec.closed = false;
  rec.gangEntity = -1;
  return rec;
}

/** Room in the busy flags for node `id` (a node that joined after `init`). */
function growBusy(s: SealedBidState, id: number): void {
  const busy = new Uint8Array(Math.max(id + 1, s.busy.length * 2));
  busy.set(s.busy);
  s.busy = busy;
}

/** The solicitation's lists when no class is walked: no named busy member. */
const NO_BUSY: readonly number[] = Object.freeze([]);

/**
 * The sealed-bid reverse auction (mechanism id `sealed-bid`), Succinct SPN / Brevis style: on
 * submission the job is put to bids for `auctionPeriod` seconds; bids above the job's price limit
 * are ignored; at the close the lowest price (per Mcycle: one job, so the lowest total) wins among
 * operators under the stake cap; the winner is paid at first or second price when it delivers. A
 * job with no eligible bid fails (no re-auction). With `slashOnMiss`, a winner that fails or misses
 * the deadline loses its collateral (burned / treasury) and the requester gets the price back.
 */
export function sealedBid(params: Partial<SealedBidParams> & { preset?: string } = {}): Mechanism<SealedBidState> {
  const cfg = sealedBidConfig(params);
  const { p, stakeParams, dispenseParams } = cfg;
  const preset = params.preset;
  const { addNode, refresh, left, prune, reach, walkClass, scheduleDispense, dispense, miss, onClose, onDeliver, onBid } =
    sealedBidRules(cfg);

  const handlers: Handlers<SealedBidState> = {
    submit: (s, input, now, _r, out) => {
      const job = input.job;
      const rec = openRecord(s, job, now + p.auctionPeriod);
      s.jobs.set(job.id, rec);
      s.bidding++;
      s.submittedSince++;
      s.lastJob = job.id;
      scheduleDispense(s, now, out);
      // Ties go by the job's arrival rotation, which starts at a node drawn from its public beacon.
      const { n, start } = reach(s, job, rotationDraw(input.beacon, job.id));
      rec.start = start;
      if (s.classes.size > 0) {
        prune(s, now);
        // Bid classes: ready members answer with one class bid per class. Where the class bid stands for
        // the busy members too, the close searches the class; elsewhere the busy ones that may matter are named.
        const fast = !s.gangSeen;
        let busy = NO_BUSY as number[];
        for (let c = 0; c < s.classes.size; c++) {
          const m = s.classes.memberOf(c);
          if (m < 0 || !fits(s.capacity[m]!, job.request)) continue;
          if (fast && s.busyBids[c]) rec.ready[c] = EVERY;
          else {
            if (busy === NO_BUSY) busy = [];
            walkClass(s, rec, c, busy, now);
          }
        }
        const every = fast && s.every.length > 0 ? s.every : undefined;
        out.push({
          type: 'solicit',
          jobId: job.id,
          mode: 'bid',
          reward: job.maxPrice,
          until: rec.until,
          exclude: [],
          bidders: n,
          busy,
          every,
        });
      } else out.push({ type: 'solicit', jobId: job.id, mode: 'bid', reward: job.maxPrice, until: rec.until, exclude: [] });
      out.push({ type: 'timer', jobId: job.id, at: rec.until, tag: TAG_CLOSE });
    },
    bid: (s, input, now) => {
      const rec = s.jobs.get(input.jobId);
      return rec ? onBid(s, rec, input, now) : 'unknown-job';
    },
    deliver: (s, input, now, _r, out) => {
      const rec = s.jobs.get(input.jobId);
      return rec ? onDeliver(s, rec, input.operator, now, out) : 'unknown-job';
    },
    fail: (s, input, now, _r, out) => {
      const rec = s.jobs.get(input.jobId);
      if (!rec) return 'unknown-job';
      if (rec.done || input.operator !== rec.winner) return 'not-assigned';
      miss(s, rec, now, out);
      return undefined;
    },
    join: (s, input, now) => {
      addNode(s, input.operator, now);
    },
    // A node's queue emptied (the shell says so); it leaves the network. Both only move it in or out of its class.
    available: (s, input, now) => {
      if (s.busy[input.operator] !== 1) return;
      s.busy[input.operator] = 0;
      refresh(s, input.operator, now);
    },
    leave: (s, input, now) => {
      s.active.setFree(input.operator, false);
      left(s, input.operator, now);
    },
    timer: (s, input, now, _r, out) => {
      if (input.jobId === EPOCH_JOB) {
        if (input.tag === TAG_EPOCH && s.dispenseDue >= 0) dispense(s, now, out);
        return;
      }
      const rec = s.jobs.get(input.jobId);
      if (!rec || rec.done) return;
      if (input.tag === TAG_CLOSE) onClose(s, rec, now, out);
      else if (input.tag === TAG_DEADLINE && rec.winner >= 0) {
        out.push({ type: 'abort', jobId: rec.job.id, operator: rec.winner });
        miss(s, rec, now, out);
      }
    },
  };

  return defineMechanism<SealedBidState>({
    type: 'sealed-bid',
    params: { ...p, ...(preset ? { preset } : {}) },
    init(operators: readonly OperatorInfo[], _out?: Decision[], now: Seconds = 0): SealedBidState {
      const s: SealedBidState = {
        seen: seenIds(),
        jobs: new DenseTable(),
        held: [],
        seq: 0,
        stakes: stake.stakeBook(stakeParams),
        nodes: [],
        dispenser: emissionBook(dispenseParams),
        dispenseDue: -1,
        submittedSince: 0,
        lastJob: 0,
        classes: new BidClasses(),
        active: new FreeIndex(operators.length),
        rotation: new Map(),
        capacity: [],
        busy: new Uint8Array(operators.length),
        bidding: 0,
        entityOf: [],
        gangs: [],
        gangsHeld: 0,
        gangSeen: false,
        opened: 0,
        log: new FlagLog(),
        leftAt: [],
        leftQueue: [],
        leftHead: 0,
        busyBids: [],
        every: [],
        spare: [],
      };
      s.classes.reserve(operators);
      for (const o of operators) addNode(s, o, now);
      return s;
    },
    handlers,
  });
}
