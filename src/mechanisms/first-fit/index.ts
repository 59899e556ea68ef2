import { DenseTable } from '../dense-table.js';
import { resolveParams } from '../resolve-params.js';
import { FreeIndex } from '../free-index.js';
import type { Decision, Handlers, Job, Mechanism, OperatorInfo, ProtocolState, RefusalReason } from '../types.js';
import { defineMechanism, fits, seenIds } from '../types.js';
import { addNode, give, occupancy, packBook, packs, spare, take, type PackBook } from '../packing.js';
import { firstFitDefaults, firstFitPresets, type FirstFitParams } from './params.js';
import { firstFitGang } from './gang.js';
import { canEverFit } from '../gang.js';

export { firstFitDefaults, firstFitPresets, type FirstFitParams } from './params.js';

/** Does any of the capacities fit the request? (A loop, not `some`: no closure per job.) */
function fitsAny(capacities: readonly OperatorInfo['capacity'][], request: Job['request']): boolean {
  for (let i = 0; i < capacities.length; i++) if (fits(capacities[i]!, request)) return true;
  return false;
}

/** Timer tag: the seeker's time limit. */
export const FF_TAG_LIMIT = 1;

interface FfJob {
  readonly job: Job;
  /** Failed attempts so far. */
  failures: number;
  /** The node proving it, -1 while queued. */
  node: number;
  queued: boolean;
  done: boolean;
  /** Nodes that declined it (only without availability commitments). */
  declined: number[];
}

/** The mechanism-owned state of first-fit assignment. */
export interface FirstFitState extends ProtocolState {
  index: FreeIndex;
  /** Capacities of every node that ever joined (to reject a job no node could ever run). */
  capacities: OperatorInfo['capacity'][];
  /** By job id (dense: a Map's rehashed tables, promoted, kept every later job alive until a full GC). */
  jobs: DenseTable<FfJob>;
  /** FIFO of waiting jobs (lazy deletion). */
  queue: FfJob[];
  qHead: number;
  /** Jobs to re-assign after a failure or a decline: served before the queue. */
  retry: FfJob[];
  /** Node id → the job it proves. */
  nodeJob: (FfJob | undefined)[];
  scratch: number[];
  /** Spare resources of the concurrent nodes (issue 13): absent when no node packs. */
  pack?: PackBook;
}

/**
 * First-fit assignment (mechanism id `first-fit`), Fermah's Matchmaker
 * (docs.fermah.xyz/network/proof-request-life-cycle): it "runs through the list of available
 * Operators and assigns a given task to the first one that has a compatible hardware configuration
 * (one that is equivalent or stronger than the required configuration)". The list is in node id
 * (registration) order; a job that finds no free compatible node waits in a FIFO queue. A job not
 * delivered within the seeker's time limit is `rejected` (its attempt aborted, nothing paid).
 * Operators have committed availability when they registered, so assignments are `committed`.
 * On identical nodes, with no limit, it is an M/G/c FIFO queue.
 */
export function firstFit(params: Partial<FirstFitParams> & { preset?: string } = {}): Mechanism<FirstFitState> {
  const p = firstFitParams(params);
  const preset = params.preset;
  const { end, place, drain, freeNode, held, requeue } = firstFitRules(p);

  const handlers: Handlers<FirstFitState> = {
    submit: (s, input, now, _r, out) => {
      const job = input.job;
      const rec: FfJob = { job, failures: 0, node: -1, queued: false, done: false, declined: [] };
      if (job.gang !== undefined ? !canEverFit(s.capacities, job) : !fitsAny(s.capacities, job.request)) {
        end(s, rec, 'rejected', -1, out);
        return;
      }
      s.jobs.set(job.id, rec);
      const limit = p.limit === 'deadline' ? job.deadline : p.timeout > 0 ? now + p.timeout : Infinity;
      if (Number.isFinite(limit)) out.push({ type: 'timer', jobId: job.id, at: Math.max(now, limit), tag: FF_TAG_LIMIT });
      if (!place(s, rec, out)) {
        rec.queued = true;
        s.queue.push(rec);
      }
    },
    deliver: (s, input, _now, _r, out) => {
      const rec = held(s, input.operator, input.jobId);
      if (typeof rec === 'string') return rec;
      const id = rec.job.id;
      const price = Math.round(rec.job.maxPrice * p.priceShare);
      const fee = Math.floor((price * p.protocolFeeBps) / 10_000);
      if (price - fee > 0) out.push({ type: 'settle', jobId: id, operator: input.operator, amount: price - fee, source: 'escrow' });
      if (fee > 0) out.push({ type: 'fee', jobId: id, amount: fee });
      freeNode(s, input.operator, rec);
      end(s, rec, 'delivered', input.operator, out);
      drain(s, out);
      return undefined;
    },
    fail: (s, input, _now, _r, out) => {
      const rec = held(s, input.operator, input.jobId);
      if (typeof rec === 'string') return rec;
      freeNode(s, input.operator, rec);
      rec.failures++;
      if (rec.failures > p.retries) end(s, rec, 'failed', -1, out);
      else requeue(s, rec);
      drain(s, out);
      return undefined;
    },
    decline: (s, input, _now, _r, out) => {
      const rec = held(s, input.operator, input.jobId);
      if (typeof rec === 'string') return rec;
      // A committed operator cannot decline: its availability was promised at registration.
      if (p.committed) return 'invalid';
      rec.declined.push(input.operator);
      freeNode(s, input.operator, rec);
      requeue(s, rec);
      drain(s, out);
      return undefined;
    },
    available: (s, input, _now, _r, out) => {
      // A concurrent node's spare resources are tracked here; it is never marked busy as a whole.
      if (packs(s.pack, input.operator)) return;
      if (s.nodeJob[input.operator] === undefined && s.index.has(input.operator)) {
        s.index.setFree(input.operator, true);
        drain(s, out);
      }
    },
    join: (s, input, _now, _r, out) => {
      const o = input.operator;
      if (o.concurrent) addNode((s.pack ??= packBook()), o.id, o.capacity);
      s.index.add(o.id, packs(s.pack, o.id) ? spare(s.pack!, o.id) : o.capacity);
      s.index.setFree(input.operator.id, true);
      s.capacities.push(input.operator.capacity);
      drain(s, out);
    },
    leave: (s, input) => {
      // Work in progress finishes (its deliver or fail still counts); the node takes no new job.
      s.index.remove(input.operator);
    },
    timer: (s, input, _now, _r, out) => {
      const rec = s.jobs.get(input.jobId);
      if (!rec || rec.done || input.tag !== FF_TAG_LIMIT) return;
      // The seeker's time limit: REJECTED, the running attempt (if any) aborted, nothing paid.
      const node = rec.node;
      if (node >= 0) {
        out.push({ type: 'abort', jobId: rec.job.id, operator: node });
        freeNode(s, node, rec);
      }
      end(s, rec, 'rejected', -1, out);
      drain(s, out);
    },
  };

  return defineMechanism<FirstFitState>({
    type: 'first-fit',
    params: { ...p, ...(preset ? { preset } : {}) },
    // Assigns in node-id order: no draw, so no beacon.
    readsBeacon: false,
    // Assigns nodes itself: asks the operators nothing.
    solicits: false,
    init(operators: readonly OperatorInfo[]): FirstFitState {
      const index = new FreeIndex(operators.length + 1);
      let pack: PackBook | undefined;
      for (const o of operators) {
        index.add(o.id, o.capacity);
        index.setFree(o.id, true);
        if (o.concurrent) addNode((pack ??= packBook()), o.id, o.capacity);
      }
      return {
        ...(pack ? { pack } : {}),
        seen: seenIds(),
        index,
        capacities: operators.map((o) => o.capacity),
        jobs: new DenseTable(),
        queue: [],
        qHead: 0,
        retry: [],
        nodeJob: [],
        scratch: [],
      };
    },
    handlers,
  });
}

/** Resolves first-fit's parameters (defaults, preset, overrides) and refuses out-of-range ones. */
function firstFitParams(params: Partial<FirstFitParams> & { preset?: string }): FirstFitParams {
  const p: FirstFitParams = resolveParams('first-fit', firstFitDefaults, firstFitPresets, params);
  if (p.limit !== 'deadline' && p.limit !== 'fixed') throw new RangeError('first-fit: limit must be "deadline" or "fixed"');
  if (!(p.timeout >= 0)) throw new RangeError('first-fit: timeout must be ≥ 0');
  if (!(p.priceShare >= 0 && p.priceShare <= 1)) throw new RangeError('first-fit: priceShare must be 0-1');
  if (!(p.protocolFeeBps >= 0 && p.protocolFeeBps <= 10_000)) throw new RangeError('first-fit: protocolFeeBps must be 0-10000');
  if (!(Number.isInteger(p.retries) && p.retries >= 0)) throw new RangeError('first-fit: retries must be an integer ≥ 0');
  return p;
}

/** First-fit's rules: placement in id order, the FIFO drain, and what frees or requeues a job. */
function firstFitRules(p: FirstFitParams) {
  function end(s: FirstFitState, rec: FfJob, outcome: 'delivered' | 'failed' | 'rejected', node: number, out: Decision[]): void {
    rec.done = true;
    rec.queued = false;
    s.jobs.delete(rec.job.id);
    out.push({ type: 'done', jobId: rec.job.id, outcome, operator: node });
    out.push({ type: 'close', jobId: rec.job.id });
  }

  /** Assigns `rec` to the first (lowest-id) free compatible node that has not declined it; false if none. */
  function place(s: FirstFitState, rec: FfJob, out: Decision[]): boolean {
    const profiles = s.index.eligibleProfiles(rec.job.request, s.scratch);
    if (rec.job.gang !== undefined) return placeGang(s, rec, firstFitGang(s.index, profiles, rec.job, rec.declined), out);
    const n = s.index.countFree(profiles);
    for (let k = 0; k < n; k++) {
      const node = s.index.kth(profiles, k);
      if (rec.declined.length > 0 && rec.declined.includes(node)) continue;
      if (packs(s.pack, node)) {
        // A concurrent node is listed under its spare resources: it takes the job beside the ones it runs.
        if (!fits(spare(s.pack!, node), occupancy(rec.job.request, s.pack!.capacity[node]!))) continue;
        take(s.pack!, node, rec.job.request);
        s.index.reprofile(node, spare(s.pack!, node));
      } else {
        s.index.setFree(node, false);
        s.nodeJob[node] = rec;
      }
      rec.node = node;
      rec.queued = false;
      const price = Math.round(rec.job.maxPrice * p.priceShare);
      out.push({
        type: 'assign',
        jobId: rec.job.id,
        operator: node,
        price,
        role: rec.failures > 0 ? 'fallback' : 'primary',
        committed: p.committed,
      });
      return true;
    }
    return false;
  }

  /** Starts a gang job on its members (`gang.ts`), the lead first; false when they are not free. */
  function placeGang(s: FirstFitState, rec: FfJob, members: number[] | undefined, out: Decision[]): boolean {
    if (!members) return false;
    const lead = members[0]!;
    s.nodeJob[lead] = rec;
    rec.node = lead;
    rec.queued = false;
    const price = Math.round(rec.job.maxPrice * p.priceShare);
    const role = rec.failures > 0 ? 'fallback' : 'primary';
    out.push({ type: 'assign', jobId: rec.job.id, operator: lead, price, role, committed: p.committed, members });
    return true;
  }

  /** Serves waiting jobs while nodes are free: re-assignments first, then the queue in arrival order. */
  function drain(s: FirstFitState, out: Decision[]): void {
    for (let i = 0; i < s.retry.length && s.index.freeCount > 0; i++) {
      const rec = s.retry[i]!;
      if (!rec.queued || place(s, rec, out)) s.retry.splice(i--, 1);
    }
    const q = s.queue;
    for (let i = s.qHead; i < q.length && s.index.freeCount > 0; i++) {
      const rec = q[i]!;
      if (rec.queued) place(s, rec, out);
    }
    while (s.qHead < q.length && !q[s.qHead]!.queued) s.qHead++;
    if (s.qHead > 1024 && s.qHead * 2 > q.length) {
      s.queue = q.slice(s.qHead);
      s.qHead = 0;
    }
  }

  function freeNode(s: FirstFitState, node: number, rec: FfJob): void {
    if (packs(s.pack, node)) {
      give(s.pack!, node, rec.job.request);
      s.index.reprofile(node, spare(s.pack!, node));
      return;
    }
    s.nodeJob[node] = undefined;
    if (s.index.has(node)) s.index.setFree(node, true);
  }

  /** The node's current job, or why an answer about `jobId` from it changes nothing. */
  function held(s: FirstFitState, node: number, jobId: number): FfJob | RefusalReason {
    const packing = packs(s.pack, node);
    const rec = packing ? s.jobs.get(jobId) : s.nodeJob[node];
    if (!rec || rec.job.id !== jobId || (packing && rec.node !== node))
      return s.jobs.get(jobId) !== undefined ? 'not-assigned' : 'unknown-job';
    return rec;
  }

  function requeue(s: FirstFitState, rec: FfJob): void {
    rec.node = -1;
    rec.queued = true;
    s.retry.push(rec);
  }

  return { end, place, drain, freeNode, held, requeue };
}
