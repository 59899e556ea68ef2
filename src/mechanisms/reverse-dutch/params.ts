/** Parameters of the reverse Dutch auction (Boundless). Shares are 0-1, times in seconds. */
export interface ReverseDutchParams {
  /** minPrice as a share of the job's price limit (SDK default: minPrice = 0). */
  minPriceShare: number;
  /** Collateral the locker posts, as a multiple of maxPrice (auction.mdx recommends 10). Used when `collateralZkc` is 0. */
  collateralMultiple: number;
  /**
   * A flat lock collateral in ZKC (the SDK's Base-mainnet default is 20 ZKC, `offer_layer.rs:883-906`),
   * worth `zkcUsd` each. 0: use `collateralMultiple`.
   */
  collateralZkc: number;
  /** Dollar value of one ZKC: a scenario parameter (pmsim does not model the token price). */
  zkcUsd: number;
  /**
   * A lock reverts unless the prover's collateral balance covers the lock collateral
   * (`BoundlessMarket.sol:227`). The balance is the node's share of its owner's capital
   * (`OperatorInfo.capitalUsd`; unbounded without `capital_usd`), less collateral locked or slashed.
   * Off by default (the shell's entity-level capital bound applies instead); on in `boundless`,
   * where it replaces the shell's (`mechanismBoundsCollateral` in src/market/collateral-limits.ts).
   */
  collateralBalance: boolean;
  /** A locker whose attempt fails retries this many times before its lock deadline (broker `proof_retry_count` = 1). */
  proofRetries: number;
  /**
   * Proof of Verifiable Work: `povwZkcPerEpoch` ZKC per `povwEpoch` seconds to provers, in proportion
   * to the work of the proofs they delivered (boundless-xyz/zkc README; PovwMint.sol). Paid only
   * with `povwZkcUsd` > 0 (it is a network-wide budget: see docs/mechanisms/reverse-dutch.md).
   */
  povwZkcPerEpoch: number;
  povwZkcUsd: number;
  povwEpoch: number;
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
  /**
   * SDK ramp-up delay: rampUpStart = now + min(max(rampUpDelay, ⌈rampUpDelayPerMcycle × Mcycles⌉),
   * rampUpDelayMax) — a 30 s base or the executor time at 1 MHz, at most 1 h
   * (`request_builder/mod.rs:822,847-860`). Rounded up to a whole second.
   */
  rampUpDelay: number;
  rampUpDelayPerMcycle: number;
  rampUpDelayMax: number;
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
  collateralZkc: 0,
  zkcUsd: 1,
  // One rule in one place: without the contract's own check the shell bounds collateral by the
  // entity's capital (src/market/collateral-limits.ts); the `boundless` preset uses the contract's.
  collateralBalance: false,
  proofRetries: 0,
  povwZkcPerEpoch: 0,
  povwZkcUsd: 0,
  povwEpoch: 2 * 86400,
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
  rampUpDelayPerMcycle: 0,
  rampUpDelayMax: 3600,
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
   * Boundless SDK defaults and contract (boundless-xyz/boundless@3835bc4
   * crates/boundless-market/src/request_builder/{mod.rs,offer_layer.rs}, contracts/src/BoundlessMarket.sol,
   * broker-template.toml): minPrice 0, timeouts from the cycle count, ramp start after max(30 s,
   * executor time at 1 MHz) capped at 1 h, a flat 20 ZKC lock collateral (at a stand-in $1 per ZKC),
   * locks that revert without the collateral balance, one proof retry, 50% of a slash burned, no
   * market fee. PoVW: 75% of each 2-day epoch's emission (7% a year of 1 B ZKC in year 0, so
   * 288,462 ZKC) split by work; off until `povwZkcUsd` is set. The 2 s lock delay (one Base block)
   * is an assumption.
   */
  boundless: {
    minPriceShare: 0,
    collateralMultiple: 10,
    collateralZkc: 20,
    zkcUsd: 1,
    collateralBalance: true,
    // The broker's `proof_retry_count = 1` is the prover's behaviour: the shell retries a failed
    // lock (src/market/work.ts). A retry here too would count it twice.
    proofRetries: 0,
    povwZkcPerEpoch: (0.75 * 0.07 * 1e9) / 182,
    povwZkcUsd: 0,
    povwEpoch: 2 * 86400,
    timeouts: 'sdk',
    lockTimeoutBase: 1800,
    lockTimeoutPerMcycle: 7,
    lockTimeoutMax: 14400,
    timeoutMultiple: 2,
    rampUpBase: 600,
    rampUpPerMcycle: 2,
    rampUpMax: 7200,
    rampUpDelay: 30,
    rampUpDelayPerMcycle: 1,
    rampUpDelayMax: 3600,
    lockDelay: 2,
    slashBurnBps: 5000,
    marketFeeBps: 0,
    directFulfil: false,
  },
};
