import { batchAuction } from './batch-auction/index.js';
import { contestable } from './contestable/index.js';
import { firstFit } from './first-fit/index.js';
import { orderBook } from './order-book/index.js';
import { mechanismParamEntries } from './params-registry.js';
import { proofRace } from './race/index.js';
import { randomAllocation } from './random/index.js';
import { reputationSelection } from './reputation/index.js';
import { reverseDutch } from './reverse-dutch/index.js';
import { sealedBid } from './sealed-bid/index.js';
import { selfHosted } from './self-hosted/index.js';
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
  return entry(e.id, e.description, factory, e.defaults, e.presetTable);
});

/** Every registered mechanism, in registration order. */
export function mechanisms(): readonly MechanismEntry[] {
  return entries;
}

/** Looks a mechanism up by id. */
export function mechanismById(id: string): MechanismEntry | undefined {
  return entries.find((e) => e.id === id);
}
