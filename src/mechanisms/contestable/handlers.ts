import { canEverFit } from '../gang.js';
import type { Decision, Handlers, JobInput, Random, Seconds } from '../types.js';
import { fits } from '../types.js';
import { assignProver, drain, finish, held, leaveWork, openUp } from './assign.js';
import { contest, deliverProof, expire, resolve } from './proof.js';
import type { ContestRules } from './rules.js';
import {
  CT_TAG_CONTEST,
  CT_TAG_COOLDOWN,
  CT_TAG_DEADLINE,
  CT_TAG_RESOLVE,
  CT_TAG_WINDOW,
  type ContestableState,
  type CtJob,
  newCtJob,
} from './state.js';

/** Whether a deadline still matters in this phase (no proof in, or a proof proved wrong). */
function unproved(rec: CtJob): boolean {
  return rec.phase === 'queued' || rec.phase === 'assigned' || rec.phase === 'open' || rec.phase === 'reopened';
}

/** One of the job's timers fired: the window ends, the deadline passes, a contest, the cooldown, a resolution. */
function onTimer(
  r: ContestRules,
  s: ContestableState,
  input: Extract<JobInput, { type: 'timer' }>,
  now: Seconds,
  random: Random,
  out: Decision[],
): void {
  const rec = s.jobs.get(input.jobId);
  if (!rec) return;
  const t = input.tag;
  if (t === CT_TAG_WINDOW && rec.phase === 'assigned') {
    rec.phase = 'open';
    openUp(r, s, rec, out);
  } else if (t === CT_TAG_DEADLINE && unproved(rec)) {
    expire(s, rec, out);
  } else if (t === CT_TAG_CONTEST && rec.phase === 'cooling' && rec.contest) {
    contest(r, s, rec, now, random, out);
  } else if (t === CT_TAG_COOLDOWN && rec.phase === 'cooling') {
    // Uncontested through the cooldown: the proof is final and its validity bond comes back.
    if (rec.validity > 0) out.push({ type: 'release', jobId: rec.job.id, operator: rec.prover, amount: rec.validity });
    finish(s, rec, 'delivered', rec.prover, out);
  } else if (t === CT_TAG_RESOLVE && rec.phase === 'contested') {
    resolve(r, s, rec, now, out);
  }
  drain(r, s, now, out);
}

/** Contestable proving's handlers, one per input type, over the rules of its parameters. */
export function contestableHandlers(r: ContestRules): Handlers<ContestableState> {
  return {
    submit: (s, input, now, _r, out) => {
      const job = input.job;
      const rec = newCtJob(job);
      const feasible = job.gang !== undefined ? canEverFit(s.capacities, job) : s.capacities.some((c) => fits(c, job.request));
      if (!feasible) return finish(s, rec, 'rejected', -1, out);
      s.jobs.set(job.id, rec);
      out.push({ type: 'timer', jobId: job.id, at: Math.max(now, job.deadline), tag: CT_TAG_DEADLINE });
      if (!assignProver(r, s, rec, now, out)) s.queue.push(rec);
    },
    deliver: (s, input, now, random, out) => {
      const rec = held(s, input.operator, input.jobId);
      if (typeof rec === 'string') return rec;
      deliverProof(r, s, rec, input.operator, now, random, out);
      drain(r, s, now, out);
      return undefined;
    },
    fail: (s, input, now, _r, out) => {
      const rec = held(s, input.operator, input.jobId);
      if (typeof rec === 'string') return rec;
      const wasOpen = rec.openWorker === input.operator;
      // A gang's members report `available` after a failure: only a single-node prover restarts in place.
      if (rec.phase === 'assigned' && rec.failures < r.p.retries && rec.job.gang === undefined) {
        // Its bond at stake, the assigned prover starts again (no second fee): it keeps the node.
        rec.failures++;
        out.push({ type: 'assign', jobId: rec.job.id, operator: input.operator, price: 0, role: 'primary', committed: true });
        return undefined;
      }
      leaveWork(s, rec, input.operator);
      // Out of retries, the assigned prover's bond stays at stake until the window ends; a failed open prover steps aside.
      if (wasOpen) {
        rec.excluded.push(input.operator);
        openUp(r, s, rec, out);
      }
      drain(r, s, now, out);
      return undefined;
    },
    decline: (s, input, now, _r, out) => {
      const rec = held(s, input.operator, input.jobId);
      if (typeof rec === 'string') return rec;
      // The assigned prover signed up for the job: it cannot decline.
      if (rec.openWorker !== input.operator) return 'invalid';
      leaveWork(s, rec, input.operator);
      rec.excluded.push(input.operator);
      openUp(r, s, rec, out);
      drain(r, s, now, out);
      return undefined;
    },
    available: (s, input, now, _r, out) => {
      if (s.nodeJob[input.operator] === undefined && s.index.has(input.operator)) {
        s.index.setFree(input.operator, true);
        drain(r, s, now, out);
      }
    },
    join: (s, input, now, _r, out) => {
      const id = input.operator.id;
      s.index.add(id, input.operator.capacity);
      s.index.setFree(id, s.nodeJob[id] === undefined);
      s.capacities.push(input.operator.capacity);
      if (!s.active.includes(id)) s.active.splice(sortedAt(s.active, id), 0, id);
      drain(r, s, now, out);
    },
    leave: (s, input) => {
      // Work in progress finishes (its deliver or fail still counts); the node takes no new job.
      s.index.remove(input.operator);
      const at = s.active.indexOf(input.operator);
      if (at >= 0) s.active.splice(at, 1);
    },
    timer: (s, input, now, random, out) => onTimer(r, s, input, now, random, out),
  };
}

/** Where `id` goes in an ascending list. */
function sortedAt(list: readonly number[], id: number): number {
  let i = 0;
  while (i < list.length && list[i]! < id) i++;
  return i;
}
