import type { Seconds } from '../types.js';

/**
 * A Boundless offer (contracts/src/types/Offer.sol), with times in whole seconds since PR #375.
 *
 * Prices are integers in any unit: micro-USD as `number` (what pmsim's ledger uses) or wei as
 * `bigint` (what the contract uses). Every price of one offer has the same type.
 */
export interface Offer<P extends number | bigint = number> {
  /** Price at and before `rampUpStart`. */
  readonly minPrice: P;
  /** Price at the end of the ramp, held until the lock deadline. */
  readonly maxPrice: P;
  /** When the ramp starts (the contract's `rampUpStart`, formerly `biddingStart`), whole seconds. */
  readonly rampUpStart: Seconds;
  /** Length of the ramp, whole seconds. */
  readonly rampUpPeriod: Seconds;
  /** Lock deadline, relative to `rampUpStart`, whole seconds. */
  readonly lockTimeout: Seconds;
  /** Request deadline, relative to `rampUpStart`, whole seconds. */
  readonly timeout: Seconds;
  /** Collateral the locker posts. */
  readonly lockCollateral: P;
}

/** The last second at which the offer can be locked and its locker paid: `rampUpStart + lockTimeout`. */
export function lockDeadline(offer: Offer<number | bigint>): Seconds {
  return offer.rampUpStart + offer.lockTimeout;
}

/** The last second at which the request can be fulfilled: `rampUpStart + timeout`. */
export function deadline(offer: Offer<number | bigint>): Seconds {
  return offer.rampUpStart + offer.timeout;
}

/**
 * Checks an offer as `OfferLibrary.validate` does (minPrice ≤ maxPrice, rampUpPeriod ≤ lockTimeout
 * ≤ timeout), plus what pmsim needs: whole-second times and non-negative integer prices. Throws.
 */
export function validateOffer(offer: Offer<number | bigint>): void {
  // Field by field, not `[...].every(...)`: every submission validates its offer, and the two arrays
  // and closures were about a third of what a submission allocated.
  if (
    !(wholeSeconds(offer.rampUpStart) && wholeSeconds(offer.rampUpPeriod) && wholeSeconds(offer.lockTimeout) && wholeSeconds(offer.timeout))
  ) {
    throw new RangeError('offer: times must be whole, non-negative seconds');
  }
  if (!(wholePrice(offer.minPrice) && wholePrice(offer.maxPrice) && wholePrice(offer.lockCollateral))) {
    throw new RangeError('offer: prices must be non-negative integers');
  }
  if (offer.minPrice > offer.maxPrice) throw new RangeError('offer: minPrice > maxPrice');
  if (offer.rampUpPeriod > offer.lockTimeout) throw new RangeError('offer: rampUpPeriod > lockTimeout');
  if (offer.lockTimeout > offer.timeout) throw new RangeError('offer: lockTimeout > timeout');
}

const wholeSeconds = (t: number): boolean => Number.isSafeInteger(t) && t >= 0;
const wholePrice = (p: number | bigint): boolean => (typeof p === 'bigint' ? p >= 0n : Number.isSafeInteger(p) && p >= 0);

/** floor(a × b / c) for non-negative safe integers, exact (BigInt when a × b exceeds 2^53). */
function mulDiv(a: number, b: number, c: number): number {
  const prod = a * b;
  if (prod <= Number.MAX_SAFE_INTEGER) {
    let q = Math.floor(prod / c);
    // Float division can round up across an integer boundary; correct it with exact products.
    if (q * c > prod) q--;
    else if ((q + 1) * c <= prod) q++;
    return q;
  }
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

/**
 * The price of an offer at time `t` (`OfferLibrary.priceAt`), in integer arithmetic:
 * - `minPrice` up to and including `rampUpStart`;
 * - then `minPrice + floor((t − rampUpStart)(maxPrice − minPrice) / rampUpPeriod)` to the end of the ramp;
 * - then `maxPrice` up to and including the lock deadline (`rampUpStart + lockTimeout`);
 * - then 0: after the lock deadline the requester pays nothing (PR #378).
 *
 * `t` is read as a block timestamp: fractional simulated seconds are floored to whole seconds.
 * The result has the type of the offer's prices (`number` micro-USD or `bigint` wei).
 */
export function priceAt(offer: Offer<bigint>, t: Seconds): bigint;
export function priceAt(offer: Offer<number>, t: Seconds): number;
export function priceAt(offer: Offer<number> | Offer<bigint>, t: Seconds): number | bigint {
  const ts = Math.floor(t);
  if (ts <= offer.rampUpStart) return offer.minPrice;
  if (ts > lockDeadline(offer)) return typeof offer.minPrice === 'bigint' ? 0n : 0;
  if (ts <= offer.rampUpStart + offer.rampUpPeriod) {
    // Here rampUpPeriod > 0 (ts > rampUpStart), so the division is safe.
    const delta = ts - offer.rampUpStart;
    if (typeof offer.minPrice === 'bigint') {
      const o = offer as Offer<bigint>;
      return o.minPrice + (BigInt(delta) * (o.maxPrice - o.minPrice)) / BigInt(o.rampUpPeriod);
    }
    const o = offer as Offer<number>;
    return o.minPrice + mulDiv(delta, o.maxPrice - o.minPrice, o.rampUpPeriod);
  }
  return offer.maxPrice;
}

/**
 * The earliest whole second at which the offer is worth at least `price` (`OfferLibrary.timeAtPrice`):
 * `rampUpStart + ceil((price − minPrice) × rampUpPeriod / (maxPrice − minPrice))`, or 0 when
 * `price ≤ minPrice` (worth it at any time). Throws when `price > maxPrice`, as the contract reverts.
 */
export function timeAtPrice(offer: Offer<number>, price: number): Seconds;
export function timeAtPrice(offer: Offer<bigint>, price: bigint): Seconds;
export function timeAtPrice(offer: Offer<number> | Offer<bigint>, price: number | bigint): Seconds {
  if (price > offer.maxPrice) throw new RangeError('timeAtPrice: price above maxPrice');
  if (price <= offer.minPrice) return 0;
  const num = (BigInt(price) - BigInt(offer.minPrice)) * BigInt(offer.rampUpPeriod);
  const rise = BigInt(offer.maxPrice) - BigInt(offer.minPrice);
  return offer.rampUpStart + Number((num + rise - 1n) / rise);
}
