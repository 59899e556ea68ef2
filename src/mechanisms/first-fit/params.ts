/**
 * Parameters of first-fit assignment (Fermah's Matchmaker). Times in seconds. Sources:
 * docs/mechanisms/first-fit.md (docs.fermah.xyz/network/proof-request-life-cycle).
 */
export interface FirstFitParams {
  /**
   * The seeker's time limit: a job not delivered by then is `rejected` (Fermah: "If no proof gets
   * generated on time, then the Proof Request status is set to REJECTED"). `deadline`: the job's
   * own deadline is the seeker's limit; `fixed`: `timeout` seconds after submission.
   */
  limit: 'deadline' | 'fixed';
  /** The default time limit with `limit: fixed` (Fermah: 1 hour); 0: no limit. */
  timeout: number;
  /**
   * Availability commitment: an operator registered to serve (Fermah: for at least 500 blocks) and
   * takes what it is assigned (`committed` assignments). Off: an operator may decline, and the job
   * goes to the next free compatible node.
   */
  committed: boolean;
  /** Share of the job's price limit paid to the prover that delivers (Fermah publishes no price rule). */
  priceShare: number;
  /** Protocol fee on the price, basis points. */
  protocolFeeBps: number;
  /** Times a failed job is re-assigned (ahead of the queue) before it counts as failed. */
  retries: number;
}

export const firstFitDefaults: FirstFitParams = {
  limit: 'deadline',
  timeout: 3600,
  committed: true,
  priceShare: 1,
  protocolFeeBps: 0,
  retries: 2,
};

/** Named real-world parameter sets. Sources: docs/mechanisms/first-fit.md. */
export const firstFitPresets: Record<string, Partial<FirstFitParams>> = {
  /**
   * Fermah devnet/testnet (docs.fermah.xyz/network/proof-request-life-cycle): operators commit
   * availability when they register (≥ 500 blocks), the Matchmaker assigns to the first available
   * operator with equivalent or stronger hardware, and a request with no seeker limit is REJECTED
   * after the default limit of 1 hour.
   */
  fermah: { limit: 'fixed', timeout: 3600, committed: true },
};
