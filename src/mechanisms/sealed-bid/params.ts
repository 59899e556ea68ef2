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
  /**
   * Fixed part of every request's cost, USD: cost = bid + base fee (Succinct `state.rs:902`,
   * `cost = price × pgus + base_fee`). Bids above the price limit minus the base fee are ignored.
   */
  baseFeeUsd: number;
  /**
   * Stake each node posts at join, USD, bounded by its capital (`stake.ts`). 0: no stake, and
   * `maxConcurrent` caps the jobs a node holds. With stake, a node may hold floor(stake /
   * `stakePerJobUsd`) jobs and bids only with that much free stake (Succinct docs protocol/spn/staking).
   */
  stakeUsd: number;
  /** Stake one auction needs (Succinct's per-request minimum stake, `BID_AMOUNT_STAKE_VALUE`). */
  stakePerJobUsd: number;
  /** With stake and `slashOnMiss`: share of the job's stake slashed on a miss ("part of your stake"). */
  stakeSlashShare: number;
  /** May a slashed prover re-stake from its remaining capital? */
  restake: boolean;
  /**
   * Dispenser (Succinct `DISPENSE_RATE`, 0.063 PROVE/s): tokens per second paid to stakers in
   * proportion to stake, per `dispenseEpoch` seconds. `dispenseTokenUsd` 0: off.
   */
  dispenseRate: number;
  dispenseTokenUsd: number;
  dispenseEpoch: number;
}

export const sealedBidDefaults: SealedBidParams = {
  auctionPeriod: 30,
  settlement: 'first',
  maxConcurrent: 4,
  slashOnMiss: false,
  collateralMultiple: 1,
  slashBurnBps: 5000,
  protocolFeeBps: 0,
  baseFeeUsd: 0,
  stakeUsd: 0,
  stakePerJobUsd: 10,
  stakeSlashShare: 1,
  restake: true,
  dispenseRate: 0.063,
  dispenseTokenUsd: 0,
  dispenseEpoch: 3600,
};

/** Named real-world parameter sets. Sources: docs/mechanisms/sealed-bid.md. */
export const sealedBidPresets: Record<string, Partial<SealedBidParams>> = {
  /**
   * Succinct SPN (succinctlabs/network@b80c118 PROTOCOL.md; crates/vapp/src/{state,fee}.rs): the
   * auction "settles at the winning bid" (first price), cost = bid + base fee, protocol fee 0. Stake
   * sets how many auctions a node may join: $40 at $10 per auction is 4 at once (docs
   * protocol/spn/staking; the amounts are stand-ins, PROVE has no fixed dollar value).
   * Missed-deadline slashing is "not implemented yet" in PROTOCOL.md, so it is off; turn on
   * `slashOnMiss` to slash stake as the prover docs describe. The 30 s auction period is an
   * assumption (optimism PR #22640: bids arrive 3-10 s after the request). The base fee and the
   * dispenser's token value are not published: 0 here (see docs/mechanisms/sealed-bid.md).
   */
  succinct: {
    settlement: 'first',
    auctionPeriod: 30,
    maxConcurrent: 4,
    slashOnMiss: false,
    protocolFeeBps: 0,
    stakeUsd: 40,
    stakePerJobUsd: 10,
    stakeSlashShare: 1,
    restake: true,
  },
  /**
   * Brevis ProverNet (request-auction docs; 4pillars TODA note): commit-reveal sealed bids, escrowed
   * max fee refunded if unfulfilled. Its payment rule is not published: second price is modelled.
   */
  brevis: { settlement: 'second', auctionPeriod: 30, maxConcurrent: 4, slashOnMiss: false, protocolFeeBps: 0 },
};
