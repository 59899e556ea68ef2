/** Parameters of random allocation (Gevulot / ZkCloud). Dollar amounts are USD; shares are 0-1. */
export interface RandomParams {
  /** Protocol-fixed price of one GPU node for one hour (ZkCloud: $0.84 for a 2× RTX 4090 node). */
  gpuHourUsd: number;
  /** GPUs in the node that `gpuHourUsd` prices (ZkCloud: 2); a job pays gpus / gpusPerNode node-hours per hour. */
  gpusPerNode: number;
  /** Protocol-fixed price of one CPU node for one hour (ZkCloud: $0.61). */
  cpuHourUsd: number;
  /** Flat transaction fee per slot, paid to the protocol. */
  txFeeUsd: number;
  /** Share of each compute fee the protocol keeps. */
  protocolShare: number;
  /** How many times a failed slot is re-allocated to a fresh random prover. */
  fallbackRounds: number;
  /** Share of the slot fee refunded to the requester when a fallback prover succeeds. */
  fallbackRefundShare: number;
  /** Eject the failed prover(s) of a slot once a fallback succeeds. */
  ejectOnFallbackSuccess: boolean;
  /** When every round of a slot fails: burn the slot fee (`burn`) or refund it (`refund`). */
  onExhausted: 'burn' | 'refund';
  /** After the fallback rounds, open the slot to a race among all eligible free provers. */
  lastResortRace: boolean;
  /** A declined slot is opened to a race at once (Gevulot 2023) instead of re-drawn. */
  declineToRace: boolean;
  /** When no eligible prover is free: wait in the FIFO queue (`queue`) or fail at once (`fail`). */
  onNoCapacity: 'queue' | 'fail';
  /**
   * Speed-tiered network rewards (Gevulot 2023, "in addition to their portion of the fees paid by
   * the user"): the i-th valid proof of a job is paid its slot fee and, minted on top, this share
   * of the job's fee pool. Empty: no tiers.
   */
  rewardTiers: number[];
  /** Declines a prover may make within `declineWindow` seconds; one more and it is removed (ZkCloud: 4 per month). */
  maxDeclines: number;
  declineWindow: number;
  /** A second, shorter decline limit (ZkCloud: at most 1 a week, `provers.md:41`); -1: none. */
  maxDeclinesShort: number;
  declineWindowShort: number;
  /**
   * The requester's declared max compute time, as a multiple of the reference-hardware time
   * (`estSeconds`). The fee is charged on it (`fees.md:26`).
   */
  declaredTimeFactor: number;
  /**
   * Seconds the requester adds to the declared max compute time for the prover's start-up (loading
   * the program and its inputs). The declared time is the whole time the program may run on the
   * node: "If the user-specified max compute time is too short, the program will not complete, the
   * nodes will return a fail, and the fees will be burned" (gevulot-docs@0158025
   * `zkcloud-design/fees.md`, the note under *Fee Calculation*). So the fee, charged on that time,
   * covers the setup, and a tiny job is not priced below its cost. 1 s: pmsim's per-attempt setup
   * (`src/hardware-models/catalogue.ts`); ZkCloud publishes no figure (a stand-in). 0: the fee
   * covers the reference proving time only (before issue 10).
   */
  setupSeconds: number;
  /**
   * The declared time caps each attempt: an attempt still running at assignment + declared time
   * is stopped and fails ("the program will not complete … and the fees will be burned",
   * `fees.md:29`), and a failed slot's fallback starts only then (`provers.md:47`).
   */
  capAtDeclaredTime: boolean;
  /** A fallback prover that succeeds gets the whole fee ("regular rewards", `provers.md:52`); the refund comes from the failed prover's stake. */
  fallbackPaidInFull: boolean;
  /**
   * Stake per node at join, USD, bounded by its capital (`provers.md:29`); 0: none. A prover whose
   * fallback succeeded funds the requester's refund from it.
   */
  stakeUsd: number;
  /** A removed prover re-stakes from its capital and returns after this many seconds; -1: never (removal is final). */
  restakeAfter: number;
  /** Network reward for a valid proof within the max compute time, as a share of the fee, minted (`fees.md:49`). */
  networkRewardShare: number;
}

export const randomDefaults: RandomParams = {
  gpuHourUsd: 0.84,
  gpusPerNode: 2,
  cpuHourUsd: 0.61,
  txFeeUsd: 0,
  protocolShare: 0,
  fallbackRounds: 1,
  fallbackRefundShare: 0.5,
  // Off by default: with ZkCloud's literal rule, every node with any hardware failure rate is
  // eventually ejected (see the `zkcloud` preset and docs/mechanisms.md).
  ejectOnFallbackSuccess: false,
  onExhausted: 'burn',
  lastResortRace: false,
  declineToRace: false,
  onNoCapacity: 'queue',
  rewardTiers: [],
  maxDeclines: 4,
  declineWindow: 30 * 86400,
  maxDeclinesShort: -1,
  declineWindowShort: 7 * 86400,
  declaredTimeFactor: 1,
  setupSeconds: 1,
  capAtDeclaredTime: false,
  fallbackPaidInFull: false,
  stakeUsd: 0,
  restakeAfter: -1,
  networkRewardShare: 0,
};

/** Named real-world parameter sets. Sources: ../docs/mechanisms.md. */
export const randomPresets: Record<string, Partial<RandomParams>> = {
  /**
   * ZkCloud design docs (gevulot-docs@1b722dc zkcloud-design/{provers,fees}.md, firestarter/pricing.md):
   * $0.84 per 2× RTX 4090 node-hour; at most 1 decline a week and
   * 4 a month; the declared max compute time caps each attempt and the fallback starts when it ends;
   * one random fallback, which on success gets the regular fee while the requester gets 50% back
   * (from the failed prover's stake) and the failed prover is removed; every fee burned when both
   * fail. The 3-block accept window is not modelled (the core has no acceptance input: a silent
   * prover holds the job until its max compute time). Stand-ins (not published): requesters declare
   * 1.2× the reference time, $100
   * stake per node, a removed prover re-stakes and returns after a day, no network reward.
   */
  zkcloud: {
    gpuHourUsd: 0.84,
    gpusPerNode: 2,
    cpuHourUsd: 0.61,
    fallbackRounds: 1,
    fallbackRefundShare: 0.5,
    ejectOnFallbackSuccess: true,
    onExhausted: 'burn',
    lastResortRace: false,
    maxDeclines: 4,
    declineWindow: 30 * 86400,
    maxDeclinesShort: 1,
    declineWindowShort: 7 * 86400,
    declaredTimeFactor: 1.2,
    setupSeconds: 1,
    capAtDeclaredTime: true,
    fallbackPaidInFull: true,
    stakeUsd: 100,
    restakeAfter: 86400,
    networkRewardShare: 0,
  },
  /**
   * Gevulot network docs (gevulot-docs@ddba0cd network/provers.md, @e87d8b2): N provers per
   * workload, a declined or undelivered slot opened to a race where the first proof is paid, a
   * network reward tiered by speed (1st > 2nd > 3rd) on top of the fees, fees burned when the
   * program does not complete. The tier shares are not published.
   */
  'gevulot-2023': {
    fallbackRounds: 0,
    declineToRace: true,
    lastResortRace: true,
    onExhausted: 'burn',
    ejectOnFallbackSuccess: false,
    rewardTiers: [0.5, 0.3, 0.2],
  },
};
