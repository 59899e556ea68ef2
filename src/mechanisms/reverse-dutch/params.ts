/** Parameters of the reverse Dutch auction (Boundless). Shares are 0-1, times in seconds. */
export interface ReverseDutchParams {
  /** minPrice as a share of the job's price limit (SDK default: minPrice = 0). */
  minPriceShare: number;
  /** Collateral the locker posts, as a multiple of maxPrice (auction.mdx recommends 10). */
  collateralMultiple: number;
  /**
   * How the offer's timeouts are set. `sdk`: the SDK defaults from the job's size (below).
   * `job`: timeout = the job's deadline − rampUpStart, lockTimeout = `lockShare` × timeout,
   * rampUpPeriod = `rampShare` × lockTimeout (so every mechanism works to the same deadline).
   */
  timeouts: 'sdk' | 'job';
  /** SDK: lockTimeout = min(lockTimeoutBase + lockTimeoutPerMcycle × Mcycles, lockTimeoutMax). */
  lockTimeoutBase: number;
  lockTimeoutPerMcycle: number;
  lockTimeoutMax: number;
  /** SDK: timeout = timeoutMultiple × lockTimeout. */
  timeoutMultiple: number;
  /** SDK: rampUpPeriod = min(rampUpBase + rampUpPerMcycle × Mcycles, rampUpMax). */
  rampUpBase: number;
  rampUpPerMcycle: number;
  rampUpMax: number;
  /** `job` mode: lockTimeout as a share of the timeout. */
  lockShare: number;
  /** `job` mode: rampUpPeriod as a share of the lockTimeout. */
  rampShare: number;
  /** Seconds from submission (rounded up to a whole second) to rampUpStart (old SDKs: 15 s `bidding_start_delay`). */
  rampUpDelay: number;
  /**
   * Reaction delay of a locker: an operator decides to lock when the price reaches its ask, and its
   * lock lands this many seconds later at the then-current price (the first decision wins). 0: at once.
   */
  lockDelay: number;
  /** Share of a slashed collateral that is burned, in basis points (`SLASHING_BURN_BPS` = 5000). */
  slashBurnBps: number;
  /** Market fee on the price paid to a prover, basis points (`MARKET_FEE_BPS` = 0). */
  marketFeeBps: number;
  /**
   * Fulfil-without-lock: when the ramp has reached maxPrice and nobody locked, open the job to a race
   * (solicit `race`) paid `priceAt` at delivery. Off by default (provers lock to get exclusivity).
   */
  directFulfil: boolean;
  /** At most this many racers per race (secondary or direct); 0: unlimited. */
  maxRacers: number;
  /**
   * When a node becomes available, re-offer this many open jobs (unlocked, or open to secondaries)
   * so nodes that were busy at submission can still lock them, round-robin. 0: solicit only once.
   */
  resolicit: number;
}

export const reverseDutchDefaults: ReverseDutchParams = {
  minPriceShare: 0,
  collateralMultiple: 10,
  timeouts: 'sdk',
  lockTimeoutBase: 1800,
  lockTimeoutPerMcycle: 7,
  lockTimeoutMax: 14400,
  timeoutMultiple: 2,
  rampUpBase: 600,
  rampUpPerMcycle: 2,
  rampUpMax: 7200,
  lockShare: 0.5,
  rampShare: 0.5,
  rampUpDelay: 0,
  lockDelay: 0,
  slashBurnBps: 5000,
  marketFeeBps: 0,
  directFulfil: false,
  maxRacers: 0,
  resolicit: 2,
};

/** Named real-world parameter sets. Sources: docs/mechanisms/reverse-dutch.md. */
export const reverseDutchPresets: Record<string, Partial<ReverseDutchParams>> = {
  /**
   * Boundless SDK defaults (request_builder/mod.rs, offer_layer.rs; contracts/src/BoundlessMarket.sol):
   * minPrice 0, timeouts from the cycle count, collateral 10 × maxPrice, 50% of a slash burned,
   * no market fee. The 2 s lock delay (one Base block) is an assumption.
   */
  boundless: {
    minPriceShare: 0,
    collateralMultiple: 10,
    timeouts: 'sdk',
    lockTimeoutBase: 1800,
    lockTimeoutPerMcycle: 7,
    lockTimeoutMax: 14400,
    timeoutMultiple: 2,
    rampUpBase: 600,
    rampUpPerMcycle: 2,
    rampUpMax: 7200,
    rampUpDelay: 0,
    lockDelay: 2,
    slashBurnBps: 5000,
    marketFeeBps: 0,
    directFulfil: false,
  },
};
