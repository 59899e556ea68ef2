import type { Decision } from '../types.js';
import type { ReputationParams } from './params.js';
import { type ReputationOutcome, updateReputation } from './select.js';
import type { selection } from './selection.js';
import { type RepJob, type ReputationState, setFree, setReputation } from './state.js';

/** Outcomes: reputation updates, the backup race, settlement and closing. */
export function outcomes(p: ReputationParams, sel: ReturnType<typeof selection>) {
  /** The nodes of the attempt led by `lead` (a gang's members, or the lead alone). */
  function crewOf(rec: RepJob, lead: number): readonly number[] {
    return rec.crews?.get(lead) ?? [lead];
  }

  /** Scores an attempt's outcome: a gang's proof is one outcome, so every member gets its score. */
  function score(s: ReputationState, rec: RepJob, lead: number, o: ReputationOutcome): void {
    for (const node of crewOf(rec, lead)) setReputation(s, node, updateReputation(s.reputation[node] ?? p.initialReputation, o, p));
  }

  /** The attempt's nodes stop working on the job and are free for new work (if still in the network). */
  function release(s: ReputationState, rec: RepJob, lead: number): void {
    for (const node of crewOf(rec, lead)) {
      s.nodeJob[node] = undefined;
      if (s.rank.has(node)) setFree(s, node, true);
    }
    rec.crews?.delete(lead);
  }

  function close(s: ReputationState, rec: RepJob, outcome: 'delivered' | 'failed' | 'expired', node: number, out: Decision[]): void {
    rec.closed = true;
    rec.queued = false;
    s.jobs.delete(rec.job.id);
    out.push({ type: 'done', jobId: rec.job.id, outcome, operator: node });
    out.push({ type: 'close', jobId: rec.job.id });
  }

  /** Opens the backup race (proposal #2489's emergency mechanism): N drawn provers race for the proof. */
  function openRace(s: ReputationState, rec: RepJob, out: Decision[]): void {
    if (rec.racing || p.backupProvers === 0) return;
    rec.racing = true;
    rec.seats = p.backupProvers;
    sel.serve(s, rec, out);
  }

  /** No attempt left and nothing to wait for: the job failed. */
  function failIfDead(s: ReputationState, rec: RepJob, out: Decision[]): void {
    if (rec.closed || rec.primary >= 0 || rec.racers.length > 0 || rec.seats > 0 || rec.wantPrimary) return;
    close(s, rec, 'failed', -1, out);
  }

  function deliver(s: ReputationState, rec: RepJob, node: number, out: Decision[]): void {
    const id = rec.job.id;
    const primary = rec.primary === node;
    score(s, rec, node, primary && s.now > rec.windowEnd ? 'late' : 'on-time');
    const amount = sel.pay(rec);
    if (amount > 0) out.push({ type: 'settle', jobId: id, operator: node, amount, source: 'escrow' });
    if (rec.fee - amount > 0) out.push({ type: 'fee', jobId: id, amount: rec.fee - amount });
    // The HHI monitor: one proof, shared equally by a gang's members' entities.
    const members = crewOf(rec, node);
    for (const m of members) s.delivered[s.entity[m] ?? m] = (s.delivered[s.entity[m] ?? m] ?? 0) + 1 / members.length;
    release(s, rec, node);
    // A chosen prover beaten by a backup was late; beaten racers lose nothing but their compute.
    if (!primary && rec.primary >= 0) {
      score(s, rec, rec.primary, 'late');
      out.push({ type: 'abort', jobId: id, operator: rec.primary });
      release(s, rec, rec.primary);
    }
    for (const r of rec.racers) {
      if (r === node) continue;
      out.push({ type: 'abort', jobId: id, operator: r });
      release(s, rec, r);
    }
    rec.primary = -1;
    rec.racers = [];
    rec.seats = 0;
    close(s, rec, 'delivered', node, out);
  }

  function fail(s: ReputationState, rec: RepJob, node: number, out: Decision[]): void {
    score(s, rec, node, 'fail');
    release(s, rec, node);
    if (rec.primary === node) {
      rec.primary = -1;
      openRace(s, rec, out);
    } else rec.racers.splice(rec.racers.indexOf(node), 1);
    failIfDead(s, rec, out);
  }

  function decline(s: ReputationState, rec: RepJob, node: number, out: Decision[]): void {
    // A gang's decline is fed by its lead (docs/gang.md): the lead is the one the protocol hears from.
    setReputation(s, node, updateReputation(s.reputation[node] ?? p.initialReputation, 'decline', p));
    release(s, rec, node);
    if (rec.primary === node) {
      rec.primary = -1;
      rec.wantPrimary = true;
    } else {
      rec.racers.splice(rec.racers.indexOf(node), 1);
      rec.seats++;
    }
    sel.serve(s, rec, out);
  }

  /** The deadline: a chosen prover still at work missed it; every attempt stops; the job expired. */
  function expire(s: ReputationState, rec: RepJob, out: Decision[]): void {
    if (rec.primary >= 0) {
      score(s, rec, rec.primary, 'fail');
      out.push({ type: 'abort', jobId: rec.job.id, operator: rec.primary });
      release(s, rec, rec.primary);
    }
    for (const r of rec.racers) {
      out.push({ type: 'abort', jobId: rec.job.id, operator: r });
      release(s, rec, r);
    }
    rec.primary = -1;
    rec.racers = [];
    rec.seats = 0;
    rec.wantPrimary = false;
    close(s, rec, 'expired', -1, out);
  }

  return { deliver, fail, decline, expire, openRace };
}
