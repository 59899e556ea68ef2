/**
 * Parameters of reputation-weighted selection with a backup race (Aztec forum proposal #2489,
 * Norbert, Nilu, Rachit, 2023:
 * https://forum.aztec.network/t/proposal-decentralized-prover-network-staking-reputations-and-proof-races/2489).
 * Dollar amounts are USD; shares are 0-1; times are seconds. Which values come from the proposal and
 * which are pmsim's choice: docs/mechanisms/reputation.md.
 */
export interface ReputationParams {
  /**
   * Share of the eligible free provers, by reputation, that the VRF draws from (the proposal: "a
   * pool with the highest reputation score", the top 25% in the authors' summary). Provers tied
   * with the last one in are in too.
   */
  topShare: number;
  /**
   * Inside the top set, draw uniformly (`uniform`, the proposal's VRF) or in proportion to
   * reputation (`reputation`; pmsim's option, the one with a closed-form long-run share).
   */
  weighting: 'uniform' | 'reputation';
  /**
   * Share of selections drawn uniformly from the eligible provers outside the top set (all of them
   * when the top set is everyone): the entry path for newcomers. pmsim's choice; the proposal has
   * permissionless entry but no rule for how a newcomer earns reputation.
   */
  exploration: number;
  /** Reputation of a prover that has no history (a newcomer, or every prover at the start). pmsim's choice. */
  initialReputation: number;
  /**
   * At each of a prover's outcomes, reputation ← decay × reputation + (1 − decay) × the outcome's
   * score: an exponentially weighted mean of its outcomes, with memory 1 / (1 − decay) outcomes.
   * pmsim's choice (the proposal names what the score measures, uptime and failures, not a formula).
   */
  decay: number;
  /** Score of an on-time delivery (before the proving window closes; a backup racer: by the deadline). */
  onTimeScore: number;
  /** Score of a delivery after the proving window, or of a chosen prover that a backup beat. */
  lateScore: number;
  /** Score of a failed attempt, or of a chosen prover still proving at the deadline. */
  failScore: number;
  /** Score of a declined assignment. */
  declineScore: number;
  /**
   * The chosen prover's proving window, as a share of the time from assignment to the deadline;
   * past it the prover is late and the backup race opens. pmsim's choice (the proposal: a "given
   * proof time window", length not published).
   */
  windowShare: number;
  /**
   * Backup provers drawn into the race when the chosen prover fails or is late (the proposal's
   * "N number of provers selected to generate a proof based on proof-racing"; N not published).
   * 0: no backup race.
   */
  backupProvers: number;
  /** Protocol-fixed price of one GPU node for one hour (as `random`, so the two compare on selection alone). */
  gpuHourUsd: number;
  /** GPUs in the node that `gpuHourUsd` prices. */
  gpusPerNode: number;
  /** Protocol-fixed price of one CPU node for one hour. */
  cpuHourUsd: number;
  /** Protocol fee on the price, basis points. */
  protocolFeeBps: number;
}

/** The defaults: the proposal where it gives a value (top 25%, a uniform VRF, a backup race), pmsim's choice elsewhere. */
export const reputationDefaults: ReputationParams = {
  topShare: 0.25,
  weighting: 'uniform',
  exploration: 0.1,
  initialReputation: 0.5,
  decay: 0.9,
  onTimeScore: 1,
  lateScore: 0.25,
  failScore: 0,
  declineScore: 0.5,
  windowShare: 0.5,
  backupProvers: 2,
  gpuHourUsd: 0.84,
  gpusPerNode: 2,
  cpuHourUsd: 0.61,
  protocolFeeBps: 0,
};

/** Named parameter sets. Sources: docs/mechanisms/reputation.md. */
export const reputationPresets: Record<string, Partial<ReputationParams>> = {
  /**
   * Aztec forum #2489 as published: a VRF draws uniformly among the top 25% by reputation, a
   * backup proof race when the chosen prover fails, no exploration share (entry is permissionless
   * but a newcomer waits for the top set to reach it). N backup provers is not published: 2.
   */
  'aztec-2489': { topShare: 0.25, weighting: 'uniform', exploration: 0, backupProvers: 2 },
  /**
   * The variant: reputation-weighted draws among the top half, and a 10% exploration
   * share from outside it so newcomers can earn reputation.
   */
  weighted: { topShare: 0.5, weighting: 'reputation', exploration: 0.1, backupProvers: 2 },
};
