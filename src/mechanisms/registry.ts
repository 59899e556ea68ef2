import { batchAuction } from './batch-auction/index.js';
import { contestable } from './contestable/index.js';
import { firstFit } from './first-fit/index.js';
import { orderBook } from './order-book/index.js';
import { type MechanismParamsEntry, mechanismParamEntries } from './params-registry.js';
import { proofRace } from './race/index.js';
import { randomAllocation } from './random/index.js';
import { reputationSelection } from './reputation/index.js';
import { reverseDutch } from './reverse-dutch/index.js';
import { sealedBid } from './sealed-bid/index.js';
import { selfHosted } from './self-hosted/index.js';
import type { Mechanism } from './types.js';

/**
 * A mechanism the simulator and scenario files can name: its parameters entry (id, description,
 * defaults, presets; params-registry.ts) and its factory.
 */
export interface MechanismEntry extends MechanismParamsEntry {
  /**
   * Builds the mechanism; `params` may include `preset`. Throws on an unknown preset or parameter:
   * every factory resolves its parameters with `resolveParams`, which checks both.
   */
  readonly create: (params: Record<string, unknown>) => Mechanism;
}

/**
 * The factory of each mechanism, by id. The ids, descriptions, defaults and presets live in
 * params-registry.ts (which `pmsim validate` reads without loading any factory); each mechanism adds
 * one line here and one entry there.
 */
const factories: Readonly<Record<string, (params: Record<string, unknown>) => Mechanism>> = {
  random: (p) => randomAllocation(p),
  race: (p) => proofRace(p),
  'order-book': (p) => orderBook(p),
  'reverse-dutch': (p) => reverseDutch(p),
  'sealed-bid': (p) => sealedBid(p),
  'self-hosted': (p) => selfHosted(p),
  'first-fit': (p) => firstFit(p),
  'batch-auction': (p) => batchAuction(p),
  reputation: (p) => reputationSelection(p),
  contestable: (p) => contestable(p),
};

const entries: readonly MechanismEntry[] = mechanismParamEntries().map((e) => {
  const factory = Object.hasOwn(factories, e.id) ? factories[e.id] : undefined;
  if (!factory) throw new Error(`mechanism ${e.id} has parameters but no factory in registry.ts`);
  return { ...e, create: factory };
});

/** Every registered mechanism, in registration order. */
export function mechanisms(): readonly MechanismEntry[] {
  return entries;
}

/** Looks a mechanism up by id. */
export function mechanismById(id: string): MechanismEntry | undefined {
  return entries.find((e) => e.id === id);
}
