import type { FreeIndex } from '../free-index.js';
import type { Job, Micros, OperatorInfo, ProtocolState } from '../types.js';

/** Timer tag: the assigned prover's proving window ends. */
export const CT_TAG_WINDOW = 1;
/** Timer tag: the job's deadline. */
export const CT_TAG_DEADLINE = 2;
/** Timer tag: a contester contests the pending proof. */
export const CT_TAG_CONTEST = 3;
/** Timer tag: the pending proof's cooldown ends. */
export const CT_TAG_COOLDOWN = 4;
/** Timer tag: the higher-tier proof resolves the contest. */
export const CT_TAG_RESOLVE = 5;

/**
 * Where a job is. `queued`: waiting for a free node to be its assigned prover; `assigned`: the
 * assigned prover's exclusive window; `open`: after the window, anyone may prove; `cooling`: a proof
 * is in, contestable until the cooldown ends; `contested`: waiting for the higher-tier resolution;
 * `reopened`: a contest proved the proof wrong, anyone may deliver the final proof.
 */
export type Phase = 'queued' | 'assigned' | 'open' | 'cooling' | 'contested' | 'reopened' | 'closed';

/** One job's record in contestable proving. */
export interface CtJob {
  readonly job: Job;
  phase: Phase;
  /** The assigned prover, -1 before assignment. */
  assigned: number;
  /** Whether the assigned prover is still working on it. */
  assignedWorking: boolean;
  /** Failed attempts of the assigned prover. */
  failures: number;
  /** The open (or final) prover working on it, -1: none. */
  openWorker: number;
  /** Waiting in the open list for a free node. */
  waiting: boolean;
  /** Liveness bond held, micro-USD. */
  bond: Micros;
  /** Nodes that may not take the open job (declined, failed, proved it wrong). */
  excluded: number[];
  /** The prover of the pending proof, and its validity bond held. */
  prover: number;
  validity: Micros;
  /** Drawn at the proof: is it wrong, will it be contested. */
  wrong: boolean;
  contest: boolean;
  contester: number;
  contestBond: Micros;
  /** Left of the wrong prover's validity bond for the final prover (`reopened`). */
  reprove: Micros;
  doneSent: boolean;
}

/** A new job's record, queued for its assigned prover. */
export function newCtJob(job: Job): CtJob {
  return {
    job,
    phase: 'queued',
    assigned: -1,
    assignedWorking: false,
    failures: 0,
    openWorker: -1,
    waiting: false,
    bond: 0,
    excluded: [],
    prover: -1,
    validity: 0,
    wrong: false,
    contest: false,
    contester: -1,
    contestBond: 0,
    reprove: 0,
    doneSent: false,
  };
}

/** The mechanism-owned state of contestable proving. */
export interface ContestableState extends ProtocolState {
  index: FreeIndex;
  capacities: OperatorInfo['capacity'][];
  jobs: Map<number, CtJob>;
  /** Jobs waiting for an assigned prover, FIFO (lazy deletion from `qHead`). */
  queue: CtJob[];
  qHead: number;
  /** Open jobs waiting for a free node, FIFO. */
  openWait: CtJob[];
  /** Node id → the job it works on. */
  nodeJob: (CtJob | undefined)[];
  /** Nodes in the network, ascending (contesters are drawn from them). */
  active: number[];
  scratch: number[];
}
