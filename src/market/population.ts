import { createStrategy } from '../agents/registry.js';
import type { EntityView, OperatorStrategy } from '../agents/strategy.js';
import { hardwareById } from '../hardware-models/catalogue.js';
import { nodeModel, type NodeModel } from '../hardware-models/node-model.js';
import type { OperatorInfo } from '../mechanisms/types.js';
import type { Scenario } from '../scenario/schema.js';

/** One owner of prover nodes. */
export interface Entity {
  readonly id: number;
  readonly group: string;
  readonly strategy: OperatorStrategy;
  readonly view: EntityView;
  readonly nodes: number[];
  /** When the entity's nodes join the network, seconds. */
  readonly joinAt: number;
  capitalUsd: number;
  active: boolean;
  exited: boolean;
}

/** One prover node: what it advertises, how fast and costly it is, and its work queue. */
export interface Node {
  readonly info: OperatorInfo;
  readonly model: NodeModel;
  readonly failureProb: number;
  /** When its queued work ends. */
  freeAt: number;
  /** Attempts accepted and not yet finished. */
  outstanding: number;
  active: boolean;
  ejected: boolean;
}

/** The operator population of a scenario: the same for every mechanism in a comparison. */
export interface Population {
  readonly entities: Entity[];
  readonly nodes: Node[];
}

/** Default advertised capacity of a node by hardware kind. */
function defaultCapacity(kind: string, devices: number): { cpus: number; gpus: number; memoryGb: number } {
  if (kind === 'cpu') return { cpus: 64 * devices, gpus: 0, memoryGb: 256 * devices };
  return { cpus: 16 * devices, gpus: devices, memoryGb: 64 * devices };
}

/** Builds entities and nodes from the scenario's operator groups, in file order. */
export function buildPopulation(s: Scenario): Population {
  const entities: Entity[] = [];
  const nodes: Node[] = [];
  for (const g of s.operators) {
    const profile = hardwareById(g.hardware);
    if (!profile) throw new Error(`unknown hardware ${g.hardware}`);
    const model = nodeModel(profile, g.devices, g.ownership, s.energy_usd_per_kwh);
    const cap = { ...defaultCapacity(profile.kind, g.devices) };
    if (g.resources?.cpus !== undefined) cap.cpus = g.resources.cpus;
    if (g.resources?.gpus !== undefined) cap.gpus = g.resources.gpus;
    if (g.resources?.memory_gb !== undefined) cap.memoryGb = g.resources.memory_gb;
    for (let i = 0; i < g.entities; i++) {
      const id = entities.length;
      const name = g.entities === 1 ? g.name : `${g.name}-${i + 1}`;
      const e: Entity = {
        id,
        group: g.name,
        strategy: createStrategy(g.strategy, g.params),
        view: { id, name, margin: g.margin, attacker: g.attacker, params: g.params, share: 0, memory: {} },
        nodes: [],
        joinAt: g.join_at ?? 0,
        capitalUsd: g.capital_usd ?? Infinity,
        active: (g.join_at ?? 0) === 0,
        exited: false,
      };
      entities.push(e);
      for (let k = 0; k < g.nodes; k++) {
        const nid = nodes.length;
        e.nodes.push(nid);
        nodes.push({
          info: { id: nid, entity: id, capacity: cap, hardware: profile.kind },
          model,
          failureProb: g.failure_prob ?? profile.failureProb,
          freeAt: 0,
          outstanding: 0,
          active: e.active,
          ejected: false,
        });
      }
    }
  }
  return { entities, nodes };
}
