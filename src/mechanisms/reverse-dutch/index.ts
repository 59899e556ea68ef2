import { credit, EPOCH_JOB, emissionBook, type EmissionBook, onEpochTimer, TAG_EPOCH } from '../emission.js';
import { DenseTable } from '../dense-table.js';
import { resolveParams } from '../resolve-params.js';
import * as stake from '../stake.js';
import type { Decision, Handlers, Job, Mechanism, Micros, OperatorInfo, ProtocolState, RefusalReason, Seconds } from '../types.js';
import { defineMechanism, seenIds } from '../types.js';
import { deadline, lockDeadline, priceAt, validateOffer, type Offer } from './offer.js';
import { removeValue } from '../remove.js';
import { addWorker, clearWorkers, hasWorker, removeWorker, workersSnapshot } from './workers.js';
import { reverseDutchDefaults, reverseDutchPresets, type ReverseDutchParams } from './params.js';

export { deadline, lockDeadline, priceAt, timeAtPrice, validateOffer, type Offer } from './offer.js';
export { reverseDutchDefaults, reverseDutchPresets, type ReverseDutchParams } from './params.js';

/** Timer tags. A lock decision that lands after the reaction delay uses `TAG_INTENT0 + operator`. */
export const TAG_LOCK_EXPIRED = 1;
export const TAG_EXPIRED = 2;
export const TAG_DIRECT = 3;
export const TAG_INTENT0 = 16;

/** No race; an open race for an unlocked job (fulfil at the current price); secondaries after a lock expired. */
const NO_RACE = 0;
const DIRECT = 1;
const SECONDARY = 2;

/** An offer's terms, written when a record is reused for a new job. */
type OfferTerms = { -readonly [K in keyof Offer]: Offer[K] };

/**
 * One open job: its offer's terms inline (the record is the {@link Offer} `priceAt` reads), with the
 * job's id and work. At 10,000 operators some thousands of jobs are open at once, and every handler
 * starts from a record that has gone cold: one object to reach instead of three (record, offer, job)
 * saves a cache miss or two per input. A closed job's record (and its two lists) serves a later job
 * (`spare`), so in-flight jobs do not each leave records for the old generation to collect.
 */
interface RdJob extends OfferTerms {
  id: number;
  mcycles: number;
  lockDl: Seconds;
  dl: Seconds;
  /**
   * The lock solicitations' price ramp (the offer's, fixed for the job: one object, not one per
   * solicitation). Never written: solicitations carry it, so a reused record gets a new one.
   */
  ramp: { readonly start: Seconds; readonly end: Seconds; readonly from: Micros; readonly to: Micros };
  /** The locker (-1: never locked) and the price it locked at. */
  locker: number;
  lockPrice: Micros;
  /**
   * Operators whose lock decision is in flight (reaction delay), a set: the first in `intent` (-1:
   * none), any others in `intents`. Almost every job has one, and at 10,000 operators the list's
   * object and store were two more cold cache lines at the lock and again when it landed.
   */
  intent: number;
  intents: number[];
  /** Operators proving the job now (the locker and/or racers), in start order: `first`, then `workers` (workers.ts). */
  first: number;
  workers: number[];
  workerSet: Set<number> | null;
  snapshot: readonly number[] | null;
  race: number;
  racers: number;
  /** Who delivered after the lock deadline (gets the unburned collateral at the slash), -1: nobody. */
  fulfiller: number;
  done: boolean;
  /** Proof retries the locker has used. */
  retries: number;
  /** Still to be offered to nodes that become free (unlocked, or open to secondaries). */
  open: boolean;
  inList: boolean;
  /** Closed (out of `jobs`): the record goes back to `spare` once it has also left `openList`. */
  closed: boolean;
}

/** The mechanism-owned state of the reverse Dutch auction. */
export interface ReverseDutchState extends ProtocolState {
  /** Job id → its record while open (a dense table: a Map's set and delete per job promote its tables). */
  jobs: DenseTable<RdJob>;
  /** Jobs to re-offer when nodes become free (lazy deletion), and the round-robin cursor. */
  openList: RdJob[];
  cursor: number;
  /** Records of closed jobs that nothing refers to any more, for new jobs. */
  spare: RdJob[];
  /** Collateral balance per node: its share of its owner's capital, less collateral locked or lost. */
  balances: stake.StakeBook;
  /** PoVW emission. */
  povw: EmissionBook;
}

/** The Boundless offer pmsim derives for a job submitted at `now` (all prices in micro-USD). */
export function offerFor(job: Job, now: Seconds, p: ReverseDutchParams): Offer {
  const offer: OfferTerms = { minPrice: 0, maxPrice: 0, rampUpStart: 0, rampUpPeriod: 0, lockTimeout: 0, timeout: 0, lockCollateral: 0 };
  writeOffer(offer, job, now, p);
  return offer;
}

/**
 * Writes {@link offerFor}'s offer into `into` and validates it. A submission writes it straight into
 * the job's record (the record is the offer `priceAt` reads): no offer object per job.
 */
function writeOffer(into: OfferTerms, job: Job, now: Seconds, p: ReverseDutchParams): void {
  const maxPrice = Math.max(0, Math.floor(job.maxPrice));
  const minPrice = Math.min(maxPrice, Math.max(0, Math.floor(maxPrice * p.minPriceShare)));
  // SDK: now + min(max(30 s, executor time), 1 h), mod.rs:847-860.
  const delay = Math.min(
    Math.max(p.rampUpDelay, Math.ceil(p.rampUpDelayPerMcycle * job.mcycles)),
    Math.max(p.rampUpDelay, p.rampUpDelayMax),
  );
  const rampUpStart = Math.ceil(now) + Math.ceil(delay);
  let lockTimeout: number;
  let timeout: number;
  let rampUpPeriod: number;
  if (p.timeouts === 'job') {
    timeout = Math.max(0, Math.floor(job.deadline - rampUpStart));
    lockTimeout = Math.floor(timeout * p.lockShare);
    rampUpPeriod = Math.floor(lockTimeout * p.rampShare);
  } else {
    lockTimeout = Math.ceil(Math.min(p.lockTimeoutBase + p.lockTimeoutPerMcycle * job.mcycles, p.lockTimeoutMax));
    timeout = Math.ceil(p.timeoutMultiple * lockTimeout);
    rampUpPeriod = Math.ceil(Math.min(p.rampUpBase + p.rampUpPerMcycle * job.mcycles, p.rampUpMax));
  }
  lockTimeout = Math.min(Math.max(0, lockTimeout), timeout);
  rampUpPeriod = Math.min(Math.max(0, rampUpPeriod), lockTimeout);
  into.minPrice = minPrice;
  into.maxPrice = maxPrice;
  into.rampUpStart = rampUpStart;
  into.rampUpPeriod = rampUpPeriod;
  into.lockTimeout = lockTimeout;
  into.timeout = timeout;
  into.lockCollateral =
    p.collateralZkc > 0 ? Math.round(p.collateralZkc * p.zkcUsd * 1_000_000) : Math.max(0, Math.round(maxPrice * p.collateralMultiple));
  validateOffer(into);
}

/** The lock ramp of an offer, as a `solicit` carries it. */
function rampOf(o: Offer): RdJob['ramp'] {
  // With a zero-length ramp the price jumps to maxPrice one second after rampUpStart.
  const start = o.rampUpPeriod === 0 ? o.rampUpStart + 1 : o.rampUpStart;
  return { start, end: o.rampUpStart + o.rampUpPeriod, from: o.minPrice, to: o.maxPrice };
}

/** A record for `recordFor` to fill (`mcycles` starts as the double it will hold, so records keep one map). */
function blankRecord(): RdJob {
  return {
    id: 0,
    mcycles: 0.5,
    minPrice: 0,
    maxPrice: 0,
    rampUpStart: 0,
    rampUpPeriod: 0,
    lockTimeout: 0,
    timeout: 0,
    lockCollateral: 0,
    lockDl: 0,
    dl: 0,
    ramp: NO_RAMP,
    locker: -1,
    lockPrice: 0,
    intent: -1,
    intents: [],
    first: -1,
    workers: [],
    workerSet: null,
    snapshot: null,
    race: NO_RACE,
    racers: 0,
    fulfiller: -1,
    done: false,
    retries: 0,
    open: false,
    inList: false,
    closed: false,
  };
}

const NO_RAMP: RdJob['ramp'] = { start: 0, end: 0, from: 0, to: 0 };

/** A lock solicitation excludes no node (one shared empty list, never written). */
const NO_ONE: readonly number[] = [];

/** `op`'s lock decision has landed: it leaves the job's intents (a set, so their order does not matter). */
function dropIntent(rec: RdJob, op: number): void {
  if (rec.intent === op) rec.intent = -1;
  else removeValue(rec.intents, op);
}

/** Slash split: `burn` = floor(collateral × burnBps / 10^4), the rest goes to a fulfiller or the treasury. */
export function slashSplit(collateral: Micros, burnBps: number): { burn: Micros; rest: Micros } {
  const burn = Math.floor((collateral * burnBps) / 10_000);
  return { burn, rest: collateral - burn };
}

/**
 * The reverse Dutch auction (mechanism id `reverse-dutch`), Boundless semantics:
 * - each job becomes an offer whose price ramps from minPrice to maxPrice ({@link priceAt});
 * - the first operator whose strategy accepts the current price locks it (after `lockDelay`) at
 *   that price, posts `lockCollateral` and proves it exclusively;
 * - a locker that delivers by the lock deadline is paid the lock price and gets its collateral back;
 * - after the lock deadline the price is 0 and anyone may fulfil (a `race` of secondaries, whose
 *   reward is the unburned half of the collateral); the requester gets the lock price back;
 * - at the request deadline a locker that did not deliver in time is slashed: `slashBurnBps`
 *   burned, the rest to the secondary who delivered, or to the treasury (and the requester is
 *   refunded) if nobody did;
 * - a job nobody locked by its lock deadline expires (optionally it was first opened to a
 *   fulfil-without-lock race, `directFulfil`).
 */
export function reverseDutch(params: Partial<ReverseDutchParams> & { preset?: string } = {}): Mechanism<ReverseDutchState> {
  const p: ReverseDutchParams = resolveParams('reverse-dutch', reverseDutchDefaults, reverseDutchPresets, params);
  const preset = params.preset;
  if (!(p.slashBurnBps >= 0 && p.slashBurnBps <= 10_000)) throw new RangeError('reverse-dutch: slashBurnBps must be 0-10000');
  if (!(p.marketFeeBps >= 0 && p.marketFeeBps <= 10_000)) throw new RangeError('reverse-dutch: marketFeeBps must be 0-10000');
  if (!(p.lockDelay >= 0)) throw new RangeError('reverse-dutch: lockDelay must be ≥ 0');
  if (!(p.proofRetries >= 0) || !Number.isInteger(p.proofRetries))
    throw new RangeError('reverse-dutch: proofRetries must be an integer ≥ 0');
  // The collateral balance: everything a node's owner can put up (stake.ts with an unbounded ask).
  const balanceParams: stake.StakeParams = { ...stake.noStake, stakeUsd: Infinity };
  const povwParams = {
    epochSeconds: p.povwEpoch,
    tokensPerEpoch: p.povwZkcPerEpoch,
    tokenUsd: p.povwZkcUsd,
    split: 'work' as const,
    fullAtWeight: 0,
  };

  const { secondaryReward, track, solicitLock, solicitRace, reoffer, resolicit, pay, abortAll, finish, close } = auctionOffers(p);
  const { tryLock, joinRace, onLockInput, onDeliver, onFail } = auctionLocks(p, {
    secondaryReward,
    track,
    solicitLock,
    solicitRace,
    reoffer,
    resolicit,
    pay,
    abortAll,
    finish,
    close,
  });
  const { onLockExpired, onExpired, onDirect, onSubmit } = auctionEnds(p, {
    secondaryReward,
    track,
    solicitLock,
    solicitRace,
    reoffer,
    resolicit,
    pay,
    abortAll,
    finish,
    close,
    tryLock,
    joinRace,
    onLockInput,
    onDeliver,
    onFail,
  });

  // Operator ids reach the shell through kernel payloads (doubles): `| 0` keeps them small integers
  // in the records that store them (this job's locker and fulfiller, the shell's winner and locker),
  // whose fields would otherwise turn double and migrate every record made after.
  const handlers: Handlers<ReverseDutchState> = {
    submit: (s, input, now, _r, out) => onSubmit(s, input.job, now, out),
    available: (s, input, now, _r, out) => {
      if (s.openList.length > 0) resolicit(s, input.operator | 0, now, out);
    },
    join: (s, input, now, _r, out) => {
      if (s.balances.stake[input.operator.id] === undefined) stake.join(s.balances, input.operator);
      if (s.openList.length > 0) resolicit(s, input.operator.id, now, out);
    },
    lock: (s, input, now, _r, out) => {
      const rec = s.jobs.get(input.jobId);
      return rec ? onLockInput(s, rec, input.operator | 0, now, out) : 'unknown-job';
    },
    'join-race': (s, input, now, _r, out) => {
      const rec = s.jobs.get(input.jobId);
      return rec ? joinRace(rec, input.operator | 0, now, out) : 'unknown-job';
    },
    deliver: (s, input, now, _r, out) => {
      const rec = s.jobs.get(input.jobId);
      return rec ? onDeliver(s, rec, input.operator | 0, now, out) : 'unknown-job';
    },
    fail: (s, input, now, _r, out) => {
      const rec = s.jobs.get(input.jobId);
      return rec ? onFail(rec, input.operator | 0, now, out) : 'unknown-job';
    },
    timer: (s, input, now, _r, out) => {
      if (input.jobId === EPOCH_JOB) {
        if (input.tag === TAG_EPOCH) onEpochTimer(s.povw, now, out);
        return;
      }
      const rec = s.jobs.get(input.jobId);
      if (!rec) return;
      if (input.tag >= TAG_INTENT0) {
        const op = (input.tag - TAG_INTENT0) | 0;
        dropIntent(rec, op);
        tryLock(s, rec, op, now, out);
      } else if (input.tag === TAG_LOCK_EXPIRED) onLockExpired(s, rec, now, out);
      else if (input.tag === TAG_EXPIRED) onExpired(s, rec, out);
      else if (input.tag === TAG_DIRECT) onDirect(s, rec, now, out);
    },
  };

  return defineMechanism<ReverseDutchState>({
    type: 'reverse-dutch',
    params: { ...p, ...(preset ? { preset } : {}) },
    // A job's record copies what it needs of the job (its id, Mcycles and the offer derived at
    // submission) and no handler keeps the job's object, so a caller may reuse it once the job is
    // closed: at 10,000 operators the job objects were the largest allocation promoted to the old space.
    releasesJobs: true,
    init(operators: readonly OperatorInfo[]): ReverseDutchState {
      const balances = stake.stakeBook(balanceParams);
      for (let i = 0; i < operators.length; i++) stake.join(balances, operators[i]!);
      return {
        seen: seenIds(),
        jobs: new DenseTable<RdJob>(),
        openList: [],
        cursor: 0,
        spare: [],
        balances,
        povw: emissionBook(povwParams),
      };
    },
    handlers,
  });
}

/** Reverse-Dutch rules, part 1: open offers, solicitations (lock ramp, fulfil races) and payments. */
function auctionOffers(p: ReverseDutchParams) {
  const secondaryReward = (rec: RdJob): Micros => slashSplit(rec.lockCollateral, p.slashBurnBps).rest;

  function track(s: ReverseDutchState, rec: RdJob): void {
    rec.open = true;
    if (!rec.inList) {
      rec.inList = true;
      s.openList.push(rec);
    }
  }

  /**
   * Offers the lock to every eligible node, at submission and on a re-offer. A re-offer is not
   * addressed to the node that became free alone: on chain every prover sees every open request,
   * and a free prover that has not locked yet may take it now too (docs/mechanisms/reverse-dutch.md,
   * rule 3). The shell answers it in O(lock classes) when every node is in a class.
   */
  function solicitLock(rec: RdJob, now: Seconds, out: Decision[]): void {
    const reward = priceAt(rec, now);
    // A decision at `until` still lands by the lock deadline.
    const until = rec.lockDl - p.lockDelay;
    // Two literals, not `delay` added after: a field added to a literal goes to a second object, one
    // per solicitation (about three per job). The fields and their order are the same as before.
    out.push(
      p.lockDelay > 0
        ? { type: 'solicit', jobId: rec.id, mode: 'lock', reward, until, exclude: NO_ONE, ramp: rec.ramp, delay: p.lockDelay }
        : { type: 'solicit', jobId: rec.id, mode: 'lock', reward, until, exclude: NO_ONE, ramp: rec.ramp },
    );
  }

  /** Opens a fulfil race to every eligible node (`to` < 0), or re-announces it to the one node that became free. */
  function solicitRace(rec: RdJob, to: number, now: Seconds, out: Decision[]): void {
    const direct = rec.race === DIRECT;
    const reward = direct ? priceAt(rec, now) : secondaryReward(rec);
    const until = direct ? rec.lockDl : rec.dl;
    const exclude = workersSnapshot(rec);
    // Two literals, not a spread of `{ to }`: at 10,000 operators a secondary race is re-announced to
    // thousands of freed nodes. The fields and their order are the same as before.
    out.push(
      to >= 0
        ? { type: 'solicit', jobId: rec.id, mode: 'race', reward, until, exclude, to }
        : { type: 'solicit', jobId: rec.id, mode: 'race', reward, until, exclude },
    );
  }

  /**
   * An open race is re-announced to the node that became free only: the other free nodes were asked
   * before and decided (a prover commits a free slot to one order, it does not re-decide because
   * another node became free). An unlocked job is offered again to every eligible node.
   */
  function reoffer(_s: ReverseDutchState, rec: RdJob, to: number, now: Seconds, out: Decision[]): void {
    if (rec.race !== NO_RACE) solicitRace(rec, to, now, out);
    else if (rec.locker < 0) solicitLock(rec, now, out);
  }

  /** Offers up to `resolicit` open jobs again to node `to`, round-robin (a node that was busy may take them now). */
  function resolicit(s: ReverseDutchState, to: number, now: Seconds, out: Decision[]): void {
    const list = s.openList;
    let budget = p.resolicit;
    let scanned = 0;
    while (budget > 0 && list.length > 0 && scanned < list.length) {
      if (s.cursor >= list.length) s.cursor = 0;
      const rec = list[s.cursor]!;
      if (!rec.open || rec.done) {
        rec.inList = false;
        if (rec.closed) s.spare.push(rec);
        list[s.cursor] = list[list.length - 1]!;
        list.pop();
        continue;
      }
      s.cursor++;
      scanned++;
      budget--;
      reoffer(s, rec, to, now, out);
    }
  }

  function pay(rec: RdJob, op: number, price: Micros, out: Decision[]): void {
    if (price <= 0) return;
    const fee = Math.floor((price * p.marketFeeBps) / 10_000);
    if (price - fee > 0) out.push({ type: 'settle', jobId: rec.id, operator: op, amount: price - fee, source: 'escrow' });
    if (fee > 0) out.push({ type: 'fee', jobId: rec.id, amount: fee });
  }

  /** Stops every worker of the job except `keep` (-1: stop all). */
  function abortAll(rec: RdJob, keep: number, out: Decision[]): void {
    let kept = false;
    if (rec.first >= 0) {
      if (rec.first === keep) kept = true;
      else out.push({ type: 'abort', jobId: rec.id, operator: rec.first });
    }
    // An indexed loop: where this runs unoptimized, an array iterator allocates a result per step.
    const ws = rec.workers;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      if (w === keep) kept = true;
      else out.push({ type: 'abort', jobId: rec.id, operator: w });
    }
    clearWorkers(rec);
    if (kept) addWorker(rec, keep);
  }

  function finish(rec: RdJob, outcome: 'delivered' | 'failed' | 'expired', op: number, out: Decision[]): void {
    if (rec.done) return;
    rec.done = true;
    rec.open = false;
    out.push({ type: 'done', jobId: rec.id, outcome, operator: op });
  }

  function close(s: ReverseDutchState, rec: RdJob, out: Decision[]): void {
    s.jobs.delete(rec.id);
    rec.open = false;
    rec.closed = true;
    if (!rec.inList) s.spare.push(rec);
    out.push({ type: 'close', jobId: rec.id });
  }

  return { secondaryReward, track, solicitLock, solicitRace, reoffer, resolicit, pay, abortAll, finish, close };
}

/** Reverse-Dutch rules, part 2: locks (after the reaction delay), race joins and deliveries. */
function auctionLocks(p: ReverseDutchParams, prior: ReturnType<typeof auctionOffers>) {
  const { secondaryReward, pay, abortAll, finish, close } = prior;
  function tryLock(s: ReverseDutchState, rec: RdJob, op: number, now: Seconds, out: Decision[]): RefusalReason | undefined {
    if (rec.done || rec.race === SECONDARY) return 'late';
    if (rec.locker >= 0) return 'taken';
    if (Math.floor(now) > rec.lockDl) return 'late'; // the contract rejects a lock after the lock deadline
    // The lock reverts unless the prover's collateral balance covers the collateral (BoundlessMarket.sol:227).
    if (p.collateralBalance) {
      // A node the book never saw join (a caller that lists no operators) has no capital bound.
      if (s.balances.stake[op] === undefined) s.balances.stake[op] = Infinity;
      if (!stake.reserve(s.balances, op, rec.lockCollateral)) return 'invalid';
    }
    const price = priceAt(rec, now);
    rec.locker = op;
    rec.lockPrice = price;
    rec.open = false;
    const id = rec.id;
    const wasRacing = hasWorker(rec, op);
    if (rec.race === DIRECT) {
      // The lock gives exclusivity: open racers stop (only the locker can now be paid).
      abortAll(rec, op, out);
      rec.race = NO_RACE;
    }
    if (rec.lockCollateral > 0) out.push({ type: 'collateral', jobId: id, operator: op, amount: rec.lockCollateral });
    if (!wasRacing) {
      addWorker(rec, op);
      out.push({ type: 'assign', jobId: id, operator: op, price, role: 'winner', committed: true });
    }
    return undefined;
  }

  function joinRace(rec: RdJob, op: number, now: Seconds, out: Decision[]): RefusalReason | undefined {
    if (rec.done || rec.race === NO_RACE) return 'late';
    if (hasWorker(rec, op)) return 'already';
    if (p.maxRacers > 0 && rec.racers >= p.maxRacers) return 'taken';
    const ts = Math.floor(now);
    if (rec.race === DIRECT ? ts > rec.lockDl : ts > rec.dl) return 'late';
    rec.racers++;
    addWorker(rec, op);
    const reward = rec.race === DIRECT ? priceAt(rec, now) : secondaryReward(rec);
    out.push({ type: 'assign', jobId: rec.id, operator: op, price: reward, role: 'racer', committed: true });
    return undefined;
  }

  /**
   * A lock request: it lands `lockDelay` seconds later (the transaction's way to the chain), then
   * locks if the job is still unlocked and the lock deadline has not passed.
   */
  function onLockInput(s: ReverseDutchState, rec: RdJob, op: number, now: Seconds, out: Decision[]): RefusalReason | undefined {
    if (rec.done || rec.race === SECONDARY || Math.floor(now) > rec.lockDl) return 'late';
    if (rec.locker >= 0) return 'taken';
    if (p.lockDelay > 0) {
      if (rec.intent === op || rec.intents.includes(op)) return 'already';
      if (rec.intent < 0) rec.intent = op;
      else rec.intents.push(op);
      out.push({ type: 'timer', jobId: rec.id, at: now + p.lockDelay, tag: TAG_INTENT0 + op });
      return undefined;
    }
    return tryLock(s, rec, op, now, out);
  }

  function onDeliver(s: ReverseDutchState, rec: RdJob, op: number, now: Seconds, out: Decision[]): RefusalReason | undefined {
    if (!removeWorker(rec, op)) return 'not-assigned';
    if (rec.done) return 'late';
    const ts = Math.floor(now);
    const id = rec.id;
    if (ts > rec.dl) return 'late'; // too late: the request expired (the expiry timer ends the job)
    if (rec.locker < 0) {
      // Fulfilled without a lock: paid the current price.
      pay(rec, op, priceAt(rec, now), out);
      credit(s.povw, op, rec.mcycles, id, now, out);
      abortAll(rec, -1, out);
      finish(rec, 'delivered', op, out);
      close(s, rec, out);
      return undefined;
    }
    if (op === rec.locker && ts <= rec.lockDl) {
      // The locker delivered in time: the lock price, and its collateral back.
      pay(rec, op, rec.lockPrice, out);
      if (rec.lockCollateral > 0) out.push({ type: 'release', jobId: id, operator: op, amount: rec.lockCollateral });
      if (p.collateralBalance) stake.unreserve(s.balances, op, rec.lockCollateral, 0);
      credit(s.povw, op, rec.mcycles, id, now, out);
      abortAll(rec, -1, out);
      finish(rec, 'delivered', op, out);
      close(s, rec, out);
      return undefined;
    }
    if (ts > rec.lockDl) {
      // Fulfilled after the lock deadline (by a secondary, or late by the locker): the price is now
      // 0, so the requester gets the lock price back; the fulfiller waits for the slash at the deadline.
      rec.fulfiller = op;
      const price = priceAt(rec, now);
      if (rec.lockPrice - price > 0) out.push({ type: 'refund', jobId: id, amount: rec.lockPrice - price });
      pay(rec, op, price, out);
      abortAll(rec, -1, out);
      finish(rec, 'delivered', op, out);
      credit(s.povw, op, rec.mcycles, id, now, out);
      return undefined;
    }
    // A non-locker delivering before the lock deadline while the job is locked is not paid.
    return 'taken';
  }

  function onFail(rec: RdJob, op: number, now: Seconds, out: Decision[]): RefusalReason | undefined {
    if (!removeWorker(rec, op)) return 'not-assigned';
    // The broker retries a failed proof (`proof_retry_count`), as long as the lock still stands.
    if (!rec.done && op === rec.locker && rec.race === NO_RACE && rec.retries < p.proofRetries && Math.floor(now) <= rec.lockDl) {
      rec.retries++;
      addWorker(rec, op);
      out.push({ type: 'assign', jobId: rec.id, operator: op, price: rec.lockPrice, role: 'winner', committed: true });
    }
    return undefined;
  }

  return { tryLock, joinRace, onLockInput, onDeliver, onFail };
}

/** Reverse-Dutch rules, part 3: the lock deadline, the request deadline, direct fulfilment and submission. */
function auctionEnds(p: ReverseDutchParams, prior: ReturnType<typeof auctionOffers> & ReturnType<typeof auctionLocks>) {
  const { track, solicitLock, solicitRace, abortAll, finish, close } = prior;
  function onLockExpired(s: ReverseDutchState, rec: RdJob, now: Seconds, out: Decision[]): void {
    if (rec.done) return;
    if (rec.locker >= 0) {
      // Anyone may now fulfil; the reward is the unburned share of the locker's collateral.
      rec.race = SECONDARY;
      track(s, rec);
      solicitRace(rec, -1, now, out);
      return;
    }
    // Never locked: the offer is now worth 0 and carries no collateral, so nobody will prove it.
    abortAll(rec, -1, out);
    finish(rec, 'expired', -1, out);
    close(s, rec, out);
  }

  function onExpired(s: ReverseDutchState, rec: RdJob, out: Decision[]): void {
    abortAll(rec, -1, out);
    if (rec.locker >= 0) {
      const { burn, rest } = slashSplit(rec.lockCollateral, p.slashBurnBps);
      const toFulfiller = rec.fulfiller >= 0;
      if (p.collateralBalance) stake.unreserve(s.balances, rec.locker, rec.lockCollateral, rec.lockCollateral);
      if (burn + rest > 0) {
        out.push({
          type: 'slash',
          jobId: rec.id,
          operator: rec.locker,
          burn,
          toOperator: toFulfiller ? rec.fulfiller : -1,
          reward: toFulfiller ? rest : 0,
          toTreasury: toFulfiller ? 0 : rest,
        });
      }
      if (!toFulfiller && rec.lockPrice > 0) out.push({ type: 'refund', jobId: rec.id, amount: rec.lockPrice });
      finish(rec, 'failed', -1, out);
    } else {
      finish(rec, 'expired', -1, out);
    }
    close(s, rec, out);
  }

  function onDirect(s: ReverseDutchState, rec: RdJob, now: Seconds, out: Decision[]): void {
    if (rec.done || rec.locker >= 0 || rec.race !== NO_RACE || Math.floor(now) > rec.lockDl) return;
    rec.race = DIRECT;
    track(s, rec);
    solicitRace(rec, -1, now, out);
  }

  /** A record for a new job: a closed job's, reset, or a new one, holding the job's offer. */
  function recordFor(s: ReverseDutchState, job: Job, now: Seconds): RdJob {
    const rec = s.spare.pop() ?? blankRecord();
    rec.id = job.id;
    rec.mcycles = job.mcycles;
    writeOffer(rec, job, now, p);
    const offer: Offer = rec;
    rec.lockDl = lockDeadline(offer);
    rec.dl = deadline(offer);
    rec.ramp = rampOf(offer);
    rec.locker = -1;
    rec.lockPrice = 0;
    rec.intent = -1;
    while (rec.intents.length > 0) rec.intents.pop();
    clearWorkers(rec);
    rec.race = NO_RACE;
    rec.racers = 0;
    rec.fulfiller = -1;
    rec.done = false;
    rec.retries = 0;
    rec.open = false;
    rec.inList = false;
    rec.closed = false;
    return rec;
  }

  function onSubmit(s: ReverseDutchState, job: Job, now: Seconds, out: Decision[]): void {
    const rec = recordFor(s, job, now);
    s.jobs.set(job.id, rec);
    const id = job.id;
    out.push({ type: 'timer', jobId: id, at: rec.lockDl + 1, tag: TAG_LOCK_EXPIRED });
    out.push({ type: 'timer', jobId: id, at: rec.dl + 1, tag: TAG_EXPIRED });
    const rampEnd = rec.rampUpStart + rec.rampUpPeriod;
    if (p.directFulfil && rampEnd + 1 <= rec.lockDl) out.push({ type: 'timer', jobId: id, at: rampEnd + 1, tag: TAG_DIRECT });
    track(s, rec);
    solicitLock(rec, now, out);
  }
  return { onLockExpired, onExpired, onDirect, onSubmit };
}
