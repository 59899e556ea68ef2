import { batchAuctionDefaults, batchAuctionPresets } from './batch-auction/params.js';
import { contestableDefaults, contestablePresets } from './contestable/params.js';
import { firstFitDefaults, firstFitPresets } from './first-fit/params.js';
import { orderBookDefaults, orderBookPresets } from './order-book/params.js';
import { raceDefaults, racePresets } from './race/params.js';
import { randomDefaults, randomPresets } from './random/params.js';
import { reputationDefaults, reputationPresets } from './reputation/params.js';
import { resolveParams } from './resolve-params.js';
import { reverseDutchDefaults, reverseDutchPresets } from './reverse-dutch/params.js';
import { sealedBidDefaults, sealedBidPresets } from './sealed-bid/params.js';
import { selfHostedDefaults, selfHostedPresets } from './self-hosted/params.js';

/**
 * What the simulator knows of a mechanism without building it: its id, description, parameter
 * defaults and presets. `pmsim validate` and `pmsim list` read this registry only, so they never load
 * the mechanism factories (issue 10: a fast CLI); `registry.ts` pairs each entry with its factory.
 */
export interface MechanismParamsEntry {
  readonly id: string;
  readonly description: string;
  /** Every parameter the mechanism accepts, with its default value. */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** Named real-world parameter sets: preset name → the parameters it overrides. */
  readonly presetTable: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Names of the presets, in declaration order. */
  readonly presets: readonly string[];
  /** Parameter names the mechanism accepts (for validation and `pmsim list`). */
  readonly paramNames: readonly string[];
}

function params(id: string, description: string, defaults: object, presetTable: Record<string, object>): MechanismParamsEntry {
  return {
    id,
    description,
    defaults: defaults as Record<string, unknown>,
    presetTable: presetTable as Record<string, Record<string, unknown>>,
    presets: Object.keys(presetTable),
    paramNames: Object.keys(defaults),
  };
}

/** The registered mechanisms' parameters, in registration order. Each mechanism adds one entry here and one factory in registry.ts. */
const entries: readonly MechanismParamsEntry[] = [
  params(
    'random',
    'Random allocation at a protocol-fixed price (Gevulot / ZkCloud): beacon-drawn provers, redundancy, fallback, optional last-resort race',
    randomDefaults,
    randomPresets,
  ),
  params(
    'race',
    'Proof racing (proof mining): every eligible operator may join, each bears its compute, the first delivery wins the reward (requester price or Aleo-style emission)',
    raceDefaults,
    racePresets,
  ),
  params(
    'order-book',
    'Continuous double auction: jobs are bids, free nodes post asks per Mcycle, price-time priority, expiring/replaceable orders (=nil; Proof Market, Mina Snarketplace)',
    orderBookDefaults,
    orderBookPresets,
  ),
  params(
    'reverse-dutch',
    'Reverse Dutch auction (Boundless): the price ramps up until an operator locks the job with collateral; late lockers are slashed, secondaries fulfil for the collateral',
    reverseDutchDefaults,
    reverseDutchPresets,
  ),
  params(
    'sealed-bid',
    'Sealed-bid reverse auction (Succinct SPN, Brevis): bids over an auction period, lowest price wins, first or second price, stake caps concurrent jobs',
    sealedBidDefaults,
    sealedBidPresets,
  ),
  params(
    'self-hosted',
    'Baseline, not a market: the requester rents a dedicated cluster (nodes x hardware) for the whole run and proves its own jobs first come first served',
    selfHostedDefaults,
    selfHostedPresets,
  ),
  params(
    'first-fit',
    'First-fit assignment (Fermah): the first free node with compatible hardware gets the job, FIFO queue otherwise, committed availability, rejected after the time limit',
    firstFitDefaults,
    firstFitPresets,
  ),
  params(
    'batch-auction',
    "Periodic sealed-bid double auction (Lagrange DARA spirit): each period clears a batch of jobs against the free nodes' sealed asks by McAfee trade reduction, all or nothing per job, budget-balanced",
    batchAuctionDefaults,
    batchAuctionPresets,
  ),
  params(
    'reputation',
    'Reputation-weighted random selection (Aztec forum #2489): a beacon VRF among the top share by reputation, an exploration share for newcomers, a backup proof race when the chosen prover fails or is late',
    reputationDefaults,
    reputationPresets,
  ),
  params(
    'contestable',
    'Contestable assigned proving (Taiko): the assigned prover posts a liveness bond and has a proving window, then the job opens to anyone (half the late bond to the open prover); proofs post validity bonds and may be contested within a cooldown',
    contestableDefaults,
    contestablePresets,
  ),
];

/** Every registered mechanism's parameters, in registration order. */
export function mechanismParamEntries(): readonly MechanismParamsEntry[] {
  return entries;
}

/** Looks a mechanism's parameters up by id (own ids only: `constructor` is no mechanism). */
export function mechanismParamsById(id: string): MechanismParamsEntry | undefined {
  return entries.find((e) => e.id === id);
}

/**
 * A mechanism's resolved parameters (defaults, then the preset, then `given`), as its factory
 * resolves them, without building it. Throws on an unknown id, parameter or preset, with the
 * factory's messages.
 */
export function resolveMechanismParams(id: string, given: Record<string, unknown> & { preset?: string }): Record<string, unknown> {
  const e = mechanismParamsById(id);
  if (!e) throw new Error(`unknown mechanism "${id}"`);
  return resolveParams(id, e.defaults, e.presetTable, given);
}
