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
   * Speed-tiered rewards (Gevulot 2023): the i-th valid proof of a job gets this share of the
   * job's whole fee pool. Empty: every slot is paid its own fee.
   */
  rewardTiers: number[];
  /** Declines a prover may make within `declineWindow` seconds; one more and it is removed (ZkCloud: 4 per month). */
  maxDeclines: number;
  declineWindow: number;
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
};

/** Named real-world parameter sets. Sources: ../docs/mechanisms.md. */
export const randomPresets: Record<string, Partial<RandomParams>> = {
  /**
   * ZkCloud design docs (execution-guarantees.md, fees.md, firestarter pricing): fixed $/h, one
   * random fallback, 50% back to the requester on fallback success with the first prover ejected,
   * every fee burned when both fail.
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
  },
  /**
   * Gevulot network docs (2023): N provers per workload, a declined slot opened to a race where the
   * first proof is paid, rewards tiered by speed (1st > 2nd > 3rd).
   */
  'gevulot-2023': {
    fallbackRounds: 0,
    declineToRace: true,
    lastResortRace: true,
    onExhausted: 'refund',
    ejectOnFallbackSuccess: false,
    rewardTiers: [0.5, 0.3, 0.2],
  },
};
