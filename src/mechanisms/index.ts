/**
 * `pmsim/core`: the allocation core shared with production code. Pure and deterministic: no
 * engine, no clock, no I/O; randomness comes in as an argument.
 */
export * from './types.js';
export { audit, selectionIndex, hash4, hashUniform, drawBeacon } from './beacon.js';
export { FreeIndex } from './free-index.js';
export { randomAllocation, randomDefaults, randomPresets, slotFee, TAG_DEADLINE, type RandomParams, type RandomState } from './random/index.js';
export {
  reverseDutch, priceAt, lockDeadline, deadline, timeAtPrice, validateOffer, offerFor, slashSplit, reverseDutchDefaults, reverseDutchPresets,
  type Offer, type ReverseDutchParams, type ReverseDutchState,
} from './reverse-dutch/index.js';
export { sealedBid, sealedBidDefaults, sealedBidPresets, type SealedBidParams, type SealedBidState } from './sealed-bid/index.js';
export { selfHosted, selfHostedDefaults, selfHostedPresets, type SelfHostedParams, type SelfHostedState } from './self-hosted/index.js';
export { mechanisms, mechanismById, type MechanismEntry } from './registry.js';
