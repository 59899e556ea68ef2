import { batchAuction, batchAuctionDefaults, batchAuctionPresets } from './batch-auction/index.js';
import { contestable, contestableDefaults, contestablePresets } from './contestable/index.js';
import { firstFit, firstFitDefaults, firstFitPresets } from './first-fit/index.js';
import { orderBook, orderBookDefaults, orderBookPresets } from './order-book/index.js';
import { proofRace, raceDefaults, racePresets } from './race/index.js';
import { randomAllocation } from './random/index.js';
import { randomDefaults, randomPresets } from './random/params.js';
import { reputationDefaults, reputationPresets, reputationSelection } from './reputation/index.js';
import { reverseDutch, reverseDutchDefaults, reverseDutchPresets } from './reverse-dutch/index.js';
import { sealedBid, sealedBidDefaults, sealedBidPresets } from './sealed-bid/index.js';
import { selfHosted, selfHostedDefaults, selfHostedPresets } from './self-hosted/index.js';
import type { Mechanism } from './types.js';

/** A mechanism the simulator and scenario files can name. */
export interface MechanismEntry {
  readonly id: string;
  readonly description: string;
  /** Builds the mechanism; `params` may include `preset`. Throws on an unknown preset or parameter. */
  readonly create: (params: Record<string, unknown>) => Mechanism;
  /** Named real-world parameter sets. */
  readonly presets: readonly string[];
  /** Parameter names the mechanism accepts (for validation and `pmsim list`). */
  readonly paramNames: readonly string[];
}

/** Checks that every key of `params` is a known parameter (or `preset`). */
export function checkParams(id: string, params: Record<string, unknown>, known: readonly string[]): void {
  for (const k of Object.keys(params)) {
    if (k !== 'preset' && !known.includes(k)) throw new Error(`unknown parameter "${k}" for mechanism ${id} (known: ${known.join(', ')})`);
  }
}

/** Builds a registry entry from a factory, its defaults and its presets. */
export function entry(
  id: string,
  description: string,
  factory: (params: Record<string, unknown>) => Mechanism,
  defaults: object,
  presets: Record<string, unknown>,
): MechanismEntry {
  const paramNames = Object.keys(defaults);
  return {
    id,
    description,
    presets: Object.keys(presets),
    paramNames,
    create: (params) => {
      checkParams(id, params, paramNames);
      if (params.preset !== undefined && !(String(params.preset) in presets)) {
        throw new Error(
          `unknown preset "${String(params.preset)}" for mechanism ${id} (known: ${Object.keys(presets).join(', ') || 'none'})`,
        );
      }
      return factory(params);
    },
  };
}

/** The registered mechanisms. Each mechanism adds one line here. */
const entries: readonly MechanismEntry[] = [
  entry(
    'random',
    'Random allocation at a protocol-fixed price (Gevulot / ZkCloud): beacon-drawn provers, redundancy, fallback, optional last-resort race',
    (p) => randomAllocation(p),
    randomDefaults,
    randomPresets,
  ),
  entry(
    'race',
    'Proof racing (proof mining): every eligible operator may join, each bears its compute, the first delivery wins the reward (requester price or Aleo-style emission)',
    (p) => proofRace(p),
    raceDefaults,
    racePresets,
  ),
  entry(
    'order-book',
    'Continuous double auction: jobs are bids, free nodes post asks per Mcycle, price-time priority, expiring/replaceable orders (=nil; Proof Market, Mina Snarketplace)',
    (p) => orderBook(p),
    orderBookDefaults,
    orderBookPresets,
  ),
  entry(
    'reverse-dutch',
    'Reverse Dutch auction (Boundless): the price ramps up until an operator locks the job with collateral; late lockers are slashed, secondaries fulfil for the collateral',
    (p) => reverseDutch(p),
    reverseDutchDefaults,
    reverseDutchPresets,
  ),
  entry(
    'sealed-bid',
    'Sealed-bid reverse auction (Succinct SPN, Brevis): bids over an auction period, lowest price wins, first or second price, stake caps concurrent jobs',
    (p) => sealedBid(p),
    sealedBidDefaults,
    sealedBidPresets,
  ),
  entry(
    'self-hosted',
    'Baseline, not a market: the requester rents a dedicated cluster (nodes x hardware) for the whole run and proves its own jobs first come first served',
    (p) => selfHosted(p),
    selfHostedDefaults,
    selfHostedPresets,
  ),
  entry(
    'first-fit',
    'First-fit assignment (Fermah): the first free node with compatible hardware gets the job, FIFO queue otherwise, committed availability, rejected after the time limit',
    (p) => firstFit(p),
    firstFitDefaults,
    firstFitPresets,
  ),
  entry(
    'batch-auction',
    "Periodic sealed-bid double auction (Lagrange DARA spirit): each period clears a batch of jobs against the free nodes' sealed asks by McAfee trade reduction, all or nothing per job, budget-balanced",
    (p) => batchAuction(p),
    batchAuctionDefaults,
    batchAuctionPresets,
  ),
  entry(
    'reputation',
    'Reputation-weighted random selection (Aztec forum #2489): a beacon VRF among the top share by reputation, an exploration share for newcomers, a backup proof race when the chosen prover fails or is late',
    (p) => reputationSelection(p),
    reputationDefaults,
    reputationPresets,
  ),
  entry(
    'contestable',
    'Contestable assigned proving (Taiko): the assigned prover posts a liveness bond and has a proving window, then the job opens to anyone (half the late bond to the open prover); proofs post validity bonds and may be contested within a cooldown',
    (p) => contestable(p),
    contestableDefaults,
    contestablePresets,
  ),
];

/** Every registered mechanism, in registration order. */
export function mechanisms(): readonly MechanismEntry[] {
  return entries;
}

/** Looks a mechanism up by id. */
export function mechanismById(id: string): MechanismEntry | undefined {
  return entries.find((e) => e.id === id);
}
