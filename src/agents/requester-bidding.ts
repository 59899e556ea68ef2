/**
 * How a requester bids for a job it values at `value` (what a proof by the deadline is worth to
 * it), given the market's price range [`floor`, `ceiling`] and a uniform draw `u` from the
 * requester's own stream. The bid is the job's price limit (the escrowed maximum).
 *
 * - `truthful`: bids its value (pmsim's original requesters: the limit is the value).
 * - `zi-c`: Gode and Sunder's (1993, JPE 101(1), p. 123) budget-constrained zero-intelligence
 *   buyer: uniform in [floor, value]: it never bids above its value.
 * - `zi-u`: unconstrained: uniform in [floor, ceiling], whatever its value.
 * - `equilibrium`: the buyer's side of the first-price symmetric equilibrium with m buyers of
 *   values i.i.d. U(floor, ceiling): value − (value − floor)/m (Krishna, Auction Theory, §2.3,
 *   uniform case), with m = `buyers`.
 */
export type RequesterBidding = 'truthful' | 'zi-c' | 'zi-u' | 'equilibrium';

/** Ids of the requester bidding rules. */
export const REQUESTER_BIDDING: readonly RequesterBidding[] = ['truthful', 'zi-c', 'zi-u', 'equilibrium'];

/** The requester's bid (USD) under `rule`. */
export function requesterBid(rule: RequesterBidding, value: number, u: number, floor = 0, ceiling = value, buyers = 2): number {
  switch (rule) {
    case 'truthful':
      return value;
    case 'zi-c':
      return floor + (Math.max(floor, value) - floor) * u;
    case 'zi-u':
      return floor + (ceiling - floor) * u;
    case 'equilibrium':
      return value - (value - floor) / Math.max(1, buyers);
  }
}
