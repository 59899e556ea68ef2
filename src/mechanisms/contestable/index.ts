import { allFree } from '../free-index.js';
import { resolveParams } from '../resolve-params.js';
import type { Mechanism, OperatorInfo } from '../types.js';
import { defineMechanism, seenIds } from '../types.js';
import { contestableHandlers } from './handlers.js';
import { type ContestableParams, contestableDefaults, contestablePresets } from './params.js';
import { contestRules, validateContestable } from './rules.js';
import type { ContestableState } from './state.js';

export { afterFriction, bondMicros, lateSplit, wrongProofSplit } from './bonds.js';
export { type ContestableParams, contestableDefaults, contestablePresets } from './params.js';
export { CT_TAG_CONTEST, CT_TAG_COOLDOWN, CT_TAG_DEADLINE, CT_TAG_RESOLVE, CT_TAG_WINDOW, type ContestableState } from './state.js';

/**
 * Contestable assigned proving (mechanism id `contestable`), after Taiko's based contestable
 * rollup (taikoxyz/taiko-mono; commits and files in docs/mechanisms/contestable.md):
 * - a job's assigned prover (pmsim: the first free compatible node, FIFO; Taiko: the prover the
 *   block proposer signed up, or the proposer itself) is paid the proving fee at assignment, posts a
 *   liveness bond and has an exclusive proving window (assign.ts);
 * - a proof in the window gets the bond back; after the window anyone may prove, and the prover of
 *   record gets `openRewardBps` of the late bond, the rest burned (proof.ts);
 * - a proof posts a validity bond and may be contested during the cooldown with a contest bond; a
 *   higher-tier (guardian) proof resolves the contest `resolveDelay` later: a correct proof gets its
 *   bond back and the contester loses its bond to the protocol; a wrong proof's bond pays the
 *   contester 3/4 and the final prover 1/4 of 7/8, and the job reopens for that final proof (proof.ts).
 */
export function contestable(params: Partial<ContestableParams> & { preset?: string } = {}): Mechanism<ContestableState> {
  const p: ContestableParams = resolveParams('contestable', contestableDefaults, contestablePresets, params);
  validateContestable(p);
  const preset = params.preset;
  return defineMechanism<ContestableState>({
    type: 'contestable',
    params: { ...p, ...(preset ? { preset } : {}) },
    init: initContestable,
    handlers: contestableHandlers(contestRules(p)),
  });
}

/** Every operator free, in one free-node index; no job yet. */
function initContestable(operators: readonly OperatorInfo[]): ContestableState {
  return {
    seen: seenIds(),
    index: allFree(operators),
    capacities: operators.map((o) => o.capacity),
    jobs: new Map(),
    queue: [],
    qHead: 0,
    openWait: [],
    nodeJob: [],
    active: operators.map((o) => o.id).sort((a, b) => a - b),
    scratch: [],
  };
}
