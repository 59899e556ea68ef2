/** Parameters of the sealed-bid reverse auction (Succinct SPN, Brevis). Times in seconds. */
export interface SealedBidParams {
  /** How long bids are collected after submission (Succinct's `min_auction_period`). */
  auctionPeriod: number;
  /** `first`: the winner is paid its own bid. `second`: the lowest losing eligible bid (or the price limit if there is none). */
  settlement: 'first' | 'second';
  /** Jobs one operator (node) may hold at once, won and not yet finished (the stake cap); 0: unlimited. */
  maxConcurrent: number;
  /** Deadline slashing: the winner posts collateral, slashed when it fails or misses the job's deadline. */
  slashOnMiss: boolean;
  /** Collateral the winner posts, as a multiple of its winning price (with `slashOnMiss`). */
  collateralMultiple: number;
  /** Share of a slashed collateral that is burned, basis points; the rest goes to the treasury. */
  slashBurnBps: number;
  /** Protocol fee on the price, basis points (Succinct `PROTOCOL_FEE_BIPS` = 0). */
  protocolFeeBps: number;
}

export const sealedBidDefaults: SealedBidParams = {
  auctionPeriod: 30,
  settlement: 'first',
  maxConcurrent: 4,
  slashOnMiss: false,
  collateralMultiple: 1,
  slashBurnBps: 5000,
  protocolFeeBps: 0,
};

/** Named real-world parameter sets. Sources: docs/mechanisms/sealed-bid.md. */
export const sealedBidPresets: Record<string, Partial<SealedBidParams>> = {
  /**
   * Succinct SPN (PROTOCOL.md; crates/vapp/src/{state,fee}.rs): the auction "settles at the winning
   * bid" (first price), protocol fee 0, stake caps concurrent auctions. Missed-deadline slashing is
   * "not implemented yet" in PROTOCOL.md, so it is off. The 30 s auction period and the cap of 4 are
   * assumptions (optimism PR #22640: bids arrive 3-10 s after the request).
   */
  succinct: { settlement: 'first', auctionPeriod: 30, maxConcurrent: 4, slashOnMiss: false, protocolFeeBps: 0 },
  /**
   * Brevis ProverNet (request-auction docs; 4pillars TODA note): commit-reveal sealed bids, escrowed
   * max fee refunded if unfulfilled. Its payment rule is not published: second price is modelled.
   */
  brevis: { settlement: 'second', auctionPeriod: 30, maxConcurrent: 4, slashOnMiss: false, protocolFeeBps: 0 },
};
