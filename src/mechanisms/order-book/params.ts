/** Parameters of the continuous double auction (order book). Dollar amounts are USD; shares are 0-1. */
export interface OrderBookParams {
  /**
   * The price of a trade: `resting` (the price of the order that was already in the book: the ask
   * when a bid arrives, the bid when an ask arrives), `midpoint`, `bid` (the requester's limit) or
   * `ask` (the operator's ask × the job's Mcycles).
   */
  priceRule: 'resting' | 'midpoint' | 'bid' | 'ask';
  /** Lifetime of a standing ask, seconds: an expired ask is dropped and its (idle) node asked again. */
  askTtl: number;
  /**
   * Match only when the job can be finished by its deadline: `now + finishFactor × estSeconds ≤
   * deadline` (the declared proving time on reference hardware stands in for the ask's promised
   * finish). Off: match regardless and let the proof be late.
   */
  requireFinish: boolean;
  finishFactor: number;
  /** Commission: this share of the trade price, taken from the operator's payment (never more than the price). */
  commissionShare: number;
  /** Commission floor, USD (=nil: `mc` = 1 token). */
  commissionMinUsd: number;
  /** Share of the commission sent as the first `fee` (=nil: 0.7 to the market team; the rest, 0.3, to the circuit developer). */
  commissionSplit: number;
  /**
   * Deposit backing each operator's asks, USD per entity; 0 = no deposit required. An entity may
   * hold matched trades worth at most `depositUsd / penaltyFactor` at once (=nil: X / pf).
   */
  depositUsd: number;
  /** =nil's penalty factor `pf`: the deposit must cover pf × the value of open trades. */
  penaltyFactor: number;
  /** Pay a proof delivered after the deadline (=nil: no, "proof producers do not get the payment"). */
  payLate: boolean;
  /**
   * Among asks of equal price, the producer with the higher rating (share of its matched trades
   * completed on time) is matched first (=nil economics.md "Apply proof producer's rating").
   */
  ratingTieBreak: boolean;
  /** A failed attempt puts the bid back in the book (if its deadline can still be met). */
  rematchOnFail: boolean;
  /**
   * Longest hold of a bid out of the book while asks it should see are on their way, seconds:
   * after matching found expired asks and asked their idle nodes again. The bid is posted when
   * every node asked has answered (`ask` or `cancel-ask`), or after `askWait`: it then meets the
   * fresh asks together, best price first (asks arriving later still match it in the book).
   */
  askWait: number;
}

export const orderBookDefaults: OrderBookParams = {
  priceRule: 'resting',
  askTtl: 3600,
  requireFinish: true,
  finishFactor: 1,
  commissionShare: 0,
  commissionMinUsd: 0,
  commissionSplit: 0.7,
  depositUsd: 0,
  penaltyFactor: 10,
  payLate: true,
  ratingTieBreak: false,
  rematchOnFail: true,
  askWait: 2,
};

/** Named real-world parameter sets. Sources: docs/mechanisms/order-book.md, docs/mechanisms-reference.md. */
export const orderBookPresets: Record<string, Partial<OrderBookParams>> = {
  /**
   * =nil; Proof Market (proof-market-toolchain gitbook-docs/market/economics.md): bids lock their
   * cost; a producer is paid "the amount indicated in the ask cost"; commission c = 0.5% of the bid
   * cost with a minimum mc = 1 token, split 0.7 (market team) / 0.3 (circuit developer), deducted
   * from the producer's payment (workflow step 6: the producer gets the cost minus the commission;
   * pmsim takes the commission on the trade price, which is the ask cost here); a deposit X
   * lets a producer process bids worth at most X / pf at once, pf = 10; asks only match bids whose
   * time they can meet (t_a ≤ t_b); a proof that is not on time is not paid and the bid can be
   * re-matched. The token's USD value is not published: mc is taken as 1 µUSD (the ledger's unit)
   * and the deposit as $1,000 per entity (so $100 of open trades); both are stand-ins.
   */
  'nil-proof-market': {
    priceRule: 'ask',
    requireFinish: true,
    commissionShare: 0.005,
    commissionMinUsd: 0.000001,
    commissionSplit: 0.7,
    depositUsd: 1000,
    penaltyFactor: 10,
    payLate: false,
    ratingTieBreak: true,
    rematchOnFail: true,
  },
  /**
   * Mina Snarketplace (MinaProtocol/docs2 docs/node-operators/faq.mdx): the snark pool keeps the
   * lowest-fee work per job and the block producer pays that fee; a zero fee is allowed; no
   * deadlines beyond the job's own, no commission, no deposit.
   */
  'mina-snarketplace': {
    priceRule: 'ask',
    requireFinish: false,
    commissionShare: 0,
    commissionMinUsd: 0,
    depositUsd: 0,
    payLate: true,
    rematchOnFail: true,
  },
};
