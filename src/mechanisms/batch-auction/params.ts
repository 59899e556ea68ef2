/**
 * Parameters of the periodic batch double auction (Lagrange DARA spirit). Times in seconds.
 * Sources: docs/mechanisms/batch-auction.md.
 */
export interface BatchAuctionParams {
  /** Whole seconds between clearings (≥ 1): jobs submitted in between form one batch. */
  period: number;
  /** How long a node's sealed ask stands (it is asked again when it frees up or its ask lapses). */
  askTtl: number;
  /** Times a failed job goes back to the next batch before it counts as failed. */
  retries: number;
}

export const batchAuctionDefaults: BatchAuctionParams = {
  period: 60,
  askTtl: 3600,
  retries: 1,
};

/** Named parameter sets. Sources: docs/mechanisms/batch-auction.md. */
export const batchAuctionPresets: Record<string, Partial<BatchAuctionParams>> = {
  /**
   * DARA as described (docs.lagrange.dev/prover-network/dara; eprint 2024/1750): bids and asks are
   * gathered over a period, then cleared at once. Lagrange publishes no period length: 60 s and
   * 5 min here are assumptions, named for what they trade off (latency against batch depth).
   */
  'dara-1m': { period: 60 },
  'dara-5m': { period: 300 },
};
