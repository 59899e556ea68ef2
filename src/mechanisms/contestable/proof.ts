import type { Decision, Random, Seconds } from '../types.js';
import { lateSplit, wrongProofSplit } from './bonds.js';
import { finish, leaveWork, openUp, stopWork } from './assign.js';
import type { ContestRules } from './rules.js';
import { CT_TAG_CONTEST, CT_TAG_COOLDOWN, CT_TAG_RESOLVE, type ContestableState, type CtJob } from './state.js';

/** A proof is in: the validity stage (bond, draws, cooldown), or final at once. */
function proved(r: ContestRules, s: ContestableState, rec: CtJob, node: number, now: Seconds, random: Random, out: Decision[]): void {
  const id = rec.job.id;
  rec.prover = node;
  if (!r.hasValidity) return finish(s, rec, 'delivered', node, out);
  rec.validity = r.validityBond;
  if (r.validityBond > 0) out.push({ type: 'collateral', jobId: id, operator: node, amount: r.validityBond });
  // Two draws per proof whatever the outcome, so that streams stay aligned across parameters.
  const u = random.next();
  const v = random.next();
  rec.wrong = u < r.p.invalidProofProb;
  rec.contest = r.contests && (rec.wrong || v < r.p.falseContestProb);
  rec.phase = 'cooling';
  out.push({ type: 'timer', jobId: id, at: now + r.p.cooldown, tag: CT_TAG_COOLDOWN });
  if (rec.contest) out.push({ type: 'timer', jobId: id, at: now + r.p.contestDelay, tag: CT_TAG_CONTEST });
  else {
    out.push({ type: 'done', jobId: id, outcome: 'delivered', operator: node });
    rec.doneSent = true;
  }
}

/** A node delivered the job's proof: bonds by phase (in the window, open, reopened), then the validity stage. */
export function deliverProof(
  r: ContestRules,
  s: ContestableState,
  rec: CtJob,
  node: number,
  now: Seconds,
  random: Random,
  out: Decision[],
): void {
  const id = rec.job.id;
  leaveWork(s, rec, node);
  stopWork(s, rec, node, out);
  if (rec.phase === 'assigned') {
    // In the window: the liveness bond comes back (LibProving.sol `_returnLivenessBond` @c190bcf9).
    if (rec.bond > 0) out.push({ type: 'release', jobId: id, operator: rec.assigned, amount: rec.bond });
  } else if (rec.phase === 'open') {
    const { reward, burn } = lateSplit(rec.bond, r.p.openRewardBps);
    if (rec.bond > 0) out.push({ type: 'slash', jobId: id, operator: rec.assigned, burn, toOperator: node, reward, toTreasury: 0 });
  } else {
    // Reopened: the final proof (a higher tier, not contestable) earns the wrong prover's last quarter.
    if (rec.reprove > 0)
      out.push({ type: 'slash', jobId: id, operator: rec.prover, burn: 0, toOperator: node, reward: rec.reprove, toTreasury: 0 });
    rec.reprove = 0;
    return finish(s, rec, 'delivered', node, out);
  }
  rec.bond = 0;
  proved(r, s, rec, node, now, random, out);
}

/** The deadline passed unproved: work stops, bonds are settled, the job expires. */
export function expire(s: ContestableState, rec: CtJob, out: Decision[]): void {
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
export function contest(r: ContestRules, s: ContestableState, rec: CtJob, now: Seconds, random: Random, out: Decision[]): void {
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
  rec.contestBond = r.contestBond;
  rec.phase = 'contested';
  out.push({ type: 'collateral', jobId: rec.job.id, operator: contester, amount: r.contestBond });
  out.push({ type: 'timer', jobId: rec.job.id, at: now + r.p.resolveDelay, tag: CT_TAG_RESOLVE });
}

/** The higher-tier proof resolves the contest: the right party keeps its bond; a wrong proof reopens the job. */
export function resolve(r: ContestRules, s: ContestableState, rec: CtJob, now: Seconds, out: Decision[]): void {
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
  openUp(r, s, rec, out);
}
