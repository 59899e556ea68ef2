import type { Feedback } from '../agents/feedback.js';
import type { Quote } from '../agents/strategy.js';
import type { Rng } from '../engine/rng.js';
import type { Simulation } from '../engine/simulation.js';
import type { Decision, InputDraft, Job } from '../mechanisms/types.js';
import type { RunMetrics } from '../metrics/run-metrics.js';
import type { Scenario } from '../scenario/schema.js';
import type { AttemptBook } from './attempt-book.js';
import type { Requester } from './demand.js';
import type { CollateralBook } from './entry-exit.js';
import type { JobTable } from './job-table.js';
import type { Ledger } from './ledger.js';
import type { Entity, Node } from './population.js';
import type { PackingRoom } from './packing-room.js';
import type { SurplusBound } from './welfare.js';

/** Event kinds of the shell's kernel. */
export const ARRIVAL = 0;
export const COMPLETE = 1;
export const TIMER = 2;
export const WINDOW = 3;
export const INPUT = 4;
export const JOIN = 5;
/** A reverse-Dutch job's next lock attempt (`lock-answers.ts`). */
export const LOCK_TRY = 6;

/** One finished job, for `jobs.csv`. */
export interface JobRow {
  job_id: number;
  requester: number;
  kind: string;
  mcycles: number;
  submitted_s: number;
  deadline_s: number;
  outcome: string;
  ended_s: number;
  on_time: boolean;
  latency_s: number;
  price_usd: number;
  operator: number;
  entity: string;
  attempts: number;
}

/** The shell's record of an open job. */
export interface JobRec {
  job: Job;
  escrowIn: number;
  refunds: number;
  compute: number;
  useful: number;
  attempts: number;
  outcome: string;
  doneAt: number;
  winner: number;
  /** The committed winner (a locker), -1: none; and how many of its failed attempts it retried. */
  locker: number;
  retries: number;
  /** The requester's value of a proof by the deadline, USD. */
  value: number;
}

/**
 * What every room of the shell shares during one market run: the clock, the population, the money,
 * the open jobs and attempts, and the way back into the mechanism (`feed`). Built once by
 * `runMarket`; each room (money, work, agents, outcomes, events) reads it.
 */
export interface MarketContext {
  readonly scenario: Scenario;
  readonly sim: Simulation;
  readonly nodes: readonly Node[];
  readonly entities: readonly Entity[];
  readonly demand: readonly Requester[];
  readonly ledger: Ledger;
  readonly metrics: RunMetrics;
  readonly jobs: JobTable<JobRec>;
  /** Attempts in progress, per node. */
  readonly attempts: AttemptBook;
  readonly feedback: Feedback;
  readonly collateral: CollateralBook;
  /** Node id → its owner and the owner's random stream (the hot path asks for both on every job). */
  readonly ownerOf: readonly Entity[];
  readonly rngOf: readonly Rng[];
  /** Entity id → its random stream. */
  readonly agentRng: readonly Rng[];
  /** The cheapest live node per class, for the welfare bound (`update` it when a node's `active` or `ejected` changes). */
  readonly surplus: SurplusBound;
  /** Node id → compute cost of its last attempt, micro-USD (the useful cost of a delivery). */
  readonly lastCost: Float64Array;
  readonly seeds: { readonly fail: number; readonly jitter: number; readonly raceOrder: number; readonly beacon: number };
  /** Receives every job once its money is final (for `jobs.csv`). */
  readonly onJob?: (row: JobRow) => void;
  /** Active entities now (for the time series). */
  activeEntities: number;
  /** When the last attempt ended. */
  lastActivity: number;
  /** Gives an input to the mechanism now (queued if a step is running). */
  feed(input: InputDraft): void;
  /** Gives an input to the mechanism at a later time. */
  later(at: number, input: InputDraft): void;
  /** What a job would cost a node and when it would finish, as strategies see it (`bidders`: nodes the solicitation reached). */
  quote(node: Node, job: Job, bidders?: number): Quote;
  /** The collateral a lock or bid at `price` needs (undefined: the mechanism takes none), micro-USD. */
  readonly collateralFor?: (job: Job, price: number) => number;
  /** The mechanism bounds lock collateral itself (the shell does not check a lock a second time). */
  readonly collateralChecked?: boolean;
  /** Can the entity post `micros` of collateral? (capital + ledger balance; unlimited without `capital_usd`) */
  canPost(entity: number, micros: number): boolean;
  /** A node stops taking work (exit or ejection). */
  deactivate(nodeId: number): void;
  /** Running attempts of multi-job nodes (issue 13, `packing-room.ts`); absent when no node is concurrent. */
  readonly packing?: PackingRoom;
  /** A node became busy, free, active or inactive (the agents' race entry index re-reads it). */
  nodeChanged(nodeId: number): void;
  /** The mechanism frees a node on its own deliver or fail report: no `available` after them (`Mechanism.freesOnReport`). */
  readonly freesOnReport: boolean;
}

/** Carries out one kind of decision. */
export type DecisionHandler<T extends Decision['type']> = (d: Extract<Decision, { type: T }>) => void;

/** The shell's side of the hallway: one handler per decision type, grouped by room. */
export type DecisionTable = { readonly [T in Decision['type']]: DecisionHandler<T> };
