import { ARRIVAL, type DecisionHandler, type JobRec, type MarketContext } from './context.js';
import { REQUESTERS } from './ledger.js';
import type { GangWork } from './gang-work.js';
import { gangDuration } from '../hardware-models/gang-efficiency.js';

/** The outcomes room: a job's terminal state, its final money, and its `jobs.csv` row. */
export interface OutcomeRoom {
  readonly done: DecisionHandler<'done'>;
  readonly close: DecisionHandler<'close'>;
  /** An input the mechanism refused: the simulator's answers are never wrong on purpose, so it only counts. */
  readonly refused: DecisionHandler<'refused'>;
  /** Inputs the mechanism refused so far, by reason. */
  readonly refusals: Record<string, number>;
}

/** Builds the outcomes room of a market run; a gang's delivered work is shared among its members' entities (`gang`). */
export function createOutcomeRoom(ctx: MarketContext, gang?: Pick<GangWork, 'membersOf' | 'forget'>): OutcomeRoom {
  const { sim, jobs, metrics, nodes, entities, ownerOf, demand, ledger, lastCost } = ctx;
  const s = ctx.scenario;
  const refusals: Record<string, number> = {};

  function emitRow(rec: JobRec, paid: number): void {
    const j = rec.job;
    const delivered = rec.outcome === 'delivered';
    ctx.onJob!({
      job_id: j.id,
      requester: j.requester,
      kind: j.kind,
      mcycles: j.mcycles,
      submitted_s: j.submittedAt,
      deadline_s: j.deadline,
      outcome: rec.outcome || 'open',
      ended_s: rec.doneAt,
      on_time: delivered && rec.doneAt <= j.deadline,
      latency_s: delivered ? rec.doneAt - j.submittedAt : NaN,
      price_usd: paid / 1e6,
      operator: rec.winner,
      entity: rec.winner >= 0 ? entities[nodes[rec.winner]!.info.entity]!.view.name : '',
      attempts: rec.attempts,
    });
  }

  return {
    refusals,
    done(d) {
      const rec = jobs.get(d.jobId);
      if (!rec || rec.outcome !== '') return;
      rec.outcome = d.outcome;
      rec.doneAt = sim.now;
      rec.winner = d.operator;
      const job = rec.job;
      let entity = -1;
      if (d.outcome === 'delivered' && d.operator >= 0) {
        entity = ownerOf[d.operator]!.id;
        rec.useful = lastCost[d.operator]!;
      }
      const crew = job.gang !== undefined && entity >= 0 ? gang?.membersOf(job.id, d.operator) : undefined;
      metrics.jobDone(d.outcome, sim.now - job.submittedAt, sim.now <= job.deadline, crew ? -1 : entity, job.mcycles);
      // A gang's delivered work counts for its members' entities, an equal share per node (market shares, HHI).
      if (crew) for (const m of crew) metrics.creditWork(nodes[m]!.info.entity, job.mcycles / crew.length);
      if (d.outcome === 'delivered' && sim.now <= job.deadline) metrics.valueDeliveredUsd += rec.value;
      // Aggregators submit one job per `every` delivered proofs of the requester they aggregate.
      if (d.outcome === 'delivered')
        for (const a of demand[job.requester]!.aggregators)
          if (demand[a]!.proofDelivered(sim.now, s.duration)) sim.at(sim.now, ARRIVAL, a, 0);
      // Reference column `cloud_cost_usd`: the delivering node's hardware rented on demand for the
      // nominal proving time of the job (no jitter, no failed attempts), for every mechanism.
      if (crew) {
        // A gang rents every member's hardware for the gang's nominal time.
        const models = crew.map((n) => nodes[n]!.model);
        const t = gangDuration(models, job.mcycles, job.kind);
        for (const m of models) metrics.cloud += Math.round((t * m.profile.rentUsdPerHour * m.devices * 1e6) / 3600);
      } else if (entity >= 0) {
        const m = nodes[d.operator]!.model;
        metrics.cloud += Math.round((m.duration(job.mcycles, job.kind) * m.profile.rentUsdPerHour * m.devices * 1e6) / 3600);
      }
    },
    close(d) {
      const rec = jobs.get(d.jobId);
      if (!rec) return;
      jobs.delete(d.jobId);
      const left = ledger.held(d.jobId);
      if (left > 0) ledger.fromEscrow(d.jobId, REQUESTERS, left);
      const paid = rec.escrowIn - left - rec.refunds;
      metrics.requesterPaid += paid;
      metrics.useful += rec.useful;
      if (rec.outcome === 'delivered') metrics.jobPrice(paid, rec.job.mcycles);
      if (ctx.onJob) emitRow(rec, paid);
      ctx.feedback.close(d.jobId);
      ctx.collateral.close(d.jobId);
      if (rec.job.gang !== undefined) gang?.forget(d.jobId);
    },
    refused(d) {
      refusals[d.reason] = (refusals[d.reason] ?? 0) + 1;
    },
  };
}
