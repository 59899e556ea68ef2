/**
 * Parameters of contestable assigned proving (Taiko). Times in seconds, bonds in TAIKO. Sources
 * (repository taikoxyz/taiko-mono, read with git at the commits named): docs/mechanisms/contestable.md.
 */
export interface ContestableParams {
  /** The assigned prover's exclusive proving window, from assignment (Taiko: from proposal). */
  provingWindow: number;
  /** Liveness bond the assigned prover posts at assignment, TAIKO. */
  livenessBond: number;
  /**
   * Share of a late prover's liveness bond paid to whoever proves after the window, basis points;
   * the rest is burned (it stays in the Taiko contract, paid to nobody).
   */
  openRewardBps: number;
  /** Validity bond the prover of a contestable proof posts at delivery, TAIKO (0: none). */
  validityBond: number;
  /** Contest bond a contester posts, TAIKO (0: proofs cannot be contested). */
  contestBond: number;
  /** Cooldown after a proof during which it may be contested; 0: a proof is final at once. */
  cooldown: number;
  /** When a contester contests a proof it will contest, seconds after the proof (must be < cooldown). */
  contestDelay: number;
  /** When a higher-tier (guardian) proof resolves a contest, seconds after the contest (pmsim's stand-in). */
  resolveDelay: number;
  /** Probability that a delivered proof is wrong (pmsim's stand-in; drawn per proof from the injected random). */
  invalidProofProb: number;
  /** Probability that a correct proof is contested anyway (a mistaken or griefing contester; stand-in). */
  falseContestProb: number;
  /** USD per TAIKO: a stand-in price, not a quote. */
  taikoUsd: number;
  /** Share of the job's price limit paid to the assigned prover at assignment (the proving fee). */
  priceShare: number;
  /**
   * Times a failed assigned prover starts again within its window (its bond is at stake; pmsim's
   * stand-in, like the Boundless broker's one retry). After that it waits for the window to end.
   */
  retries: number;
}

/**
 * Defaults: Pacaya's mainnet liveness rule (a 2-hour window, half of a late bond to the actual
 * prover), with Ontake's SGX-tier validity and contest bonds, so that every rule is on. The
 * cooldown is 4 hours (TIER_GUARDIAN_MINORITY's `cooldownWindow: 240` at protocol-v1.8.0; the SGX
 * tier's 24 hours is in the presets), short enough for a run's drain to close its jobs.
 * Wrong-proof and false-contest rates, delays and the TAIKO price are stand-ins.
 */
export const contestableDefaults: ContestableParams = {
  provingWindow: 7200,
  livenessBond: 125,
  openRewardBps: 5000,
  validityBond: 125,
  contestBond: 820,
  cooldown: 14_400,
  contestDelay: 600,
  resolveDelay: 3600,
  invalidProofProb: 0.01,
  falseContestProb: 0.005,
  taikoUsd: 0.5,
  priceShare: 1,
  retries: 1,
};

/** Named Taiko versions. Sources: docs/mechanisms/contestable.md (commits and files). */
export const contestablePresets: Record<string, Partial<ContestableParams>> = {
  /**
   * PR #14531 "prover fee independent of gas amount" (commit 8593ca43fb2814046a080d7b5661eabe2bbd78b8):
   * TaikoConfig.sol `proofWindow: 90 minutes`, `proofBond: 1024e18`; LibVerifying.sol `_rewardProver`
   * refunds the bond when proven within the window, else "Reward half of the bond to the actual
   * prover" (`proofBond / 2`), the other half left in the contract. No tiers, no contests.
   */
  'taiko-pr14531': {
    provingWindow: 5400,
    livenessBond: 1024,
    openRewardBps: 5000,
    validityBond: 0,
    contestBond: 0,
    cooldown: 0,
  },
  /**
   * Mainnet before PR #17616 halved the bonds (commit 1c59e8c42d71a900743ba6aaab8642297b29dc92):
   * TaikoL1.sol `livenessBond: 250e18`; TierProviderBase.sol TIER_SGX (the minimum tier of
   * TierProviderV2) `validityBond: 250 ether`, `contestBond: 1640 ether`, `cooldownWindow: 1440`
   * minutes, `provingWindow: 60` minutes. LibProving.sol returns the liveness bond only in the
   * window (`_returnLivenessBond`): a late bond goes to nobody.
   */
  'taiko-mainnet-2024': {
    provingWindow: 3600,
    livenessBond: 250,
    openRewardBps: 0,
    validityBond: 250,
    contestBond: 1640,
    cooldown: 86_400,
  },
  /**
   * Ontake, tag protocol-v1.8.0 (commit c190bcf9d70aafa18486520dec0d7899b6ceed72): TaikoL1.sol
   * `livenessBond: 125e18`; TierProviderBase.sol TIER_SGX `validityBond: 125 ether`,
   * `contestBond: 820 ether`, `cooldownWindow: 1440`, `provingWindow: 60`; late bond to nobody.
   */
  'taiko-ontake': {
    provingWindow: 3600,
    livenessBond: 125,
    openRewardBps: 0,
    validityBond: 125,
    contestBond: 820,
    cooldown: 86_400,
  },
  /**
   * Pacaya, tag taiko-alethia-protocol-v2.1.0 (commit a1e4ed7f3cf72734d518e12ea6aa1df834ac469a):
   * MainnetInbox.sol `livenessBondBase: 125e18` + `livenessBondPerBlock: 5e18` (one job = a batch of
   * one block: 130), `provingWindow: 2 hours`, `cooldownWindow: 0 hours`; TaikoInbox.sol credits
   * `ts.inProvingWindow ? batch.livenessBond : batch.livenessBond / 2` to the prover of record.
   */
  'taiko-pacaya': {
    provingWindow: 7200,
    livenessBond: 130,
    openRewardBps: 5000,
    validityBond: 0,
    contestBond: 0,
    cooldown: 0,
  },
};
