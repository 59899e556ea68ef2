/**
 * `pmsim/core`: the allocation core shared with production code. Pure and deterministic: no
 * engine, no clock, no I/O; randomness (the beacon) comes in with the inputs. Runs in Node and in
 * a browser (no Node built-ins).
 *
 * The mechanisms are built by factories that refuse unknown parameter names; each is driven by
 * the one {@link step} dispatcher over its handler table. See `types.ts` for the protocol
 * vocabulary, the timing contract and how to rebuild a state from its input log.
 *
 * @packageDocumentation
 */
export * from './types.js';
export { audit, verifySelection, selectionIndex, hash4, hashUniform, sha256, beaconWords, BEACON_BYTES } from './beacon.js';
export { FreeIndex } from './free-index.js';
export { resolveParams } from './resolve-params.js';
export { randomAllocation, randomDefaults, randomPresets, slotFee, TAG_DEADLINE, type RandomParams, type RandomState } from './random/index.js';
export { proofRace, raceDefaults, racePresets, RACE_TAG_DEADLINE, RACE_TAG_JOIN_CLOSED, type RaceParams, type RaceState } from './race/index.js';
export { orderBook, orderBookDefaults, orderBookPresets, BOOK_TAG_DEADLINE, BOOK_TAG_POST, type OrderBookParams, type OrderBookState } from './order-book/index.js';
export {
  reverseDutch, priceAt, lockDeadline, deadline, timeAtPrice, validateOffer, offerFor, slashSplit, reverseDutchDefaults, reverseDutchPresets,
  type Offer, type ReverseDutchParams, type ReverseDutchState,
} from './reverse-dutch/index.js';
export { sealedBid, sealedBidDefaults, sealedBidPresets, clear, type SealedBidParams, type SealedBidState, type Clearing } from './sealed-bid/index.js';
export { selfHosted, selfHostedDefaults, selfHostedPresets, type SelfHostedParams, type SelfHostedState } from './self-hosted/index.js';
export { firstFit, firstFitDefaults, firstFitPresets, FF_TAG_LIMIT, type FirstFitParams, type FirstFitState } from './first-fit/index.js';
export { batchAuction, batchAuctionDefaults, batchAuctionPresets, mcafee, BATCH_TAG_CLEAR, BATCH_TAG_DEADLINE, type BatchAuctionParams, type BatchAuctionState, type McAfeeResult, type Order } from './batch-auction/index.js';
export { mechanisms, mechanismById, type MechanismEntry } from './registry.js';
