/**
 * The allocation core contract: the types every mechanism speaks.
 *
 * This folder is shared with production code. It imports nothing from the simulator (engine,
 * agents, market, metrics, ...): a live coordinator could run the same functions. Time is a plain
 * number of seconds, money is integer micro-USD, randomness is passed in.
 */

/** Integer micro-USD (1 USD = 1,000,000). Integers keep the ledger exact. */
export type Micros = number;

/** Simulated (or wall-clock, in production) time in seconds. */
export type Seconds = number;

/** Resources a job needs, or a node offers. */
export interface Resources {
  readonly cpus: number;
  readonly gpus: number;
  readonly memoryGb: number;
}

/** A proof request as the protocol sees it. */
export interface Job {
  /** Dense id, unique within a run, assigned in submission order. */
  readonly id: number;
  /** Index of the requester that submitted it. */
  readonly requester: number;
  /** Workload kind (for example `zkvm`, `eth-block`, `aggregation`): hardware speed depends on it. */
  readonly kind: string;
  /** Work in millions of RISC-V cycles (Mcycles). */
  readonly mcycles: number;
  /** Resources the job needs on one node. */
  readonly request: Resources;
  readonly submittedAt: Seconds;
  /** Absolute time by which the proof must be delivered. */
  readonly deadline: Seconds;
  /** The most the requester will pay for the job, in total. */
  readonly maxPrice: Micros;
  /** How many independent provers the requester wants on the job (1-3). */
  readonly redundancy: number;
  /** Declared proving time on reference hardware (ZkCloud's `time` field), used for fixed-price fees. */
  readonly estSeconds: Seconds;
}

/** A prover node as advertised to the protocol. An entity (owner) may run many nodes. */
export interface OperatorInfo {
  /** Dense node id. */
  readonly id: number;
  /** Owning entity: market power is measured by entity. */
  readonly entity: number;
  readonly capacity: Resources;
  /** Hardware class (`cpu`, `gpu`, `vpu`). */
  readonly hardware: string;
  /**
   * The most this node can post as stake, USD (its owner's capital shared among its nodes). Absent:
   * unbounded. Mechanisms with a stake rule (`stake.ts`) post min(required stake, capital) at join.
   */
  readonly capitalUsd?: number;
}

/** A source of uniform numbers in [0, 1). Injected; mechanisms never create their own. */
export interface Random {
  next(): number;
}

/** What happens to the protocol: one input per `step`. */
export type Input =
  /** A requester submits a job (and, in an order book, its bid). */
  | { readonly type: 'submit'; readonly job: Job }
  /** An operator accepts an assignment. */
  | { readonly type: 'accept'; readonly jobId: number; readonly operator: number }
  /** An operator declines an assignment (busy, unprofitable, offline). */
  | { readonly type: 'decline'; readonly jobId: number; readonly operator: number }
  /** An operator bids (sealed-bid) or asks (order book) a total price for a job. */
  | { readonly type: 'bid'; readonly jobId: number; readonly operator: number; readonly price: Micros; readonly finishBy: Seconds }
  /** An operator posts a standing ask: a price per Mcycle for its free capacity. */
  | { readonly type: 'ask'; readonly operator: number; readonly pricePerMcycle: number; readonly expiresAt: Seconds }
  /** An operator withdraws its standing ask. */
  | { readonly type: 'cancel-ask'; readonly operator: number }
  /** An operator tries to lock a job (reverse Dutch) or joins a race. */
  | { readonly type: 'lock'; readonly jobId: number; readonly operator: number }
  /** An operator delivers a valid proof. */
  | { readonly type: 'deliver'; readonly jobId: number; readonly operator: number }
  /** An operator's attempt failed or was abandoned. */
  | { readonly type: 'fail'; readonly jobId: number; readonly operator: number }
  /** A node is free for new work. */
  | { readonly type: 'available'; readonly operator: number }
  /** A node joins the network. */
  | { readonly type: 'join'; readonly operator: OperatorInfo }
  /** A node leaves the network (exit or ejection acknowledged). */
  | { readonly type: 'leave'; readonly operator: number }
  /** A timer set by a `timer` decision fires. */
  | { readonly type: 'timer'; readonly jobId: number; readonly tag: number };

/** Roles of an assignment. */
export type AssignRole = 'primary' | 'redundant' | 'fallback' | 'winner' | 'racer';

/** Terminal outcomes of a job. Every job ends in exactly one. */
export type Outcome = 'delivered' | 'failed' | 'expired' | 'rejected';

/** What the protocol decides: the market shell carries these out. */
export type Decision =
  /** Give the job to an operator at a price. `committed`: the operator already agreed (bid, lock). */
  | {
      readonly type: 'assign';
      readonly jobId: number;
      readonly operator: number;
      readonly price: Micros;
      readonly role: AssignRole;
      readonly committed: boolean;
      /** For beacon-drawn selections: the public beacon and the draw number, so anyone can `audit` it. */
      readonly beacon?: number;
      readonly draw?: number;
    }
  /** Ask operators to respond: `bid` (sealed bids until `until`), `lock` (reverse Dutch), `race` (join an open race). */
  | {
      readonly type: 'solicit';
      readonly jobId: number;
      readonly mode: 'bid' | 'lock' | 'race';
      /** Current price or reward on offer. */
      readonly reward: Micros;
      /** Responses after this time are ignored. */
      readonly until: Seconds;
      /** Nodes that may not respond (they already tried). */
      readonly exclude: readonly number[];
      /** A price that ramps linearly from `from` at `start` to `to` at `end`, then holds (reverse Dutch). */
      readonly ramp?: { readonly start: Seconds; readonly end: Seconds; readonly from: Micros; readonly to: Micros };
    }
  /** Tell an operator to stop working on a job (a race was won, the job ended). */
  | { readonly type: 'abort'; readonly jobId: number; readonly operator: number }
  /** Pay an operator from the job's escrow, or from protocol emission. */
  | { readonly type: 'settle'; readonly jobId: number; readonly operator: number; readonly amount: Micros; readonly source: 'escrow' | 'emission' }
  /** Return money from escrow to the requester under a failure rule. */
  | { readonly type: 'refund'; readonly jobId: number; readonly amount: Micros }
  /** Burn money from escrow. */
  | { readonly type: 'burn'; readonly jobId: number; readonly amount: Micros }
  /** Move money from escrow to the protocol treasury (fees, commissions). */
  | { readonly type: 'fee'; readonly jobId: number; readonly amount: Micros }
  /** An operator posts collateral into the job's escrow. */
  | { readonly type: 'collateral'; readonly jobId: number; readonly operator: number; readonly amount: Micros }
  /** Return posted collateral from escrow to its operator. */
  | { readonly type: 'release'; readonly jobId: number; readonly operator: number; readonly amount: Micros }
  /** Slash collateral held in escrow: part burned, part to another operator, the rest to the treasury. */
  | { readonly type: 'slash'; readonly jobId: number; readonly operator: number; readonly burn: Micros; readonly toOperator: number; readonly reward: Micros; readonly toTreasury: Micros }
  /** Remove an operator from the network (ZkCloud ejects a prover whose work was re-done by a fallback). */
  | { readonly type: 'eject'; readonly operator: number }
  /** Ask a node for a standing ask (order book): the shell answers with an `ask` input (or nothing). */
  | { readonly type: 'request-ask'; readonly operator: number; readonly expiresAt: Seconds }
  /** Ask to be woken with a `timer` input at an absolute time. */
  | { readonly type: 'timer'; readonly jobId: number; readonly at: Seconds; readonly tag: number }
  /** The job reached its terminal state. Emitted exactly once per job. */
  | { readonly type: 'done'; readonly jobId: number; readonly outcome: Outcome; readonly operator: number }
  /**
   * All money for the job is settled and no attempt is outstanding: the shell returns whatever is
   * left in escrow to the requester (unused budget, not a refund) and forgets the job. After `done`.
   */
  | { readonly type: 'close'; readonly jobId: number };

/**
 * One allocation mechanism. Built by a factory, it is a plain object tagged by `type` (its id).
 *
 * `step` is a deterministic function of (state, input, now, random): it does no I/O and reads no
 * clock. For speed the state is owned by the mechanism and may be updated in place; a caller keeps
 * one state per market and never shares it. Decisions are appended to `out`, so the hot path
 * allocates no arrays.
 */
export interface Mechanism<S = unknown> {
  /** The mechanism id that scenario files name (`random`, `race`, ...). */
  readonly type: string;
  /** The resolved parameters, for reports and `run.json`. */
  readonly params: Readonly<Record<string, unknown>>;
  /**
   * Input types this mechanism never reads (for example `accept`, where an assignment stands until
   * declined). The shell may skip sending them; the outcome is the same either way.
   */
  readonly ignores?: readonly Input['type'][];
  /** Creates the initial state for a set of nodes. */
  init(operators: readonly OperatorInfo[]): S;
  /**
   * Applies one input at time `now` and appends the resulting decisions to `out`. The input object
   * is only valid during the call (callers may reuse it): keep its fields, never the object.
   */
  step(state: S, input: Input, now: Seconds, random: Random, out: Decision[]): void;
}

/** Builds a mechanism from user parameters (already validated by the scenario layer or the caller). */
export type MechanismFactory<P = Record<string, unknown>> = (params?: Partial<P>) => Mechanism;

/** Does a node's capacity meet a job's request? */
export function fits(capacity: Resources, request: Resources): boolean {
  return capacity.cpus >= request.cpus && capacity.gpus >= request.gpus && capacity.memoryGb >= request.memoryGb;
}

/** Converts dollars to integer micro-USD (rounded half away from zero). */
export function toMicros(usd: number): Micros {
  return Math.round(usd * 1_000_000);
}

/** Converts integer micro-USD to dollars. */
export function toUsd(micros: Micros): number {
  return micros / 1_000_000;
}
