import { createStrategy } from '../agents/registry.js';
import { hardwareById } from '../hardware-models/catalogue.js';
import { nodeModel } from '../hardware-models/node-model.js';
import type { Mechanism } from '../mechanisms/types.js';
import type { Scenario } from '../scenario/schema.js';
import type { MarketContext } from './context.js';
import { COMPUTE, OPERATOR0, REQUESTERS } from './ledger.js';
import { boardView, buildPopulation, ShareBoard, timelineOf, type Node, type Population } from './population.js';

/**
 * The `self-hosted` baseline's population: the requester's dedicated cluster, `nodes` rented nodes of
 * `hardware` × `devices` (the mechanism's params) owned by one entity, replacing the scenario's
 * operators. Each node fits every requester's request (a cluster is sized for its own workload).
 */
export function buildCluster(s: Scenario, params: Readonly<Record<string, unknown>>, clock: () => number): Population {
  const base = hardwareById(String(params.hardware));
  if (!base) throw new Error(`self-hosted: unknown hardware "${String(params.hardware)}"`);
  const rent = Number(params.rentUsdPerHour ?? 0);
  const profile = rent > 0 ? { ...base, rentUsdPerHour: rent } : base;
  const devices = Math.max(1, Math.floor(Number(params.devices ?? 1)));
  const count = Math.max(1, Math.floor(Number(params.nodes ?? 1)));
  const fp = Number(params.failureProb ?? -1);
  // The same software progress as the market's nodes (scenario `software_speedup`), for a fair comparison.
  const model = nodeModel(profile, devices, 'rented', s.energy_usd_per_kwh, undefined, undefined, { timeline: timelineOf(s), clock });
  const cap =
    profile.kind === 'cpu'
      ? { cpus: 64 * devices, gpus: 0, memoryGb: 256 * devices }
      : { cpus: 16 * devices, gpus: devices, memoryGb: 64 * devices };
  for (const r of s.requesters) {
    cap.cpus = Math.max(cap.cpus, r.resources.cpus);
    cap.gpus = Math.max(cap.gpus, r.resources.gpus);
    cap.memoryGb = Math.max(cap.memoryGb, r.resources.memory_gb);
  }
  const name = 'self-hosted';
  const shares = new ShareBoard();
  const entity: Population['entities'][number] = {
    id: 0,
    group: name,
    strategy: createStrategy('truthful'),
    view: boardView(0, name, 0, false, {}, shares),
    nodes: [],
    joinAt: 0,
    capitalUsd: Infinity,
    active: true,
    exited: false,
  };
  const nodes: Node[] = [];
  for (let i = 0; i < count; i++) {
    entity.nodes.push(i);
    nodes.push({
      info: { id: i, entity: 0, capacity: cap, hardware: profile.kind },
      model,
      failureProb: fp >= 0 ? fp : profile.failureProb,
      freeAt: 0,
      outstanding: 0,
      active: true,
      ejected: false,
    });
  }
  return { entities: [entity], nodes, shares };
}

/**
 * The one hook of the `self-hosted` baseline in the shell: which population proves the jobs (the
 * requester's cluster instead of the scenario's operators), and what the run costs at its end (the
 * cluster's rent, idle hours included). Every other part of the shell treats it as any mechanism.
 */
export interface Setting {
  /** `seed` and `run` seed the population's own draws (per-node cost factors). */
  population(s: Scenario, clock: () => number, seed?: number, run?: number): Population;
  /** Called once the clock has stopped. */
  end(ctx: MarketContext): void;
}

const market: Setting = {
  population: (s, clock, seed, run) => buildPopulation(s, clock, seed, run),
  end: () => {},
};

const selfHostedSetting = (params: Readonly<Record<string, unknown>>): Setting => ({
  population: (s, clock) => buildCluster(s, params, clock),
  end: (ctx) => chargeClusterRent(ctx, ctx.jobs.size > 0 ? ctx.sim.now : Math.max(ctx.scenario.duration, ctx.lastActivity)),
});

/** The setting a mechanism runs in: the open market, or (`self-hosted`) the requester's own cluster. */
export function settingOf(mechanism: Mechanism): Setting {
  return mechanism.type === 'self-hosted' ? selfHostedSetting(mechanism.params) : market;
}

/**
 * Self-hosted rent: the requester pays its cluster's rent for every second from 0 to `end`, idle
 * time included. The busy part was already booked as compute (the cluster's nodes are `rented`, so
 * their hourly cost is the rent); the rest, the idle rent, goes to the compute account too, so the
 * cluster entity ends at 0 and `requester_cost_usd` is the whole rent.
 */
function chargeClusterRent(ctx: MarketContext, end: number): void {
  const { ledger, metrics } = ctx;
  let perHour = 0;
  for (const n of ctx.nodes) perHour += n.model.hourlyCostUsd;
  const rent = Math.round((perHour * end * 1e6) / 3600);
  metrics.amortizedMicrosPerSecond = (perHour * 1e6) / 3600;
  const account = OPERATOR0 + 0;
  ledger.transfer(REQUESTERS, account, rent);
  metrics.requesterPaid += rent;
  const idle = ledger.balance(account);
  if (idle > 0) {
    ledger.transfer(account, COMPUTE, idle);
    metrics.idle += idle;
  }
}
