import type { Job, Micros } from '../types.js';
import { bondMicros } from './bonds.js';
import type { ContestableParams } from './params.js';

/** The resolved parameters and the amounts derived from them once, read by every rule. */
export interface ContestRules {
  readonly p: ContestableParams;
  /** Liveness, validity and contest bonds in micro-USD. */
  readonly liveness: Micros;
  readonly validityBond: Micros;
  readonly contestBond: Micros;
  /** Whether a proof goes through a validity stage (cooldown with a bond at stake). */
  readonly hasValidity: boolean;
  /** Whether a proof can be contested before its cooldown ends. */
  readonly contests: boolean;
}

/** Checks the parameters a scenario cannot check one by one. */
export function validateContestable(p: ContestableParams): void {
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

/** The rules of validated parameters. */
export function contestRules(p: ContestableParams): ContestRules {
  const validityBond = bondMicros(p.validityBond, p.taikoUsd);
  const contestBond = bondMicros(p.contestBond, p.taikoUsd);
  return {
    p,
    liveness: bondMicros(p.livenessBond, p.taikoUsd),
    validityBond,
    contestBond,
    hasValidity: p.cooldown > 0 && (validityBond > 0 || contestBond > 0),
    contests: p.cooldown > 0 && contestBond > 0 && p.contestDelay < p.cooldown,
  };
}

/** The proving fee paid to the assigned prover: a share of the requester's maximum price. */
export function proverFee(r: ContestRules, job: Job): Micros {
  return Math.round(job.maxPrice * r.p.priceShare);
}
