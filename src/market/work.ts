import { hashUniform } from '../mechanisms/beacon.js';
import type { Job } from '../mechanisms/types.js';
import type { Agents } from './responses.js';
import { COMPLETE, type DecisionHandler, type JobRec, type MarketContext } from './context.js';
import { COMPUTE, OPERATOR0 } from './ledger.js';
import { createGangWork, type GangWork } from './gang-work.js';
import { AttemptBook } from './attempt-book.js';

/** The work room: nodes start, stop and leave work; compute is timed by the hardware models and booked. */
export interface WorkRoom {
  readonly assign: DecisionHandler<'assign'>;
  readonly abort: DecisionHandler<'abort'>;
  readonly eject: DecisionHandler<'eject'>;
  /** Books `seconds` of a node's compute (to the job, if still open); returns micro-USD. */
  bookCompute(nodeId: number, seconds: number, rec: JobRec | undefined): number;
  /** A node with no attempt left tells the mechanism it is free. */
  nodeIdle(nodeId: number): void;
  /**
   * A locker retries its failed attempt once while a fresh attempt can finish by the job's deadline
   * (Boundless broker `proof_retry_count = 1`, crates/boundless-market/src/prover_utils/config.rs:215
   * @3835bc4). True when it retries (the failure is not reported). Abandoned attempts (no work) are not retried.
   */
  retry(rec: JobRec | undefined, nodeId: number, worked: boolean): boolean;
  /** Gang jobs' members (`gang-work.ts`). */
  readonly gang: GangWork;
}

/** Builds the work room; `agents` answers an uncommitted assignment for the node's owner. */
export function createWorkRoom(ctx: MarketContext, agents: Agents, busy: () => boolean): WorkRoom {
  const { sim, nodes, jobs, attempts, ownerOf, rngOf, ledger, metrics, feedback } = ctx;
  const availableIn: { type: 'available'; operator: number } = { type: 'available', operator: 0 };
  const aborted = AttemptBook.blank();
  // Read on every attempt: dense and small, where the owner's and the node's own objects are a
  // cache miss each at 10,000 nodes. Owners and strategies do not change during a run.
  const mayAbandon = ctx.entities.some((e) => e.strategy.abandon !== undefined);
  const entityOf = new Int32Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) entityOf[i] = nodes[i]!.info.entity;

  function startAttempt(rec: JobRec, nodeId: number): void {
    const node = nodes[nodeId]!;
    const job: Job = rec.job;
    const k = rec.attempts++;
    const ent = mayAbandon ? ownerOf[nodeId]! : undefined;
    if (ent?.strategy.abandon?.(ctx.quote(node, job), ent.view, rngOf[nodeId]!.next())) {
      // Abandoned (griefing): no work starts; the attempt is reported failed after the strategy's delay, at no compute cost.
      const at = sim.now + Math.max(0, ent.strategy.abandonAfter?.(ctx.quote(node, job), ent.view) ?? 1);
      node.outstanding++;
      ctx.nodeChanged(nodeId);
      attempts.add(job.id, nodeId, at, at, true, sim.at(at, COMPLETE, job.id, nodeId));
      return;
    }
    const { fail, jitter } = ctx.seeds;
    let start = node.freeAt > sim.now ? node.freeAt : sim.now;
    let dur = node.model.duration(job.mcycles, job.kind) * (0.9 + 0.2 * hashUniform(jitter, job.id, nodeId, k));
    if (ctx.packing && node.info.concurrent) {
      // A multi-job node (issue 13): at once beside its running jobs if it fits, on its share of the node.
      const p = ctx.packing.start(node, job, sim.now, start);
      start = p.start;
      dur /= p.share;
    }
    // A uniform draw is never below 0: a node that never fails skips the hash.
    const failed = node.failureProb > 0 && hashUniform(fail, job.id, nodeId, k) < node.failureProb;
    const end = start + (failed ? dur * hashUniform(fail ^ 0x5bd1e995, job.id, nodeId, k) : dur);
    node.freeAt = Math.max(node.freeAt, end);
    node.outstanding++;
    ctx.nodeChanged(nodeId);
    const handleId = sim.at(end, COMPLETE, job.id, nodeId);
    attempts.add(job.id, nodeId, start, end, failed, handleId);
  }

  const room: WorkRoom = {
    assign(d) {
      const rec = jobs.get(d.jobId);
      if (!rec) return;
      if (rec.job.gang !== undefined && rec.job.gang > 1) return room.gang.assign(d, rec);
      if (!d.committed && !agents.acceptsAssignment(d, rec.job)) {
        ctx.feed({ type: 'decline', jobId: d.jobId, operator: d.operator });
        return;
      }
      if (d.committed && d.role === 'winner') rec.locker = d.operator;
      startAttempt(rec, d.operator);
    },
    abort(d) {
      const a = aborted;
      if (!attempts.take(d.jobId, d.operator, a)) return;
      sim.cancel(a.handle);
      ctx.packing?.end(a.jobId, a.node);
      const node = nodes[a.node]!;
      node.outstanding--;
      ctx.nodeChanged(a.node);
      if (sim.now > a.start) room.bookCompute(a.node, sim.now - a.start, jobs.get(a.jobId));
      if (node.outstanding === 0) node.freeAt = sim.now;
      room.nodeIdle(a.node);
      room.gang.abort(d.jobId, d.operator);
    },
    eject(d) {
      const node = nodes[d.operator]!;
      if (node.ejected) return;
      node.ejected = true;
      ctx.deactivate(d.operator);
    },
    bookCompute(nodeId, seconds, rec) {
      const node = nodes[nodeId]!;
      const share = ctx.packing ? ctx.packing.share(node, rec?.job) : 1;
      const micros = Math.round((seconds * share * node.model.hourlyCostUsd * 1e6) / 3600);
      if (micros > 0) ledger.transfer(OPERATOR0 + entityOf[nodeId]!, COMPUTE, micros);
      metrics.compute += micros;
      metrics.busySeconds += share === 1 ? seconds : seconds * share;
      if (rec) rec.compute += micros;
      if (rec && micros > 0) feedback.spent(rec.job.id, entityOf[nodeId]!, micros);
      return micros;
    },
    retry(rec, nodeId, worked) {
      const node = nodes[nodeId]!;
      // A gang's attempt is not retried by its lead alone (its members were freed with it).
      if (!rec || rec.locker !== nodeId || rec.retries >= 1 || !worked || !node.active || rec.job.gang !== undefined) return false;
      if (sim.now + node.model.duration(rec.job.mcycles, rec.job.kind) > rec.job.deadline) return false;
      rec.retries++;
      metrics.retries++;
      startAttempt(rec, nodeId);
      return true;
    },
    nodeIdle(nodeId) {
      const node = nodes[nodeId]!;
      if (node.outstanding !== 0 || !node.active || node.ejected) return;
      // The reusable input object only at the top of an event (no step running: nothing queued keeps it).
      if (busy()) ctx.feed({ type: 'available', operator: nodeId });
      else {
        availableIn.operator = nodeId;
        ctx.feed(availableIn);
      }
    },
    gang: undefined as unknown as GangWork,
  };
  (room as { gang: GangWork }).gang = createGangWork(ctx, agents, room.bookCompute, room.nodeIdle);
  return room;
}
