import type { HardwareProfile } from './catalogue.js';

/** How a node's hardware is paid for. */
export type Ownership = 'owned' | 'rented';

/** The economics and speed of one prover node (one or more devices of one profile). */
export interface NodeModel {
  readonly profile: HardwareProfile;
  readonly devices: number;
  /** Cost of keeping the node busy for one hour, USD (depreciation + energy, or rent). */
  readonly hourlyCostUsd: number;
  /** Seconds to prove a job of `mcycles` of workload `kind` (before jitter). */
  duration(mcycles: number, kind: string): number;
}

const HOURS_PER_YEAR = 8766;

/**
 * Builds a node model. Owned hardware costs straight-line depreciation plus energy while busy;
 * rented hardware costs the rental price. `efficiency` (0-1) is the parallel efficiency of
 * spreading one proof over the node's devices; `speedFactor` scales speed (software speed-ups).
 */
export function nodeModel(
  profile: HardwareProfile,
  devices: number,
  ownership: Ownership,
  energyUsdPerKwh: number,
  efficiency = 0.9,
  speedFactor = 1,
): NodeModel {
  const perDevice =
    ownership === 'rented'
      ? profile.rentUsdPerHour
      : profile.capexUsd / (profile.lifetimeYears * HOURS_PER_YEAR) + (profile.powerWatts / 1000) * energyUsdPerKwh;
  const eff = devices > 1 ? efficiency : 1;
  const hz = profile.khz * 1000 * devices * eff * speedFactor;
  return {
    profile,
    devices,
    hourlyCostUsd: perDevice * devices,
    duration(mcycles: number, kind: string): number {
      const s = profile.speedup[kind] ?? 1;
      return profile.setupSeconds + (mcycles * 1e6) / (hz * s);
    },
  };
}
