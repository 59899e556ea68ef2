import { createStrategy } from '../agents/registry.js';
import { hardwareById } from '../hardware-models/catalogue.js';
import { nodeModel } from '../hardware-models/node-model.js';
import type { Scenario } from '../scenario/schema.js';
import { timelineOf, type Node, type Population } from './population.js';

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
  const cap = profile.kind === 'cpu' ? { cpus: 64 * devices, gpus: 0, memoryGb: 256 * devices } : { cpus: 16 * devices, gpus: devices, memoryGb: 64 * devices };
  for (const r of s.requesters) {
    cap.cpus = Math.max(cap.cpus, r.resources.cpus);
    cap.gpus = Math.max(cap.gpus, r.resources.gpus);
    cap.memoryGb = Math.max(cap.memoryGb, r.resources.memory_gb);
  }
  const name = 'self-hosted';
  const entity: Population['entities'][number] = {
    id: 0,
    group: name,
    strategy: createStrategy('truthful'),
    view: { id: 0, name, margin: 0, attacker: false, params: {}, share: 0, memory: {} },
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
  return { entities: [entity], nodes };
}
