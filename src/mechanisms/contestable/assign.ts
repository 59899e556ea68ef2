import { takeGang } from '../gang.js';
import type { Decision, Job, RefusalReason, Seconds } from '../types.js';
import { gangSize } from '../types.js';
import { lateSplit } from './bonds.js';
import { type ContestRules, proverFee } from './rules.js';
import { CT_TAG_WINDOW, type ContestableState, type CtJob } from './state.js';

/** Closes a job: its `done` (once) and `close`, and forgets it. */
export function finish(
  s: ContestableState,
  rec: CtJob,
  outcome: 'delivered' | 'expired' | 'rejected',
  node: number,
  out: Decision[],
): void {
  if (!rec.doneSent) out.push({ type: 'done', jobId: rec.job.id, outcome, operator: node });
  rec.doneSent = true;
  rec.phase = 'closed';
  rec.waiting = false;
  s.jobs.delete(rec.job.id);
  out.push({ type: 'close', jobId: rec.job.id });
}

/** The node works on nothing; free again unless it left the network. */
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

/** The `members` field of a gang job's assignment (docs/gang.md), nothing for a single-node job. */
function gang(rec: { readonly job: Job }, members: readonly number[]): { members?: readonly number[] } {
  return rec.job.gang === undefined ? {} : { members };
}

/** Assigns a queued job to its prover: fee paid, liveness bond posted, window opened. */
export function assignProver(r: ContestRules, s: ContestableState, rec: CtJob, now: Seconds, out: Decision[]): boolean {
  const members = takeNodes(s, rec, []);
  if (!members) return false;
  const node = members[0]!;
  s.nodeJob[node] = rec;
  const id = rec.job.id;
  rec.phase = 'assigned';
  rec.assigned = node;
  rec.assignedWorking = true;
  rec.bond = r.liveness;
  if (r.liveness > 0) out.push({ type: 'collateral', jobId: id, operator: node, amount: r.liveness });
  const price = proverFee(r, rec.job);
  if (price > 0) out.push({ type: 'settle', jobId: id, operator: node, amount: price, source: 'escrow' });
  out.push({ type: 'assign', jobId: id, operator: node, price, role: 'primary', committed: true, ...gang(rec, members) });
  out.push({ type: 'timer', jobId: id, at: now + r.p.provingWindow, tag: CT_TAG_WINDOW });
  return true;
}

/** Offers an open (or reopened) job to the first free node not excluded; it may decline. */
function assignOpen(r: ContestRules, s: ContestableState, rec: CtJob, out: Decision[]): boolean {
  const members = takeNodes(s, rec, rec.excluded);
  if (!members) return false;
  const node = members[0]!;
  s.nodeJob[node] = rec;
  rec.openWorker = node;
  rec.waiting = false;
  const price = rec.phase === 'open' ? lateSplit(rec.bond, r.p.openRewardBps).reward : rec.reprove;
  out.push({ type: 'assign', jobId: rec.job.id, operator: node, price, role: 'fallback', committed: false, ...gang(rec, members) });
  return true;
}

/** Opens the job to anyone: offered to a free node now, or waiting for one. */
export function openUp(r: ContestRules, s: ContestableState, rec: CtJob, out: Decision[]): void {
  if (rec.openWorker >= 0 || rec.waiting) return;
  if (!assignOpen(r, s, rec, out)) {
    rec.waiting = true;
    s.openWait.push(rec);
  }
}

/** Serves waiting jobs while nodes are free: open jobs first, then the assignment queue. */
export function drain(r: ContestRules, s: ContestableState, now: Seconds, out: Decision[]): void {
  for (let i = 0; i < s.openWait.length && s.index.freeCount > 0; i++) {
    const rec = s.openWait[i]!;
    if (!rec.waiting || assignOpen(r, s, rec, out)) s.openWait.splice(i--, 1);
  }
  const q = s.queue;
  for (let i = s.qHead; i < q.length && s.index.freeCount > 0; i++) {
    const rec = q[i]!;
    if (rec.phase === 'queued') assignProver(r, s, rec, now, out);
  }
  while (s.qHead < q.length && q[s.qHead]!.phase !== 'queued') s.qHead++;
  if (s.qHead > 1024 && s.qHead * 2 > q.length) {
    s.queue = q.slice(s.qHead);
    s.qHead = 0;
  }
}

/** Aborts every worker on the job but `except`, and frees their nodes. */
export function stopWork(s: ContestableState, rec: CtJob, except: number, out: Decision[]): void {
  const id = rec.job.id;
  for (const node of [rec.assignedWorking ? rec.assigned : -1, rec.openWorker]) {
    if (node < 0 || node === except || s.nodeJob[node] !== rec) continue;
    out.push({ type: 'abort', jobId: id, operator: node });
    freeNode(s, node);
  }
  rec.assignedWorking = false;
  rec.openWorker = -1;
}

/** The job the node works on, or why an answer about `jobId` from it changes nothing. */
export function held(s: ContestableState, node: number, jobId: number): CtJob | RefusalReason {
  const rec = s.nodeJob[node];
  if (!rec || rec.job.id !== jobId) return s.jobs.has(jobId) ? 'not-assigned' : 'unknown-job';
  return rec;
}

/** Removes the node from the job's workers (its attempt ended). */
export function leaveWork(s: ContestableState, rec: CtJob, node: number): void {
  freeNode(s, node);
  if (rec.assigned === node) rec.assignedWorking = false;
  if (rec.openWorker === node) rec.openWorker = -1;
}
