import type { HardwareProfile } from './catalogue.js';

/** How a node's hardware is paid for. */
export type Ownership = 'owned' | 'rented';

/**
 * What a node's busy hour is charged. `marginal` (the default, pmsim's original model): an owned
 * node pays depreciation + energy per busy hour and nothing while idle; a rented one pays rent per
 * busy hour. `full`: capital is a wall-clock cost, paid busy or idle (owned: straight-line
 * depreciation over the lifetime; rented: the rent), and only energy is charged per busy hour
 * (owned; a rented node's busy hour costs nothing more than its rent).
 */
export type CostBasis = 'marginal' | 'full';

/** The economics and speed of one prover node (one or more devices of one profile). */
export interface NodeModel {
  readonly profile: HardwareProfile;
  readonly devices: number;
  /** Parallel efficiency of spreading one proof over this node's devices (applies when devices > 1). */
  readonly efficiency: number;
  /**
   * Cost of keeping the node busy for one hour, USD, now: its marginal cost. Under the `marginal`
   * basis depreciation + energy (or rent); under `full` energy only (0 for rented hardware).
   */
  readonly hourlyCostUsd: number;
  /** Capital paid per wall hour, busy or idle, USD (0 under the `marginal` basis). */
  readonly capitalUsdPerHour: number;
  readonly basis: CostBasis;
  /** Seconds to prove a job of `mcycles` of workload `kind` (before jitter), if started now. */
  duration(mcycles: number, kind: string): number;
}

/** Seconds in a quarter of a year (365.25 d / 4). */
export const QUARTER_S = (365.25 / 4) * 86400;

const HOURS_PER_YEAR = 8766;

/** How hardware economics change during a run (scenario keys `software_speedup`, `energy_schedule`). */
export interface HardwareTimeline {
  /** Software progress: speed × perQuarter^(t/quarter) (continuous) or ^floor(t/quarter) (step), from `start`. */
  readonly softwareSpeedup?: {
    readonly perQuarter: number;
    readonly start: number;
    readonly mode: 'continuous' | 'step';
    readonly kinds?: readonly string[];
  };
  /** Energy price changes, in time order: from `at` on, owned hardware pays `usdPerKwh`. */
  readonly energy?: readonly { readonly at: number; readonly usdPerKwh: number }[];
}

/** Extra inputs of a node model: per-kind speed-ups of its group, and a clock for time-dependent economics. */
export interface NodeModelOptions {
  /** Parallel efficiency (0-1) of spreading one proof over the node's devices (default 0.9). */
  readonly efficiency?: number;
  /** Constant speed multiplier (default 1). */
  readonly speedFactor?: number;
  /** Speed multipliers per workload kind, on top of the profile's (a VPU group's claims). */
  readonly speedup?: Readonly<Record<string, number>>;
  readonly timeline?: HardwareTimeline;
  /** Simulated time now, seconds (required for a timeline to take effect). */
  readonly clock?: () => number;
  /** `marginal` (default) or `full`: see {@link CostBasis}. */
  readonly basis?: CostBasis;
  /**
   * This node's cost factor (default 1): multiplies its energy cost (owned) or its rent (rented),
   * for energy prices, efficiency and location that differ between the nodes of one group. Under the
   * `marginal` basis it multiplies the whole busy-hour cost.
   */
  readonly costFactor?: number;
}

/** The software speed multiplier at time `t` for workload `kind`. */
export function softwareFactor(tl: HardwareTimeline | undefined, t: number, kind: string): number {
  const sw = tl?.softwareSpeedup;
  if (!sw || t <= sw.start) return 1;
  if (sw.kinds && !sw.kinds.includes(kind)) return 1;
  const q = (t - sw.start) / QUARTER_S;
  return sw.perQuarter ** (sw.mode === 'step' ? Math.floor(q) : q);
}

/** The energy price at time `t`: the last scheduled change at or before `t`, else `base`. */
export function energyAt(tl: HardwareTimeline | undefined, t: number, base: number): number {
  const list = tl?.energy;
  if (!list) return base;
  let price = base;
  for (let i = 0; i < list.length && list[i]!.at <= t; i++) price = list[i]!.usdPerKwh;
  return price;
}

/**
 * Builds a node model. Under the `marginal` basis (default) owned hardware costs straight-line
 * depreciation plus energy while busy, and rented hardware the rental price while busy; under
 * `full` capital (depreciation, or rent) is a per-wall-hour cost and only energy is marginal. `efficiency` (0-1) is the parallel efficiency of
 * spreading one proof over the node's devices; `speedFactor` scales speed. With a timeline and a
 * clock, speed (software progress) and the energy price follow simulated time: `duration` and
 * `hourlyCostUsd` are then evaluated at the clock's time.
 */
export function nodeModel(
  profile: HardwareProfile,
  devices: number,
  ownership: Ownership,
  energyUsdPerKwh: number,
  efficiency = 0.9,
  speedFactor = 1,
  opts: NodeModelOptions = {},
): NodeModel {
  const depreciation = profile.capexUsd / (profile.lifetimeYears * HOURS_PER_YEAR);
  const basis = opts.basis ?? 'marginal';
  const f = opts.costFactor ?? 1;
  const rented = ownership === 'rented';
  const hourly =
    basis === 'full'
      ? (energy: number): number => (rented ? 0 : (profile.powerWatts / 1000) * energy * f * devices)
      : (energy: number): number => (rented ? profile.rentUsdPerHour : depreciation + (profile.powerWatts / 1000) * energy) * devices * f;
  const capitalUsdPerHour = basis === 'full' ? (rented ? profile.rentUsdPerHour * f : depreciation) * devices : 0;
  const nodeEff = opts.efficiency ?? efficiency;
  const eff = devices > 1 ? nodeEff : 1;
  const hz = profile.khz * 1000 * devices * eff * (opts.speedFactor ?? speedFactor);
  const extra = opts.speedup ?? {};
  // Jobs of one kind dominate most runs: remember the last kind's multiplier (two keyed lookups saved).
  let lastKind = '';
  let lastSpeed = 1;
  const kindSpeed = (kind: string): number => {
    if (kind === lastKind) return lastSpeed;
    lastKind = kind;
    lastSpeed = (profile.speedup[kind] ?? 1) * (extra[kind] ?? 1);
    return lastSpeed;
  };
  const tl = opts.timeline;
  const clock = opts.clock;
  const timed = clock !== undefined && tl !== undefined && (tl.softwareSpeedup !== undefined || (tl.energy?.length ?? 0) > 0);
  if (!timed) {
    return {
      profile,
      devices,
      efficiency: nodeEff,
      basis,
      capitalUsdPerHour,
      hourlyCostUsd: hourly(energyUsdPerKwh),
      duration(mcycles: number, kind: string): number {
        return profile.setupSeconds + (mcycles * 1e6) / (hz * kindSpeed(kind));
      },
    };
  }
  const energyTimed = ownership === 'owned' && (tl.energy?.length ?? 0) > 0;
  const fixedHourly = hourly(energyUsdPerKwh);
  return {
    profile,
    devices,
    efficiency: nodeEff,
    basis,
    capitalUsdPerHour,
    get hourlyCostUsd(): number {
      return energyTimed ? hourly(energyAt(tl, clock(), energyUsdPerKwh)) : fixedHourly;
    },
    duration(mcycles: number, kind: string): number {
      return profile.setupSeconds + (mcycles * 1e6) / (hz * kindSpeed(kind) * softwareFactor(tl, clock(), kind));
    },
  };
}
