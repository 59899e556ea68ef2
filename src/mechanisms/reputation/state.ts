import type { DenseTable } from '../dense-table.js';
import type { Job, Micros, ProtocolState, Seconds } from '../types.js';
import type { RankIndex } from './rank-index.js';

/** Timer tag: the job's deadline. */
export const REP_TAG_DEADLINE = 1;
/** Timer tag: the chosen prover's proving window closes (the backup race opens if it has not delivered). */
export const REP_TAG_WINDOW = 2;

/** One open job of the reputation market. */
export interface RepJob {
  readonly job: Job;
  readonly fee: Micros;
  /** The job's public beacon (bytes, and as 8 words for the hash). */
  readonly beacon: Uint8Array;
  readonly beaconWords: Int32Array;
  /** Beacon draws used so far (every selection takes the next). */
  draws: number;
  /** Nodes that were assigned the job: never drawn for it again. */
  tried: number[];
  /** The chosen prover while it works, -1 otherwise. */
  primary: number;
  /** Absolute end of the chosen prover's proving window. */
  windowEnd: Seconds;
  /** Waiting for a chosen prover (none was free, or it declined). */
  wantPrimary: boolean;
  /** The backup race has opened. */
  racing: boolean;
  /** Backup racers at work (a gang racer: its lead). */
  racers: number[];
  /** A gang job's attempts: lead → every member, the lead first (absent for one-node jobs). */
  crews: Map<number, number[]> | undefined;
  /** Backup seats still to fill (no eligible prover was free). */
  seats: number;
  queued: boolean;
  closed: boolean;
}

/** The mechanism-owned state of reputation-weighted selection. */
export interface ReputationState extends ProtocolState {
  /**
   * The registered provers, which are free, and the free ones ranked by reputation for O(log N) draws
   * (kept in step with `reputation`; docs/mechanisms/reputation.md, "The selection index").
   * @internal an index of the core, not part of the published state
   */
  rank: RankIndex;
  /** Node id → reputation (the public table that audits read). */
  reputation: number[];
  /** Node id → owning entity. */
  entity: number[];
  /** Entity → proofs it delivered and was paid for (the HHI monitor's input). */
  delivered: number[];
  jobs: DenseTable<RepJob>;
  /** Node id → the job it works on. */
  nodeJob: (RepJob | undefined)[];
  /** FIFO of jobs waiting for a prover (lazy deletion). */
  queue: RepJob[];
  qHead: number;
  lastBeacon: Uint8Array;
  lastBeaconWords: Int32Array;
  /** Time of the input being applied. */
  now: Seconds;
  scratch: { reps: number[]; sort: number[] };
}

/** Marks a node free or busy. */
export function setFree(s: ReputationState, node: number, free: boolean): void {
  s.rank.setFree(node, free);
}

/** Sets a node's reputation (the public table and the rank index). */
export function setReputation(s: ReputationState, node: number, r: number): void {
  s.reputation[node] = r;
  s.rank.setReputation(node, r);
}
