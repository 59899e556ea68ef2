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
/** Gang jobs (N nodes at once): member selection and payment shares (docs/gang.md). */
export { canEverFit, drawGang, splitAmong, takeGang } from './gang.js';
export { BidClasses, BUSY, READY, fromRotationKey, rotationKey } from './bid-classes.js';
export { resolveParams } from './resolve-params.js';
export {
  budgetMicros,
  closeEpoch,
  credit,
  distribute,
  emissionBook,
  emits,
  EPOCH_JOB,
  feeShareReward,
  noEmission,
  onEpochTimer,
  proofWeight,
  TAG_EPOCH,
  type EmissionBook,
  type EmissionParams,
  type EmissionSplit,
} from './emission.js';
/** Stake as one protocol concept: posted at join bounded by capital, per-job locking, slashing, re-staking. */
export * as stake from './stake.js';
export {
  randomAllocation,
  randomDefaults,
  randomPresets,
  declaredSeconds,
  slotFee,
  TAG_CAP0,
  TAG_DEADLINE,
  TAG_READMIT0,
  type RandomParams,
  type RandomState,
} from './random/index.js';
export {
  proofRace,
  raceDefaults,
  racePresets,
  RACE_TAG_DEADLINE,
  RACE_TAG_JOIN_CLOSED,
  type RaceParams,
  type RaceState,
} from './race/index.js';
export {
  orderBook,
  orderBookDefaults,
  orderBookPresets,
  BOOK_TAG_DEADLINE,
  BOOK_TAG_POST,
  type OrderBookParams,
  type OrderBookState,
} from './order-book/index.js';
export {
  reverseDutch,
  priceAt,
  lockDeadline,
  deadline,
  timeAtPrice,
  validateOffer,
  offerFor,
  slashSplit,
  reverseDutchDefaults,
  reverseDutchPresets,
  type Offer,
  type ReverseDutchParams,
  type ReverseDutchState,
} from './reverse-dutch/index.js';
export {
  sealedBid,
  sealedBidDefaults,
  sealedBidPresets,
  clear,
  rotationDraw,
  type SealedBidParams,
  type SealedBidState,
  type Clearing,
} from './sealed-bid/index.js';
export { selfHosted, selfHostedDefaults, selfHostedPresets, type SelfHostedParams, type SelfHostedState } from './self-hosted/index.js';
export { firstFit, firstFitDefaults, firstFitPresets, FF_TAG_LIMIT, type FirstFitParams, type FirstFitState } from './first-fit/index.js';
export {
  batchAuction,
  batchAuctionDefaults,
  batchAuctionPresets,
  mcafee,
  BATCH_TAG_CLEAR,
  BATCH_TAG_DEADLINE,
  type BatchAuctionParams,
  type BatchAuctionState,
  type McAfeeResult,
  type Order,
} from './batch-auction/index.js';
export {
  reputationSelection,
  reputationDefaults,
  reputationPresets,
  reputationTable,
  reputationHhi,
  auditReputation,
  auditReputationGang,
  pickIndex,
  topThreshold,
  drawUnit,
  drawUnitFromBytes,
  outcomeScore,
  updateReputation,
  stationaryShares,
  REP_TAG_DEADLINE,
  REP_TAG_WINDOW,
  type ReputationParams,
  type ReputationState,
  type ReputationOutcome,
  type SelectionRule,
} from './reputation/index.js';
export {
  contestable,
  contestableDefaults,
  contestablePresets,
  bondMicros,
  lateSplit,
  wrongProofSplit,
  afterFriction,
  CT_TAG_WINDOW,
  CT_TAG_DEADLINE,
  CT_TAG_CONTEST,
  CT_TAG_COOLDOWN,
  CT_TAG_RESOLVE,
  type ContestableParams,
  type ContestableState,
} from './contestable/index.js';
export { mechanisms, mechanismById, type MechanismEntry } from './registry.js';
