import { EPOCH_JOB, feeShareReward } from '../emission.js';
import { resolveParams } from '../resolve-params.js';
import * as stake from '../stake.js';
import { beaconWords, BEACON_BYTES, selectionIndex } from '../beacon.js';
import { DenseTable } from '../dense-table.js';
import { FreeIndex } from '../free-index.js';
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
import { defineMechanism, seenIds, toMicros } from '../types.js';
import { declaredSeconds, slotFee } from './fee.js';
import { addPacking, bind, canTake, holds, idle, listedCapacity, slotOf, unbind } from './packing.js';
import { packs, spare, type PackBook } from '../packing.js';
import { randomGang } from './gang.js';
import { randomDefaults, randomPresets, type RandomParams } from './params.js';

export { randomDefaults, randomPresets, type RandomParams } from './params.js';
export { declaredSeconds, slotFee } from './fee.js';

/** Equal bytes? */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Shared empty list: most slots never fail or race, so their lists are created on first use. */
const NONE: number[] = [];

const WAITING = 0;
const ASSIGNED = 1;
const RACING = 2;
const DELIVERED = 3;
const FAILED = 4;
/** The prover failed before the max compute time: its fallback starts when that time is up. */
const CAPWAIT = 5;

/** Timer tag: the job's deadline. */
export const TAG_DEADLINE = 1;
/**
 * Timer tags + node id: the max compute time of a node's attempt ends (job timer); a removed node
 * may return after re-staking (a timer of job {@link EPOCH_JOB}).
 */
export const TAG_CAP0 = 1 << 24;
export const TAG_READMIT0 = 3 << 24;

interface Slot {
  status: number;
  /** Current prover, -1 when none. */
  op: number;
  /** Fallback rounds used so far. */
  round: number;
  /** Provers that failed this slot (ejected if a fallback succeeds). */
  failedOps: number[];
  /** Racers working on the slot when it is an open race. */
  racers: number[];
}

interface JobRec {
  job: Job;
  fee: Micros;
  pool: Micros;
  /** The job's public beacon (a copy of the caller's bytes) and the same as 8 words for the hash. */
  beacon: Uint8Array;
  beaconWords: Int32Array;
  draws: number;
  slots: Slot[];
  tried: number[];
  deliveries: number;
  doneSent: boolean;
  closed: boolean;
  queued: boolean;
  /** Waiting aside: every free eligible prover has tried (declined or failed) it (see `drain`). */
  aside: boolean;
  /** The last draw found free eligible provers, but every one of them had tried the job. */
  blocked: boolean;
  timerSet: boolean;
  expired: boolean;
  /** Capacity profiles that meet the request (cached; recomputed when a new profile appears). */
  profiles: number[];
  profilesVersion: number;
}

/** The mechanism-owned state of random allocation. */
export interface RandomState extends ProtocolState {
  index: FreeIndex;
  jobs: DenseTable<JobRec>;
  /** Node id → the job it works on (undefined when idle). */
  opJob: (JobRec | undefined)[];
  opSlot: number[];
  /** Node id → ejected (removed from the prover set for good). */
  ejected: boolean[];
  queue: JobRec[];
  qHead: number;
  /** Jobs every free eligible prover has tried, out of the FIFO queue (see `drain`); stale entries dropped lazily. */
  aside: JobRec[];
  hidden: number[];
  /** Node id → times of its recent declines. */
  declines: Map<number, number[]>;
  /**
   * Capacity profiles meeting each distinct request seen (matched by value: requesters reuse a few
   * shapes), valid while `profileVersion` equals the index's profile count.
   */
  profileCache: { requests: Resources[]; lists: number[][] };
  profileVersion: number;
  /**
   * The last beacon seen (bytes copied from the caller, and as words): jobs of one beacon round
   * share it, so it is copied once per round. Compared by value, never by identity.
   */
  lastBeacon: Uint8Array;
  lastBeaconWords: Int32Array;
  /** Stake per node (`stakeUsd` > 0). */
  stakes: stake.StakeBook;
  /** Node id → advertised capacity (to re-add a node that returns after re-staking). */
  capacity: Resources[];
  /** Time of the input being applied. */
  now: Seconds;
  /** Spare resources of the concurrent nodes (issue 13, `packing.ts`); absent when no node packs. */
  pack?: PackBook;
  /** Concurrent node id → its jobs (job id → slot index). */
  packJobs?: (Map<number, number> | undefined)[];
}

/** The stake rule of a parameter set, and whether a fallback success is topped up from the failed prover's stake. */
function stakeRules(p: RandomParams) {
  const params: stake.StakeParams = {
    ...stake.noStake,
    stakeUsd: p.stakeUsd,
    minStakeUsd: p.stakeUsd,
    restake: p.restakeAfter >= 0,
    restakeDelay: Math.max(0, p.restakeAfter),
  };
  const staking = stake.staking(params);
  return { params, staking, refundFromStake: p.fallbackPaidInFull && staking };
}

/** Distinct request shapes kept in the profile cache; beyond it, profiles are computed per job. */
const PROFILE_CACHE_SIZE = 64;

/**
 * Random allocation (mechanism id `random`), the Gevulot / ZkCloud design: a protocol-fixed price
 * per resource-hour, provers drawn at random among the free nodes that meet the job's request
 * (auditable from a beacon), redundancy k, fallback rounds, an optional last-resort open race, and
 * a FIFO queue while no eligible prover is free.
 */
export function randomAllocation(params: Partial<RandomParams> & { preset?: string } = {}): Mechanism<RandomState> {
  const p: RandomParams = resolveParams('random', randomDefaults, randomPresets, params);
  const preset = params.preset;
  if (!(p.gpusPerNode > 0)) throw new Error(`random: gpusPerNode must be > 0, got ${p.gpusPerNode}`);
  if (!(p.declaredTimeFactor > 0)) throw new Error(`random: declaredTimeFactor must be > 0, got ${p.declaredTimeFactor}`);
  if (!(p.setupSeconds >= 0)) throw new Error(`random: setupSeconds must be ≥ 0, got ${p.setupSeconds}`);
  const rules = stakeRules(p);
  const selection = randomSelection(p);
  const slots = randomSlots(p, selection);
  const staking = randomStake(p, slots);
  const reports = randomReports(p, { ...selection, ...slots, ...staking });
  const declines = randomDeclines(p, { ...selection, ...slots, ...reports, ...staking });
  return defineMechanism<RandomState>({
    type: 'random',
    params: { ...p, ...(preset ? { preset } : {}) },
    init: (operators) => initRandom(rules, operators),
    handlers: timedHandlers(randomHandlers({ ...slots, ...staking, ...reports, ...declines })),
  });
}

/** The parts of the rules the handlers call. */
type RandomParts = ReturnType<typeof randomSlots> &
  ReturnType<typeof randomStake> &
  ReturnType<typeof randomReports> &
  ReturnType<typeof randomDeclines>;

/** Random allocation's handlers, one per input type, over its rules. */
function randomHandlers(parts: RandomParts): Handlers<RandomState> {
  const { drain, retryAside, readmit, onDeliver, onFail, onCap, onDecline, onSubmit, onTimer, onJoinRace, heldBy } = parts;
  return {
    // The beacon comes from outside (drand, a block hash): the coordinator cannot grind it.
    submit: (s, input, _now, _r, out) => {
      const b = input.beacon;
      if (b === undefined || b.length !== BEACON_BYTES) return 'invalid';
      if (!sameBytes(b, s.lastBeacon)) {
        s.lastBeacon = b.slice();
        s.lastBeaconWords = beaconWords(b);
      }
      onSubmit(s, input.job, out);
      return undefined;
    },
    available: (s, input, _now, _r, out) => {
      // A concurrent node's spare resources are tracked by its assignments: it is never marked busy as a whole.
      if (packs(s.pack, input.operator)) return;
      if (s.ejected[input.operator] === true || s.opJob[input.operator] !== undefined) return;
      s.index.setFree(input.operator, true);
      if (s.qHead < s.queue.length) drain(s, out);
      retryAside(s, input.operator, out);
    },
    join: (s, input, _now, _r, out) => {
      s.capacity[input.operator.id] = input.operator.capacity;
      if (s.stakes.stake[input.operator.id] === undefined) stake.join(s.stakes, input.operator);
      addPacking(s, input.operator);
      if (s.ejected[input.operator.id] === true) return;
      s.index.add(input.operator.id, listedCapacity(s, input.operator));
      s.index.setFree(input.operator.id, true);
      drain(s, out);
      retryAside(s, input.operator.id, out);
    },
    leave: (s, input) => {
      s.index.remove(input.operator);
    },
    deliver: (s, input, _now, _r, out) => {
      const rec = heldBy(s, input.jobId, input.operator);
      if (typeof rec === 'string') return rec;
      onDeliver(s, rec, input.operator, out);
      // A concurrent node has room again without going idle (no `available` follows): serve the queue.
      if (packs(s.pack, input.operator)) drain(s, out);
    },
    fail: (s, input, _now, _r, out) => {
      const rec = heldBy(s, input.jobId, input.operator);
      if (typeof rec === 'string') return rec;
      onFail(s, rec, input.operator, out);
      if (packs(s.pack, input.operator)) drain(s, out);
    },
    // An assignment stands until the prover declines or fails: there is no acceptance input.
    decline: (s, input, now, _r, out) => {
      const rec = heldBy(s, input.jobId, input.operator);
      if (typeof rec === 'string') return rec;
      onDecline(s, rec, input.operator, now, out);
    },
    'join-race': (s, input, _now, _r, out) => {
      const rec = s.jobs.get(input.jobId);
      if (!rec || rec.closed) return 'unknown-job';
      return onJoinRace(s, rec, input.operator, out);
    },
    timer: (s, input, _now, _r, out) => {
      if (input.jobId === EPOCH_JOB) {
        if (input.tag >= TAG_READMIT0) readmit(s, input.tag - TAG_READMIT0, out);
        return;
      }
      const rec = s.jobs.get(input.jobId);
      if (!rec || rec.closed) return;
      if (input.tag === TAG_DEADLINE) onTimer(s, rec, out);
      else if (input.tag >= TAG_CAP0) onCap(s, rec, input.tag - TAG_CAP0, out);
    },
  };
}

/** Wraps every handler so that it first records the time of its input: removals and caps schedule timers from it. */
function timedHandlers(handlers: Handlers<RandomState>): Handlers<RandomState> {
  const timed = {} as Record<string, unknown>;
  for (const [type, h] of Object.entries(handlers) as [string, (st: RandomState, ...rest: unknown[]) => unknown][]) {
    timed[type] = (st: RandomState, input: unknown, now: Seconds, ...rest: unknown[]) => {
      st.now = now;
      return h(st, input, now, ...rest);
    };
  }
  return timed as Handlers<RandomState>;
}

/** Every operator free and staked, in one free-node index; no job yet. */
function initRandom(rules: ReturnType<typeof stakeRules>, operators: readonly OperatorInfo[]): RandomState {
  const index = new FreeIndex(operators.length + 1);
  const stakes = stake.stakeBook(rules.params);
  const capacity: Resources[] = [];
  const packing: Pick<RandomState, 'index' | 'opJob' | 'opSlot' | 'pack' | 'packJobs'> = { index, opJob: [], opSlot: [] };
  for (const o of operators) {
    index.add(o.id, o.capacity);
    index.setFree(o.id, true);
    stake.join(stakes, o);
    capacity[o.id] = o.capacity;
    addPacking(packing, o);
  }
  return {
    ...(packing.pack ? { pack: packing.pack, packJobs: packing.packJobs } : {}),
    seen: seenIds(),
    index,
    jobs: new DenseTable<JobRec>(),
    opJob: [],
    opSlot: [],
    ejected: [],
    queue: [],
    qHead: 0,
    aside: [],
    hidden: [],
    declines: new Map(),
    profileCache: { requests: [], lists: [] },
    profileVersion: -1,
    lastBeacon: new Uint8Array(0),
    lastBeaconWords: new Int32Array(8),
    stakes,
    capacity,
    now: 0,
  };
}

/** Random allocation rules, part 1: eligible profiles, the beacon draw, prices and filling slots. */
function randomSelection(p: RandomParams) {
  const { refundFromStake } = stakeRules(p);
  /** The capacity profiles meeting a request, from the state's cache (by value) when it has them. */
  function eligibleFor(s: RandomState, request: Resources): number[] {
    const c = s.profileCache;
    if (s.profileVersion !== s.index.profileCount) {
      c.requests.length = 0;
      c.lists.length = 0;
      s.profileVersion = s.index.profileCount;
    }
    for (let i = 0; i < c.requests.length; i++) {
      const r = c.requests[i]!;
      if (r.cpus === request.cpus && r.gpus === request.gpus && r.memoryGb === request.memoryGb) return c.lists[i]!;
    }
    const list = s.index.eligibleProfiles(request, []);
    if (c.requests.length < PROFILE_CACHE_SIZE) {
      c.requests.push({ cpus: request.cpus, gpus: request.gpus, memoryGb: request.memoryGb });
      c.lists.push(list);
    }
    return list;
  }

  function select(s: RandomState, rec: JobRec): number {
    if (rec.profilesVersion !== s.index.profileCount) {
      rec.profiles = eligibleFor(s, rec.job.request);
      rec.profilesVersion = s.index.profileCount;
    }
    const profiles = rec.profiles;
    // Hide provers that already tried this job, so a re-draw never picks them again.
    const hidden = s.hidden;
    let nh = 0;
    for (let i = 0; i < rec.tried.length; i++) {
      const op = rec.tried[i]!;
      if (s.index.isFree(op)) {
        s.index.setFree(op, false);
        hidden[nh++] = op;
      }
    }
    const n = s.index.countFree(profiles);
    rec.blocked = n === 0 && nh > 0;
    let op = -1;
    if (n > 0) {
      const draw = rec.draws++;
      op = s.index.kth(profiles, selectionIndex(rec.beaconWords, rec.job.id, draw, n));
    }
    for (let i = 0; i < nh; i++) s.index.setFree(hidden[i]!, true);
    return op;
  }

  function slotPay(slot: Slot, rec: JobRec): Micros {
    const refund = slot.round > 0 ? Math.floor(rec.fee * p.fallbackRefundShare) : 0;
    return Math.max(0, rec.fee - protocolCut(rec) - refund);
  }

  function protocolCut(rec: JobRec): Micros {
    const tx = toMicros(p.txFeeUsd);
    return tx + Math.floor((rec.fee - tx) * p.protocolShare);
  }

  /** A gang job's N beacon draws (`gang.ts`); the members are marked busy, the lead first. */
  function drawMembers(s: RandomState, rec: JobRec): number[] | undefined {
    if (rec.profilesVersion !== s.index.profileCount) {
      rec.profiles = eligibleFor(s, rec.job.request);
      rec.profilesVersion = s.index.profileCount;
    }
    const members = randomGang(s.index, rec.profiles, rec.job, rec.beaconWords, rec.draws, rec.tried);
    if (members) rec.draws += members.length;
    return members;
  }

  function assign(
    s: RandomState,
    rec: JobRec,
    si: number,
    op: number,
    role: 'primary' | 'redundant' | 'fallback',
    out: Decision[],
    members?: number[],
  ): void {
    const slot = rec.slots[si]!;
    bind(s, op, rec, si);
    if (rec.tried === NONE) rec.tried = [op];
    else rec.tried.push(op);
    slot.op = op;
    slot.status = ASSIGNED;
    // A fallback paid in full expects the regular fee (part of it from the failed prover's stake).
    const price = role === 'fallback' && refundFromStake ? rec.fee - protocolCut(rec) : slotPay(slot, rec);
    if (members) {
      const draw = rec.draws - members.length;
      out.push({ type: 'assign', jobId: rec.job.id, operator: op, price, role, committed: false, beacon: rec.beacon, draw, members });
    } else
      out.push({ type: 'assign', jobId: rec.job.id, operator: op, price, role, committed: false, beacon: rec.beacon, draw: rec.draws - 1 });
    // The declared max compute time caps the attempt (fees.md:29).
    if (p.capAtDeclaredTime) out.push({ type: 'timer', jobId: rec.job.id, at: s.now + declaredSeconds(rec.job, p), tag: TAG_CAP0 + op });
  }

  /** Assigns every waiting slot it can; returns how many still wait. */
  function fillSlots(s: RandomState, rec: JobRec, out: Decision[]): number {
    let waiting = 0;
    for (let si = 0; si < rec.slots.length; si++) {
      const slot = rec.slots[si]!;
      if (slot.status !== WAITING) continue;
      const members = rec.job.gang !== undefined && s.index.freeCount > 0 ? drawMembers(s, rec) : undefined;
      const op = members ? members[0]! : rec.job.gang === undefined && s.index.freeCount > 0 ? select(s, rec) : -1;
      if (op < 0) {
        waiting++;
        continue;
      }
      assign(s, rec, si, op, slot.round > 0 ? 'fallback' : si === 0 ? 'primary' : 'redundant', out, members);
    }
    return waiting;
  }

  return { eligibleFor, select, slotPay, protocolCut, assign, fillSlots };
}

/** Random allocation rules, part 2: the queue, last-resort races, exhausted slots and closing a job. */
function randomSlots(p: RandomParams, prior: ReturnType<typeof randomSelection>) {
  const { slotPay, fillSlots } = prior;
  function ensureDeadlineTimer(rec: JobRec, out: Decision[]): void {
    if (rec.timerSet) return;
    rec.timerSet = true;
    out.push({ type: 'timer', jobId: rec.job.id, at: rec.job.deadline, tag: TAG_DEADLINE });
  }

  /** Slots that could not be placed: queue them, or fail them at once. */
  function park(s: RandomState, rec: JobRec, out: Decision[]): void {
    if (p.onNoCapacity === 'fail' || rec.expired) {
      for (const slot of rec.slots) if (slot.status === WAITING) slot.status = FAILED;
      return;
    }
    if (rec.blocked) setAside(s, rec);
    else if (!rec.queued && !rec.aside) {
      rec.queued = true;
      s.queue.push(rec);
    }
    ensureDeadlineTimer(rec, out);
  }

  /** Moves a job every free eligible prover has tried out of the FIFO queue. */
  function setAside(s: RandomState, rec: JobRec): void {
    rec.queued = false;
    if (rec.aside) return;
    rec.aside = true;
    s.aside.push(rec);
  }

  /**
   * Offers the FIFO queue, oldest first, to the free provers. A job that free eligible provers exist
   * for, but every one of them has tried (declined, or failed), cannot be placed now: it waits
   * aside, so the jobs behind it proceed and the queue never stalls on a job that every prover
   * declines (a price below cost, say). See {@link retryAside} for when it is offered again.
   */
  function drain(s: RandomState, out: Decision[]): void {
    const q = s.queue;
    for (let i = s.qHead; i < q.length && s.index.freeCount > 0; i++) {
      const rec = q[i]!;
      if (!rec.queued) continue;
      if (fillSlots(s, rec, out) === 0) rec.queued = false;
      else if (rec.blocked) setAside(s, rec);
    }
    while (s.qHead < q.length && !q[s.qHead]!.queued) s.qHead++;
    if (s.qHead > 1024 && s.qHead * 2 > q.length) {
      s.queue = q.slice(s.qHead);
      s.qHead = 0;
    }
  }

  /**
   * Node `op` became free (or joined, or returned to the prover set) and the FIFO queue left it
   * free: it is offered the jobs waiting aside that it has not tried, oldest first. Only a prover
   * that has not tried a job can take it (a re-draw never picks a prover that tried the job), and
   * ZkCloud's fee is fixed at submission (gevulot-docs@0158025 `zkcloud-design/fees.md`: the fee is
   * locked from the declared resources and time), so no other event can change the answer.
   */
  function retryAside(s: RandomState, op: number, out: Decision[]): void {
    const a = s.aside;
    if (a.length === 0) return;
    let w = 0;
    for (let i = 0; i < a.length; i++) {
      const rec = a[i]!;
      if (rec.closed || rec.expired) {
        rec.aside = false;
        continue;
      }
      if (s.index.isFree(op) && !rec.tried.includes(op) && fillSlots(s, rec, out) === 0) {
        rec.aside = false;
        continue;
      }
      a[w++] = rec;
    }
    a.length = w;
  }

  function openRace(rec: JobRec, slot: Slot, out: Decision[]): void {
    slot.status = RACING;
    slot.op = -1;
    out.push({
      type: 'solicit',
      jobId: rec.job.id,
      mode: 'race',
      reward: slotPay(slot, rec),
      until: rec.job.deadline,
      exclude: rec.tried.slice(),
    });
    ensureDeadlineTimer(rec, out);
  }

  /** Every round of a slot failed. */
  function exhaust(rec: JobRec, slot: Slot, out: Decision[]): void {
    slot.status = FAILED;
    if (p.onExhausted === 'burn') out.push({ type: 'burn', jobId: rec.job.id, amount: rec.fee });
    else out.push({ type: 'refund', jobId: rec.job.id, amount: rec.fee });
  }

  function finishIfDone(s: RandomState, rec: JobRec, out: Decision[]): void {
    if (rec.closed) return;
    for (const slot of rec.slots) {
      if (slot.status === ASSIGNED || slot.status === WAITING || slot.status === CAPWAIT) return;
      if (slot.status === RACING && (slot.racers.length > 0 || !rec.expired)) return;
    }
    if (!rec.doneSent) {
      rec.doneSent = true;
      out.push({ type: 'done', jobId: rec.job.id, outcome: rec.expired ? 'expired' : 'failed', operator: -1 });
    }
    rec.closed = true;
    rec.queued = false;
    s.jobs.delete(rec.job.id);
    out.push({ type: 'close', jobId: rec.job.id });
  }

  function release(s: RandomState, op: number, rec: JobRec): void {
    unbind(s, op, rec);
  }

  return { ensureDeadlineTimer, park, drain, retryAside, openRace, exhaust, finishIfDone, release };
}

/** Random allocation rules, part 3: deliveries and failed attempts (fallback rounds, ejections). */
function randomReports(
  p: RandomParams,
  prior: ReturnType<typeof randomSelection> &
    ReturnType<typeof randomSlots> &
    Pick<ReturnType<typeof randomStake>, 'removeProver' | 'topUpFromFailed'>,
) {
  const {
    slotPay,
    protocolCut,
    fillSlots,
    park,
    drain,
    retryAside,
    openRace,
    exhaust,
    finishIfDone,
    release,
    removeProver,
    topUpFromFailed,
  } = prior;
  const { refundFromStake } = stakeRules(p);
  function onDeliver(s: RandomState, rec: JobRec, op: number, out: Decision[]): void {
    const si = slotOf(s, op, rec);
    const slot = rec.slots[si]!;
    release(s, op, rec);
    const id = rec.job.id;
    rec.deliveries++;
    const pay = slotPay(slot, rec);
    const cut = protocolCut(rec);
    if (cut > 0) out.push({ type: 'fee', jobId: id, amount: cut });
    if (slot.round > 0) {
      const refund = Math.floor(rec.fee * p.fallbackRefundShare);
      if (refund > 0) out.push({ type: 'refund', jobId: id, amount: refund });
      if (refundFromStake) topUpFromFailed(s, rec, slot.failedOps, refund, op, out);
      if (p.ejectOnFallbackSuccess) for (const bad of slot.failedOps) removeProver(s, bad, out);
    }
    if (pay > 0) out.push({ type: 'settle', jobId: id, operator: op, amount: pay, source: 'escrow' });
    // Network rewards, minted on top of the fee: Gevulot 2023's speed tiers (a share of the job's
    // fee pool by delivery order), ZkCloud's reward for an on-time proof (a share of the fee).
    const minted =
      (p.rewardTiers.length > 0 ? Math.floor(rec.pool * (p.rewardTiers[rec.deliveries - 1] ?? 0)) : 0) +
      feeShareReward(rec.fee, p.networkRewardShare);
    if (minted > 0 && s.now <= rec.job.deadline) out.push({ type: 'settle', jobId: id, operator: op, amount: minted, source: 'emission' });
    if (slot.status === RACING) {
      for (const r of slot.racers) {
        if (r === op) continue;
        release(s, r, rec);
        out.push({ type: 'abort', jobId: id, operator: r });
      }
      slot.racers = NONE;
    }
    slot.status = DELIVERED;
    slot.op = op;
    if (!rec.doneSent) {
      rec.doneSent = true;
      out.push({ type: 'done', jobId: id, outcome: 'delivered', operator: op });
    }
    finishIfDone(s, rec, out);
  }

  function onFail(s: RandomState, rec: JobRec, op: number, out: Decision[]): void {
    const slot = rec.slots[slotOf(s, op, rec)]!;
    release(s, op, rec);
    if (slot.failedOps === NONE) slot.failedOps = [];
    slot.failedOps.push(op);
    if (p.capAtDeclaredTime && slot.status === ASSIGNED) {
      // Nobody knows the attempt failed until its max compute time is up: the fallback starts then.
      slot.status = CAPWAIT;
      return;
    }
    afterFailure(s, rec, slot, out);
  }

  /** A slot's prover failed (or ran out of compute time): fallback, last-resort race, or exhaustion. */
  function afterFailure(s: RandomState, rec: JobRec, slot: Slot, out: Decision[]): void {
    if (slot.status === RACING) {
      const i = slot.racers.indexOf(slot.failedOps[slot.failedOps.length - 1]!);
      if (i >= 0) slot.racers.splice(i, 1);
      if (slot.racers.length === 0 && rec.expired) exhaust(rec, slot, out);
    } else if (slot.round < p.fallbackRounds) {
      slot.round++;
      slot.status = WAITING;
      if (fillSlots(s, rec, out) > 0) park(s, rec, out);
    } else if (p.lastResortRace) {
      openRace(rec, slot, out);
    } else {
      exhaust(rec, slot, out);
    }
    finishIfDone(s, rec, out);
  }

  /**
   * The max compute time of `op`'s attempt is up: a running attempt is stopped and fails; a failed
   * one's fallback starts. A prover that never answers is caught here too: it holds the job until
   * then (there is no acceptance input), and is removed if the fallback succeeds.
   */
  function onCap(s: RandomState, rec: JobRec, op: number, out: Decision[]): void {
    for (const slot of rec.slots) {
      if (slot.op !== op) continue;
      if (slot.status === ASSIGNED && holds(s, op, rec)) {
        out.push({ type: 'abort', jobId: rec.job.id, operator: op });
        release(s, op, rec);
        if (s.ejected[op] !== true) s.index.setFree(op, true);
        if (slot.failedOps === NONE) slot.failedOps = [];
        slot.failedOps.push(op);
        afterFailure(s, rec, slot, out);
      } else if (slot.status === CAPWAIT) {
        slot.status = ASSIGNED;
        afterFailure(s, rec, slot, out);
      } else continue;
      finishIfDone(s, rec, out);
      drain(s, out);
      retryAside(s, op, out);
      return;
    }
  }

  return { onDeliver, onFail, onCap };
}

/** Random allocation rules, part 3b: stake, removal from the prover set and re-staking. */
function randomStake(p: RandomParams, prior: Pick<ReturnType<typeof randomSlots>, 'drain' | 'retryAside'>) {
  const { drain, retryAside } = prior;
  const { staking } = stakeRules(p);
  /** Removes a prover from the set: for good (`eject`), or until it re-stakes (`restakeAfter`). */
  function removeProver(s: RandomState, op: number, out: Decision[]): void {
    if (s.ejected[op] === true) return;
    s.ejected[op] = true;
    s.index.remove(op);
    if (p.restakeAfter >= 0) out.push({ type: 'timer', jobId: EPOCH_JOB, at: s.now + p.restakeAfter, tag: TAG_READMIT0 + op });
    else out.push({ type: 'eject', operator: op });
  }

  /** A removed prover re-stakes from its capital and returns to the set, if it can. */
  function readmit(s: RandomState, op: number, out: Decision[]): void {
    if (s.ejected[op] !== true || !s.capacity[op]) return;
    if (staking && !stake.restake(s.stakes, op, s.now)) return;
    s.ejected[op] = false;
    s.index.add(op, packs(s.pack, op) ? spare(s.pack!, op) : s.capacity[op]!);
    if (idle(s, op) || packs(s.pack, op)) {
      s.index.setFree(op, true);
      drain(s, out);
      retryAside(s, op, out);
    }
  }

  /**
   * ZkCloud after a fallback success: the requester gets `amount` back and the fallback prover still
   * receives the regular fee (provers.md:51-52). The docs do not say who pays the difference; pmsim
   * takes it from the failed prover's stake (posted into the job's escrow and slashed to the
   * fallback prover `to`), as far as that stake goes.
   */
  function topUpFromFailed(s: RandomState, rec: JobRec, failed: readonly number[], amount: Micros, to: number, out: Decision[]): void {
    let left = amount;
    for (const bad of failed) {
      const take = Math.min(left, Math.max(0, stake.freeStake(s.stakes, bad)));
      if (take <= 0) continue;
      stake.reserve(s.stakes, bad, take);
      stake.unreserve(s.stakes, bad, take, take);
      out.push({ type: 'collateral', jobId: rec.job.id, operator: bad, amount: take });
      out.push({ type: 'slash', jobId: rec.job.id, operator: bad, burn: 0, toOperator: to, reward: take, toTreasury: 0 });
      left -= take;
    }
  }
  return { removeProver, readmit, topUpFromFailed };
}

/** Random allocation rules, part 4: declines, submissions, the deadline and race joins. */
function randomDeclines(
  p: RandomParams,
  prior: ReturnType<typeof randomSelection> &
    ReturnType<typeof randomSlots> &
    Pick<ReturnType<typeof randomReports>, 'onDeliver' | 'onFail'> &
    Pick<ReturnType<typeof randomStake>, 'removeProver'>,
) {
  const { slotPay, fillSlots, park, drain, retryAside, openRace, exhaust, finishIfDone, release, removeProver } = prior;
  /** Counts a decline; a prover over the limit is removed from the prover set. */
  function countDecline(s: RandomState, op: number, now: Seconds, out: Decision[]): boolean {
    let list = s.declines.get(op);
    if (!list) s.declines.set(op, (list = []));
    const keep = Math.max(p.declineWindow, p.maxDeclinesShort >= 0 ? p.declineWindowShort : 0);
    while (list.length > 0 && list[0]! <= now - keep) list.shift();
    list.push(now);
    let month = 0;
    let week = 0;
    for (const t of list) {
      if (t > now - p.declineWindow) month++;
      if (t > now - p.declineWindowShort) week++;
    }
    // ZkCloud: "at most one workload a week, or four workloads a month" (provers.md:41).
    if (month <= p.maxDeclines && (p.maxDeclinesShort < 0 || week <= p.maxDeclinesShort)) return false;
    removeProver(s, op, out);
    return true;
  }

  function onDecline(s: RandomState, rec: JobRec, op: number, now: Seconds, out: Decision[]): void {
    const slot = rec.slots[slotOf(s, op, rec)]!;
    release(s, op, rec);
    if (!countDecline(s, op, now, out) && s.ejected[op] !== true) s.index.setFree(op, true);
    if (p.declineToRace) {
      openRace(rec, slot, out);
    } else {
      slot.status = WAITING;
      if (fillSlots(s, rec, out) > 0) park(s, rec, out);
    }
    finishIfDone(s, rec, out);
    drain(s, out);
    retryAside(s, op, out);
  }

  function onSubmit(s: RandomState, job: Job, out: Decision[]): void {
    const k = Math.min(3, Math.max(1, Math.floor(job.redundancy)));
    const fee = slotFee(job, p);
    if (fee * k > job.maxPrice) {
      out.push({ type: 'done', jobId: job.id, outcome: 'rejected', operator: -1 });
      out.push({ type: 'close', jobId: job.id });
      return;
    }
    // An exact-size array: pushing into [] would allocate room for 16 slots.
    const slots: Slot[] = new Array<Slot>(k);
    for (let i = 0; i < k; i++) slots[i] = { status: WAITING, op: -1, round: 0, failedOps: NONE, racers: NONE };
    const rec: JobRec = {
      job,
      fee,
      pool: fee * k,
      beacon: s.lastBeacon,
      beaconWords: s.lastBeaconWords,
      draws: 0,
      slots,
      tried: NONE,
      deliveries: 0,
      doneSent: false,
      closed: false,
      queued: false,
      aside: false,
      blocked: false,
      timerSet: false,
      expired: false,
      profiles: NONE,
      profilesVersion: -1,
    };
    s.jobs.set(job.id, rec);
    const waiting = fillSlots(s, rec, out);
    // No slot placed at submission under `onNoCapacity: fail`: refused at submission, so `rejected`
    // (the README's outcome definitions: "no capacity" is a rejection, not a failed attempt).
    if (waiting === k && p.onNoCapacity === 'fail') {
      s.jobs.delete(job.id);
      out.push({ type: 'done', jobId: job.id, outcome: 'rejected', operator: -1 });
      out.push({ type: 'close', jobId: job.id });
      return;
    }
    if (waiting > 0) park(s, rec, out);
    finishIfDone(s, rec, out);
  }

  function onTimer(s: RandomState, rec: JobRec, out: Decision[]): void {
    rec.expired = true;
    rec.queued = false;
    for (const slot of rec.slots) {
      if (slot.status === WAITING) slot.status = FAILED;
      // A race nobody joined: if a prover had failed the slot, its fee goes the way of a failure.
      else if (slot.status === RACING && slot.racers.length === 0) {
        if (slot.failedOps.length > 0) exhaust(rec, slot, out);
        else slot.status = FAILED;
      }
    }
    finishIfDone(s, rec, out);
  }

  function onJoinRace(s: RandomState, rec: JobRec, op: number, out: Decision[]): RefusalReason | undefined {
    if (rec.tried.includes(op)) return 'already';
    if (!canTake(s, op, rec)) return 'taken';
    for (let si = 0; si < rec.slots.length; si++) {
      const slot = rec.slots[si]!;
      if (slot.status !== RACING) continue;
      bind(s, op, rec, si);
      rec.tried.push(op);
      if (slot.racers === NONE) slot.racers = [];
      slot.racers.push(op);
      out.push({ type: 'assign', jobId: rec.job.id, operator: op, price: slotPay(slot, rec), role: 'racer', committed: true });
      return undefined;
    }
    return 'late'; // no slot is racing (any more)
  }

  /** The open job an operator's answer is about, or why there is none for it. */
  function heldBy(s: RandomState, jobId: number, op: number): JobRec | RefusalReason {
    const rec = s.jobs.get(jobId);
    if (!rec || rec.closed) return 'unknown-job';
    return holds(s, op, rec) ? rec : 'not-assigned';
  }
  return { countDecline, onDecline, onSubmit, onTimer, onJoinRace, heldBy };
}
