import { FreeIndex } from '../free-index.js';
import { canEverFit, takeGang } from '../gang.js';
import { resolveParams } from '../resolve-params.js';
import type { Decision, Handlers, Job, Mechanism, Micros, OperatorInfo, ProtocolState, Random, RefusalReason, Seconds } from '../types.js';
import { defineMechanism, fits, gangSize, seenIds } from '../types.js';
import { bondMicros, lateSplit, wrongProofSplit } from './bonds.js';
import { type ContestableParams, contestableDefaults, contestablePresets } from './params.js';

export { afterFriction, bondMicros, lateSplit, wrongProofSplit } from './bonds.js';
export { type ContestableParams, contestableDefaults, contestablePresets } from './params.js';

/** Timer tag: the assigned prover's proving window ends. */
export const CT_TAG_WINDOW = 1;
/** Timer tag: the job's deadline. */
export const CT_TAG_DEADLINE = 2;
/** Timer tag: a contester contests the pending proof. */
export const CT_TAG_CONTEST = 3;
/** Timer tag: the pending proof's cooldown ends. */
export const CT_TAG_COOLDOWN = 4;
/** Timer tag: the higher-tier proof resolves the contest. */
export const CT_TAG_RESOLVE = 5;

/**
 * Where a job is. `queued`: waiting for a free node to be its assigned prover; `assigned`: the
 * assigned prover's exclusive window; `open`: after the window, anyone may prove; `cooling`: a proof
 * is in, contestable until the cooldown ends; `contested`: waiting for the higher-tier resolution;
 * `reopened`: a contest proved the proof wrong, anyone may deliver the final proof.
 */
type Phase = 'queued' | 'assigned' | 'open' | 'cooling' | 'contested' | 'reopened' | 'closed';

interface CtJob {
  readonly job: Job;
  phase: Phase;
  /** The assigned prover, -1 before assignment. */
  assigned: number;
  /** Whether the assigned prover is still working on it. */
  assignedWorking: boolean;
  /** Failed attempts of the assigned prover. */
  failures: number;
  /** The open (or final) prover working on it, -1: none. */
  openWorker: number;
  /** Waiting in the open list for a free node. */
  waiting: boolean;
  /** Liveness bond held, micro-USD. */
  bond: Micros;
  /** Nodes that may not take the open job (declined, failed, proved it wrong). */
  excluded: number[];
  /** The prover of the pending proof, and its validity bond held. */
  prover: number;
  validity: Micros;
  /** Drawn at the proof: is it wrong, will it be contested. */
  wrong: boolean;
  contest: boolean;
  contester: number;
  contestBond: Micros;
  /** Left of the wrong prover's validity bond for the final prover (`reopened`). */
  reprove: Micros;
  doneSent: boolean;
}

/** The mechanism-owned state of contestable proving. */
export interface ContestableState extends ProtocolState {
  index: FreeIndex;
  capacities: OperatorInfo['capacity'][];
  jobs: Map<number, CtJob>;
  /** Jobs waiting for an assigned prover, FIFO (lazy deletion from `qHead`). */
  queue: CtJob[];
  qHead: number;
  /** Open jobs waiting for a free node, FIFO. */
  openWait: CtJob[];
  /** Node id → the job it works on. */
  nodeJob: (CtJob | undefined)[];
  /** Nodes in the network, ascending (contesters are drawn from them). */
  active: number[];
  scratch: number[];
}

/** Checks the parameters a scenario cannot check one by one. */
function validate(p: ContestableParams): void {
  if (!(p.provingWindow > 0)) throw new RangeError('contestable: provingWindow must be > 0');
  if (!(p.openRewardBps >= 0 && p.openRewardBps <= 10_000)) throw new RangeError('contestable: openRewardBps must be 0-10000');
  for (const k of ['livenessBond', 'validityBond', 'contestBond', 'cooldown', 'contestDelay', 'resolveDelay', 'taikoUsd'] as const) {
    if (!(p[k] >= 0)) throw new RangeError(`contestable: ${k} must be ≥ 0`);
  }
  if (!(Number.isInteger(p.retries) && p.retries >= 0)) throw new RangeError('contestable: retries must be an integer ≥ 0');
  for (const k of ['invalidProofProb', 'falseContestProb', 'priceShare'] as const) {
    if (!(p[k] >= 0 && p[k] <= 1)) throw new RangeError(`contestable: ${k} must be 0-1`);
  }
}

/**
 * Contestable assigned proving (mechanism id `contestable`), after Taiko's based contestable
 * rollup (taikoxyz/taiko-mono; commits and files in docs/mechanisms/contestable.md):
 * - a job's assigned prover (pmsim: the first free compatible node, FIFO; Taiko: the prover the
 *   block proposer signed up, or the proposer itself) is paid the proving fee at assignment, posts a
 *   liveness bond and has an exclusive proving window;
 * - a proof in the window gets the bond back; after the window anyone may prove, and the prover of
 *   record gets `openRewardBps` of the late bond, the rest burned;
 * - a proof posts a validity bond and may be contested during the cooldown with a contest bond; a
 *   higher-tier (guardian) proof resolves the contest `resolveDelay` later: a correct proof gets its
 *   bond back and the contester loses its bond to the protocol; a wrong proof's bond pays the
 *   contester 3/4 and the final prover 1/4 of 7/8, and the job reopens for that final proof.
 */
export function contestable(params: Partial<ContestableParams> & { preset?: string } = {}): Mechanism<ContestableState> {
  const p: ContestableParams = resolveParams('contestable', contestableDefaults, contestablePresets, params);
  validate(p);
  const preset = params.preset;
  const liveness = bondMicros(p.livenessBond, p.taikoUsd);
  const validityBond = bondMicros(p.validityBond, p.taikoUsd);
  const contestBond = bondMicros(p.contestBond, p.taikoUsd);
  const hasValidity = p.cooldown > 0 && (validityBond > 0 || contestBond > 0);
  const contests = p.cooldown > 0 && contestBond > 0 && p.contestDelay < p.cooldown;
  const fee = (job: Job): Micros => Math.round(job.maxPrice * p.priceShare);

  function finish(s: ContestableState, rec: CtJob, outcome: 'delivered' | 'expired' | 'rejected', node: number, out: Decision[]): void {
    if (!rec.doneSent) out.push({ type: 'done', jobId: rec.job.id, outcome, operator: node });
    rec.doneSent = true;
    rec.phase = 'closed';
    rec.waiting = false;
    s.jobs.delete(rec.job.id);
    out.push({ type: 'close', jobId: rec.job.id });
  }

  function freeNode(s: ContestableState, node: number): void {
    s.nodeJob[node] = undefined;
    if (s.index.has(node)) s.index.setFree(node, true);
  }

  /** The first free compatible node not in `skip`, or -1. */
  function firstFree(s: ContestableState, rec: CtJob, skip: readonly number[]): number {
    const profiles = s.index.eligibleProfiles(rec.job.request, s.scratch);
    const n = s.index.countFree(profiles);
    for (let k = 0; k < n; k++) {
      const node = s.index.kth(profiles, k);
      if (!skip.includes(node)) return node;
    }
    return -1;
  }

  /**
   * Takes the node(s) for an assignment: one node, or for a gang job the first N free compatible
   * nodes not in `skip` (`takeGang`, lead first, all marked busy), as for the assigned prover.
   * Undefined when not enough are free.
   */
  function takeNodes(s: ContestableState, rec: CtJob, skip: readonly number[]): readonly number[] | undefined {
    if (rec.job.gang === undefined) {
      const node = firstFree(s, rec, skip);
      if (node < 0) return undefined;
      s.index.setFree(node, false);
      return [node];
    }
    return takeGang(s.index, s.index.eligibleProfiles(rec.job.request, s.scratch), gangSize(rec.job), skip);
  }

  /** Assigns a queued job to its prover: fee paid, liveness bond posted, window opened. */
  function assignProver(s: ContestableState, rec: CtJob, now: Seconds, out: Decision[]): boolean {
    const members = takeNodes(s, rec, []);
    if (!members) return false;
    const node = members[0]!;
    s.nodeJob[node] = rec;
    const id = rec.job.id;
    rec.phase = 'assigned';
    rec.assigned = node;
    rec.assignedWorking = true;
    rec.bond = liveness;
    if (liveness > 0) out.push({ type: 'collateral', jobId: id, operator: node, amount: liveness });
    const price = fee(rec.job);
    if (price > 0) out.push({ type: 'settle', jobId: id, operator: node, amount: price, source: 'escrow' });
    out.push({ type: 'assign', jobId: id, operator: node, price, role: 'primary', committed: true, ...gang(rec, members) });
    out.push({ type: 'timer', jobId: id, at: now + p.provingWindow, tag: CT_TAG_WINDOW });
    return true;
  }

  /** Offers an open (or reopened) job to the first free node not excluded; it may decline. */
  function assignOpen(s: ContestableState, rec: CtJob, out: Decision[]): boolean {
    const members = takeNodes(s, rec, rec.excluded);
    if (!members) return false;
    const node = members[0]!;
    s.nodeJob[node] = rec;
    rec.openWorker = node;
    rec.waiting = false;
    const price = rec.phase === 'open' ? lateSplit(rec.bond, p.openRewardBps).reward : rec.reprove;
    out.push({ type: 'assign', jobId: rec.job.id, operator: node, price, role: 'fallback', committed: false, ...gang(rec, members) });
    return true;
  }

  function openUp(s: ContestableState, rec: CtJob, out: Decision[]): void {
    if (rec.openWorker >= 0 || rec.waiting) return;
    if (!assignOpen(s, rec, out)) {
      rec.waiting = true;
      s.openWait.push(rec);
    }
  }

  /** Serves waiting jobs while nodes are free: open jobs first, then the assignment queue. */
  function drain(s: ContestableState, now: Seconds, out: Decision[]): void {
    for (let i = 0; i < s.openWait.length && s.index.freeCount > 0; i++) {
      const rec = s.openWait[i]!;
      if (!rec.waiting || assignOpen(s, rec, out)) s.openWait.splice(i--, 1);
    }
    const q = s.queue;
    for (let i = s.qHead; i < q.length && s.index.freeCount > 0; i++) {
      const rec = q[i]!;
      if (rec.phase === 'queued') assignProver(s, rec, now, out);
    }
    while (s.qHead < q.length && q[s.qHead]!.phase !== 'queued') s.qHead++;
    if (s.qHead > 1024 && s.qHead * 2 > q.length) {
      s.queue = q.slice(s.qHead);
      s.qHead = 0;
    }
  }

  function stopWork(s: ContestableState, rec: CtJob, except: number, out: Decision[]): void {
    const id = rec.job.id;
    for (const node of [rec.assignedWorking ? rec.assigned : -1, rec.openWorker]) {
      if (node < 0 || node === except || s.nodeJob[node] !== rec) continue;
      out.push({ type: 'abort', jobId: id, operator: node });
      freeNode(s, node);
    }
    rec.assignedWorking = false;
    rec.openWorker = -1;
  }

  /** A proof is in: the validity stage (bond, draws, cooldown), or final at once. */
  function proved(s: ContestableState, rec: CtJob, node: number, now: Seconds, random: Random, out: Decision[]): void {
    const id = rec.job.id;
    rec.prover = node;
    if (!hasValidity) return finish(s, rec, 'delivered', node, out);
    rec.validity = validityBond;
    if (validityBond > 0) out.push({ type: 'collateral', jobId: id, operator: node, amount: validityBond });
    // Two draws per proof whatever the outcome, so that streams stay aligned across parameters.
    const u = random.next();
    const v = random.next();
    rec.wrong = u < p.invalidProofProb;
    rec.contest = contests && (rec.wrong || v < p.falseContestProb);
    rec.phase = 'cooling';
    out.push({ type: 'timer', jobId: id, at: now + p.cooldown, tag: CT_TAG_COOLDOWN });
    if (rec.contest) out.push({ type: 'timer', jobId: id, at: now + p.contestDelay, tag: CT_TAG_CONTEST });
    else {
      out.push({ type: 'done', jobId: id, outcome: 'delivered', operator: node });
      rec.doneSent = true;
    }
  }

  /** The job the node works on, or why an answer about `jobId` from it changes nothing. */
  function held(s: ContestableState, node: number, jobId: number): CtJob | RefusalReason {
    const rec = s.nodeJob[node];
    if (!rec || rec.job.id !== jobId) return s.jobs.has(jobId) ? 'not-assigned' : 'unknown-job';
    return rec;
  }

  /** Removes the node from the job's workers (its attempt ended). */
  function leaveWork(s: ContestableState, rec: CtJob, node: number): void {
    freeNode(s, node);
    if (rec.assigned === node) rec.assignedWorking = false;
    if (rec.openWorker === node) rec.openWorker = -1;
  }

  function deliver(s: ContestableState, rec: CtJob, node: number, now: Seconds, random: Random, out: Decision[]): void {
    const id = rec.job.id;
    leaveWork(s, rec, node);
    stopWork(s, rec, node, out);
    if (rec.phase === 'assigned') {
      // In the window: the liveness bond comes back (LibProving.sol `_returnLivenessBond` @c190bcf9).
      if (rec.bond > 0) out.push({ type: 'release', jobId: id, operator: rec.assigned, amount: rec.bond });
    } else if (rec.phase === 'open') {
      const { reward, burn } = lateSplit(rec.bond, p.openRewardBps);
      if (rec.bond > 0) out.push({ type: 'slash', jobId: id, operator: rec.assigned, burn, toOperator: node, reward, toTreasury: 0 });
    } else {
      // Reopened: the final proof (a higher tier, not contestable) earns the wrong prover's last quarter.
      if (rec.reprove > 0)
        out.push({ type: 'slash', jobId: id, operator: rec.prover, burn: 0, toOperator: node, reward: rec.reprove, toTreasury: 0 });
      rec.reprove = 0;
      return finish(s, rec, 'delivered', node, out);
    }
    rec.bond = 0;
    proved(s, rec, node, now, random, out);
  }

  function expire(s: ContestableState, rec: CtJob, out: Decision[]): void {
    const id = rec.job.id;
    stopWork(s, rec, -1, out);
    // Not late by the protocol's window: the bond comes back. Late and never proved: burned, nobody earned it.
    if (rec.bond > 0 && rec.phase === 'assigned') out.push({ type: 'release', jobId: id, operator: rec.assigned, amount: rec.bond });
    if (rec.bond > 0 && rec.phase === 'open')
      out.push({ type: 'slash', jobId: id, operator: rec.assigned, burn: rec.bond, toOperator: -1, reward: 0, toTreasury: 0 });
    if (rec.reprove > 0)
      out.push({ type: 'slash', jobId: id, operator: rec.prover, burn: 0, toOperator: -1, reward: 0, toTreasury: rec.reprove });
    rec.bond = 0;
    rec.reprove = 0;
    finish(s, rec, 'expired', -1, out);
  }

  /** A contester (drawn among the other nodes) posts its bond; the resolution is scheduled. */
  function contest(s: ContestableState, rec: CtJob, now: Seconds, random: Random, out: Decision[]): void {
    const others = s.active.length - (s.active.includes(rec.prover) ? 1 : 0);
    const u = random.next();
    if (others <= 0) {
      rec.contest = false;
      out.push({ type: 'done', jobId: rec.job.id, outcome: 'delivered', operator: rec.prover });
      rec.doneSent = true;
      return;
    }
    let k = Math.min(others - 1, Math.floor(u * others));
    let contester = -1;
    for (const n of s.active) {
      if (n === rec.prover) continue;
      if (k-- === 0) {
        contester = n;
        break;
      }
    }
    rec.contester = contester;
    rec.contestBond = contestBond;
    rec.phase = 'contested';
    out.push({ type: 'collateral', jobId: rec.job.id, operator: contester, amount: contestBond });
    out.push({ type: 'timer', jobId: rec.job.id, at: now + p.resolveDelay, tag: CT_TAG_RESOLVE });
  }

  function resolve(s: ContestableState, rec: CtJob, now: Seconds, out: Decision[]): void {
    const id = rec.job.id;
    if (!rec.wrong) {
      // The contested proof holds: its bond back; the contest bond to the guardian prover (7/8) and friction (1/8).
      if (rec.validity > 0) out.push({ type: 'release', jobId: id, operator: rec.prover, amount: rec.validity });
      out.push({ type: 'slash', jobId: id, operator: rec.contester, burn: 0, toOperator: -1, reward: 0, toTreasury: rec.contestBond });
      return finish(s, rec, 'delivered', rec.prover, out);
    }
    const split = wrongProofSplit(rec.validity);
    out.push({ type: 'release', jobId: id, operator: rec.contester, amount: rec.contestBond });
    if (rec.validity > 0)
      out.push({
        type: 'slash',
        jobId: id,
        operator: rec.prover,
        burn: 0,
        toOperator: rec.contester,
        reward: split.contester,
        toTreasury: split.protocol,
      });
    rec.reprove = split.reprover;
    rec.phase = 'reopened';
    rec.excluded.push(rec.prover);
    if (now >= rec.job.deadline) return expire(s, rec, out);
    openUp(s, rec, out);
  }

  const handlers: Handlers<ContestableState> = {
    submit: (s, input, now, _r, out) => {
      const job = input.job;
      const rec: CtJob = {
        job,
        phase: 'queued',
        assigned: -1,
        assignedWorking: false,
        failures: 0,
        openWorker: -1,
        waiting: false,
        bond: 0,
        excluded: [],
        prover: -1,
        validity: 0,
        wrong: false,
        contest: false,
        contester: -1,
        contestBond: 0,
        reprove: 0,
        doneSent: false,
      };
      const feasible = job.gang !== undefined ? canEverFit(s.capacities, job) : s.capacities.some((c) => fits(c, job.request));
      if (!feasible) return finish(s, rec, 'rejected', -1, out);
      s.jobs.set(job.id, rec);
      out.push({ type: 'timer', jobId: job.id, at: Math.max(now, job.deadline), tag: CT_TAG_DEADLINE });
      if (!assignProver(s, rec, now, out)) s.queue.push(rec);
    },
    deliver: (s, input, now, random, out) => {
      const rec = held(s, input.operator, input.jobId);
      if (typeof rec === 'string') return rec;
      deliver(s, rec, input.operator, now, random, out);
      drain(s, now, out);
      return undefined;
    },
    fail: (s, input, now, _r, out) => {
      const rec = held(s, input.operator, input.jobId);
      if (typeof rec === 'string') return rec;
      const wasOpen = rec.openWorker === input.operator;
      // A gang's members report `available` after a failure: only a single-node prover restarts in place.
      if (rec.phase === 'assigned' && rec.failures < p.retries && rec.job.gang === undefined) {
        // Its bond at stake, the assigned prover starts again (no second fee): it keeps the node.
        rec.failures++;
        out.push({ type: 'assign', jobId: rec.job.id, operator: input.operator, price: 0, role: 'primary', committed: true });
        return undefined;
      }
      leaveWork(s, rec, input.operator);
      // Out of retries, the assigned prover's bond stays at stake until the window ends; a failed open prover steps aside.
      if (wasOpen) {
        rec.excluded.push(input.operator);
        openUp(s, rec, out);
      }
      drain(s, now, out);
      return undefined;
    },
    decline: (s, input, now, _r, out) => {
      const rec = held(s, input.operator, input.jobId);
      if (typeof rec === 'string') return rec;
      // The assigned prover signed up for the job: it cannot decline.
      if (rec.openWorker !== input.operator) return 'invalid';
      leaveWork(s, rec, input.operator);
      rec.excluded.push(input.operator);
      openUp(s, rec, out);
      drain(s, now, out);
      return undefined;
    },
    available: (s, input, now, _r, out) => {
      if (s.nodeJob[input.operator] === undefined && s.index.has(input.operator)) {
        s.index.setFree(input.operator, true);
        drain(s, now, out);
      }
    },
    join: (s, input, now, _r, out) => {
      const id = input.operator.id;
      s.index.add(id, input.operator.capacity);
      s.index.setFree(id, s.nodeJob[id] === undefined);
      s.capacities.push(input.operator.capacity);
      if (!s.active.includes(id)) s.active.splice(sortedAt(s.active, id), 0, id);
      drain(s, now, out);
    },
    leave: (s, input) => {
      // Work in progress finishes (its deliver or fail still counts); the node takes no new job.
      s.index.remove(input.operator);
      const at = s.active.indexOf(input.operator);
      if (at >= 0) s.active.splice(at, 1);
    },
    timer: (s, input, now, random, out) => {
      const rec = s.jobs.get(input.jobId);
      if (!rec) return;
      const t = input.tag;
      if (t === CT_TAG_WINDOW && rec.phase === 'assigned') {
        rec.phase = 'open';
        openUp(s, rec, out);
      } else if (
        t === CT_TAG_DEADLINE &&
        (rec.phase === 'queued' || rec.phase === 'assigned' || rec.phase === 'open' || rec.phase === 'reopened')
      ) {
        expire(s, rec, out);
      } else if (t === CT_TAG_CONTEST && rec.phase === 'cooling' && rec.contest) {
        contest(s, rec, now, random, out);
      } else if (t === CT_TAG_COOLDOWN && rec.phase === 'cooling') {
        // Uncontested through the cooldown: the proof is final and its validity bond comes back.
        if (rec.validity > 0) out.push({ type: 'release', jobId: rec.job.id, operator: rec.prover, amount: rec.validity });
        finish(s, rec, 'delivered', rec.prover, out);
      } else if (t === CT_TAG_RESOLVE && rec.phase === 'contested') {
        resolve(s, rec, now, out);
      }
      drain(s, now, out);
    },
  };

  return defineMechanism<ContestableState>({
    type: 'contestable',
    params: { ...p, ...(preset ? { preset } : {}) },
    init(operators: readonly OperatorInfo[]): ContestableState {
      const index = new FreeIndex(operators.length + 1);
      for (const o of operators) {
        index.add(o.id, o.capacity);
        index.setFree(o.id, true);
      }
      return {
        seen: seenIds(),
        index,
        capacities: operators.map((o) => o.capacity),
        jobs: new Map(),
        queue: [],
        qHead: 0,
        openWait: [],
        nodeJob: [],
        active: operators.map((o) => o.id).sort((a, b) => a - b),
        scratch: [],
      };
    },
    handlers,
  });
}

/** The `members` field of a gang job's assignment (docs/gang.md), nothing for a single-node job. */
function gang(rec: { readonly job: Job }, members: readonly number[]): { members?: readonly number[] } {
  return rec.job.gang === undefined ? {} : { members };
}

/** Where `id` goes in an ascending list. */
function sortedAt(list: readonly number[], id: number): number {
  let i = 0;
  while (i < list.length && list[i]! < id) i++;
  return i;
}
