/**
 * Parameters of the self-hosted baseline: the requester rents a dedicated cluster for the whole
 * run. The market shell builds the cluster from `nodes`, `hardware` and `devices` (it replaces the
 * scenario's operator population for this mechanism) and charges the rent for every hour.
 */
export interface SelfHostedParams {
  /** Nodes in the cluster. */
  nodes: number;
  /** Hardware profile id of every node (see `pmsim list`). */
  hardware: string;
  /** Devices (GPUs) per node. */
  devices: number;
  /** Rent of one device per hour, USD; 0: the profile's on-demand price (`rentUsdPerHour`). */
  rentUsdPerHour: number;
  /** Probability that one proving attempt fails; -1: the hardware profile's. */
  failureProb: number;
  /** Times a failed job is re-run on the cluster (ahead of the queue) before it counts as failed. */
  retries: number;
  /** Drop jobs still queued at their deadline (`expired`) instead of proving them late. */
  dropLate: boolean;
}

export const selfHostedDefaults: SelfHostedParams = {
  nodes: 4,
  hardware: 'gpu-rtx4090',
  devices: 1,
  rentUsdPerHour: 0,
  failureProb: -1,
  retries: 3,
  dropLate: false,
};

/** Named parameter sets. */
export const selfHostedPresets: Record<string, Partial<SelfHostedParams>> = {
  /** A rollup's own proving cluster: 8 servers of 8 x RTX 4090 on on-demand rent. */
  'rollup-cluster': { nodes: 8, hardware: 'gpu-rtx4090', devices: 8 },
};
