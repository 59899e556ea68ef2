import { DenseTable } from '../dense-table.js';
import { resolveParams } from '../resolve-params.js';
import { allFree, type FreeIndex } from '../free-index.js';
import type { Decision, Handlers, Input, Job, Mechanism, OperatorInfo, ProtocolState, Random } from '../types.js';
import { defineMechanism, fits, markSeen, seenIds, step } from '../types.js';
import { selfHostedDefaults, selfHostedPresets, type SelfHostedParams } from './params.js';
import { selfHostedGang } from './gang.js';
import { canEverFit } from '../gang.js';

export { selfHostedDefaults, selfHostedPresets, type SelfHostedParams } from './params.js';

/** Does any of the capacities fit the request? (A loop, not `some`: no closure per job.) */
function fitsAny(capacities: readonly OperatorInfo['capacity'][], request: Job['request']): boolean {
  for (let i = 0; i < capacities.length; i++) if (fits(capacities[i]!, request)) return true;
  return false;
}

/** Timer tag: the job's deadline (with `dropLate`). */
export const TAG_DEADLINE = 1;

/** A job the cluster has not finished. Records are recycled (`spare`): only ids are kept elsewhere. */
interface ShJob {
  job: Job;
  /** Failed attempts so far. */
  failures: number;
  /** The node proving it, -1 while queued. */
  node: number;
  queued: boolean;
}

/** The mechanism-owned state of the self-hosted baseline. */
export interface SelfHostedState extends ProtocolState {
  index: FreeIndex;
  /** Capacities of the cluster's nodes (to reject a job no node could ever run). */
  capacities: OperatorInfo['capacity'][];
  /** Open jobs by id (dense: a Map's rehashed tables, promoted, kept every later job alive until a full GC). */
  jobs: DenseTable<ShJob>;
  /**
   * Records of finished jobs, for the next submissions (one object less per job for the collector).
   * Safe because the queues and nodes hold job ids, never records: a finished id finds no record.
   */
  spare: ShJob[];
  /** FIFO of waiting job ids (lazy deletion: an id whose job is no longer queued is skipped), retried jobs first. */
  queue: number[];
  qHead: number;
  retry: number[];
  /** Node id → the id of the job it proves, -1: none. */
  nodeJob: number[];
  scratch: number[];
  /**
   * The last request some node fits: `capacities` only grow (a leaving node keeps its entry), so the
   * answer stays true, and jobs of one requester share their request object (no loop per job).
   */
  fitting: Job['request'] | undefined;
  /** The eligible profiles of the last request seen (jobs of one requester share their request object). */
  lastRequest: Job['request'] | undefined;
  lastProfiles: number;
}

// The scheduler's steps (they read the state only, not the parameters).

/** Could some node of the cluster ever run a single-node job of `request`? */
function fitsSome(s: SelfHostedState, request: Job['request']): boolean {
  if (request === s.fitting) return true;
  if (!fitsAny(s.capacities, request)) return false;
  s.fitting = request;
  return true;
}

/** Ends an open job (its record goes back to `spare`). */
function end(
  s: SelfHostedState,
  rec: ShJob,
  outcome: 'delivered' | 'failed' | 'expired' | 'rejected',
  node: number,
  out: Decision[],
): void {
  const id = rec.job.id;
  s.jobs.delete(id);
  s.spare.push(rec);
  out.push({ type: 'done', jobId: id, outcome, operator: node });
  out.push({ type: 'close', jobId: id });
}

/** The profiles of the cluster that fit a request (cached for the last request object). */
function profilesFor(s: SelfHostedState, request: Job['request']): number[] {
  if (request !== s.lastRequest || s.lastProfiles !== s.index.profileCount) {
    s.index.eligibleProfiles(request, s.scratch);
    s.lastRequest = request;
    s.lastProfiles = s.index.profileCount;
  }
  return s.scratch;
}

/** Starts `rec` on the lowest-id free node that fits it; false if none is free. */
function place(s: SelfHostedState, rec: ShJob, out: Decision[]): boolean {
  const job = rec.job;
  const profiles = profilesFor(s, job.request);
  // A gang job takes its first N free nodes at once (`gang.ts`); `members` names them, lead first.
  const members = job.gang !== undefined ? selfHostedGang(s.index, profiles, job) : undefined;
  if (job.gang !== undefined && !members) return false;
  if (!members && s.index.countFree(profiles) === 0) return false;
  const node = members ? members[0]! : s.index.kth(profiles, 0);
  if (!members) s.index.setFree(node, false);
  s.nodeJob[node] = job.id;
  rec.node = node;
  rec.queued = false;
  const role = rec.failures > 0 ? 'fallback' : 'primary';
  out.push(
    members
      ? { type: 'assign', jobId: job.id, operator: node, price: 0, role, committed: true, members }
      : { type: 'assign', jobId: job.id, operator: node, price: 0, role, committed: true },
  );
  return true;
}

/** The job of `id` if it is still waiting. */
function waiting(s: SelfHostedState, id: number): ShJob | undefined {
  const rec = s.jobs.get(id);
  return rec?.queued ? rec : undefined;
}

function drain(s: SelfHostedState, out: Decision[]): void {
  for (let i = 0; i < s.retry.length && s.index.freeCount > 0; i++) {
    const rec = waiting(s, s.retry[i]!);
    if (!rec || place(s, rec, out)) s.retry.splice(i--, 1);
  }
  const q = s.queue;
  for (let i = s.qHead; i < q.length && s.index.freeCount > 0; i++) {
    const rec = waiting(s, q[i]!);
    if (rec) place(s, rec, out);
  }
  while (s.qHead < q.length && !waiting(s, q[s.qHead]!)) s.qHead++;
  if (s.qHead > 1024 && s.qHead * 2 > q.length) {
    s.queue = q.slice(s.qHead);
    s.qHead = 0;
  }
}

/** The job a node proves, if it is `jobId`. */
function provedBy(s: SelfHostedState, node: number, jobId: number): ShJob | undefined {
  if (s.nodeJob[node] !== jobId) return undefined;
  return s.jobs.get(jobId);
}

function freeNode(s: SelfHostedState, node: number): void {
  s.nodeJob[node] = -1;
  s.index.setFree(node, true);
}

/** A record for a new job: a finished job's, when there is one. */
function openJob(s: SelfHostedState, job: Job): ShJob {
  const rec = s.spare.pop();
  if (rec === undefined) return { job, failures: 0, node: -1, queued: false };
  rec.job = job;
  rec.failures = 0;
  rec.node = -1;
  rec.queued = false;
  return rec;
}

/**
 * The self-hosted baseline (mechanism id `self-hosted`), not a market: the requester's own rented
 * cluster proves every job, first come first served, at no per-job price (the rent, charged by the
 * shell for every hour of the run, idle hours included, is the whole cost). A failed attempt is
 * re-run up to `retries` times ahead of the queue. The shell gives this mechanism only the cluster's
 * nodes (see `src/market/market.ts`), so it is an M/G/c queue with c = `nodes`.
 */
export function selfHosted(params: Partial<SelfHostedParams> & { preset?: string } = {}): Mechanism<SelfHostedState> {
  const p: SelfHostedParams = resolveParams('self-hosted', selfHostedDefaults, selfHostedPresets, params);
  const preset = params.preset;
  if (!(Number.isInteger(p.nodes) && p.nodes >= 1)) throw new RangeError('self-hosted: nodes must be an integer ≥ 1');
  if (!(Number.isInteger(p.devices) && p.devices >= 1)) throw new RangeError('self-hosted: devices must be an integer ≥ 1');
  if (!(p.rentUsdPerHour >= 0)) throw new RangeError('self-hosted: rentUsdPerHour must be ≥ 0');

  const handlers: Handlers<SelfHostedState> = {
    submit: (s, input, now, _r, out) => {
      const job = input.job;
      if (job.gang !== undefined ? !canEverFit(s.capacities, job) : !fitsSome(s, job.request)) {
        out.push({ type: 'done', jobId: job.id, outcome: 'rejected', operator: -1 });
        out.push({ type: 'close', jobId: job.id });
        return;
      }
      const rec = openJob(s, job);
      s.jobs.set(job.id, rec);
      if (p.dropLate) out.push({ type: 'timer', jobId: job.id, at: Math.max(now, job.deadline), tag: TAG_DEADLINE });
      if (!place(s, rec, out)) {
        rec.queued = true;
        s.queue.push(job.id);
      }
    },
    deliver: (s, input, _now, _r, out) => {
      const rec = provedBy(s, input.operator, input.jobId);
      if (!rec) return s.jobs.get(input.jobId) !== undefined ? 'not-assigned' : 'unknown-job';
      freeNode(s, input.operator);
      end(s, rec, 'delivered', input.operator, out);
      drain(s, out);
      return undefined;
    },
    fail: (s, input, _now, _r, out) => {
      const rec = provedBy(s, input.operator, input.jobId);
      if (!rec) return s.jobs.get(input.jobId) !== undefined ? 'not-assigned' : 'unknown-job';
      freeNode(s, input.operator);
      rec.node = -1;
      rec.failures++;
      if (rec.failures > p.retries) end(s, rec, 'failed', -1, out);
      else {
        rec.queued = true;
        s.retry.push(rec.job.id);
      }
      drain(s, out);
      return undefined;
    },
    available: (s, input, _now, _r, out) => {
      if (!(s.nodeJob[input.operator]! >= 0) && s.index.has(input.operator)) {
        s.index.setFree(input.operator, true);
        drain(s, out);
      }
    },
    join: (s, input, _now, _r, out) => {
      s.index.add(input.operator.id, input.operator.capacity);
      s.index.setFree(input.operator.id, true);
      s.capacities.push(input.operator.capacity);
      drain(s, out);
    },
    leave: (s, input) => {
      s.index.remove(input.operator);
    },
    timer: (s, input, _now, _r, out) => {
      const rec = waiting(s, input.jobId);
      // Still waiting at its deadline: dropped (with `dropLate`). Work in progress finishes.
      if (rec && input.tag === TAG_DEADLINE) end(s, rec, 'expired', -1, out);
    },
  };

  const m = defineMechanism<SelfHostedState>({
    type: 'self-hosted',
    params: { ...p, ...(preset ? { preset } : {}) },
    // Its own cluster in its own order: no draw, so no beacon. It assigns its nodes, committed, and
    // asks them nothing; it frees a node on the node's own deliver or fail (`freeNode`); it deletes a
    // job's record before it decides `close`, and its queues and nodes hold job ids. It prices
    // nothing per job (the rent pays the cluster), so it moves no money.
    readsBeacon: false,
    solicits: false,
    freesOnReport: true,
    releasesJobs: true,
    movesMoney: false,
    init(operators: readonly OperatorInfo[]): SelfHostedState {
      return {
        seen: seenIds(),
        index: allFree(operators),
        capacities: operators.map((o) => o.capacity),
        jobs: new DenseTable(),
        spare: [],
        queue: [],
        qHead: 0,
        retry: [],
        nodeJob: [],
        scratch: [],
        fitting: undefined,
        lastRequest: undefined,
        lastProfiles: -1,
      };
    },
    handlers,
  });
  return { ...m, step: directStep(handlers) };
}

/**
 * The shared {@link step} over the handlers, with the two inputs of every job (`submit`, `deliver`)
 * called at call sites of their own. The shared step's one call site sees every handler, so the
 * compiler inlines none of them (and boxes the time passed to each): about 5% of an M/M/c run.
 */
function directStep(handlers: Handlers<SelfHostedState>): Mechanism<SelfHostedState>['step'] {
  const submit = handlers.submit!;
  const deliver = handlers.deliver!;
  const table = { handlers };
  return (state: SelfHostedState, input: Input, now: number, random: Random, out: Decision[]): void => {
    if (input.type !== 'submit' && input.type !== 'deliver') return step(table, state, input, now, random, out);
    if (!markSeen(state.seen, input.id)) {
      out.push({ type: 'refused', inputId: input.id, input: input.type, reason: 'duplicate' });
      return;
    }
    const reason = input.type === 'submit' ? submit(state, input, now, random, out) : deliver(state, input, now, random, out);
    if (reason) out.push({ type: 'refused', inputId: input.id, input: input.type, reason });
  };
}
