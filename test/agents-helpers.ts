import type { EntityView, Quote } from '../src/agents/strategy.js';
import type { Job } from '../src/mechanisms/types.js';
import { parseScenario } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/schema.js';

/** A job of 100 Mcycles, deadline 1 h, limit $1. */
export function job(over: Partial<Job> = {}): Job {
  return {
    id: 1,
    requester: 0,
    kind: 'zkvm',
    mcycles: 100,
    request: { cpus: 0, gpus: 1, memoryGb: 16 },
    submittedAt: 0,
    deadline: 3600,
    maxPrice: 1_000_000,
    redundancy: 1,
    estSeconds: 100,
    ...over,
  };
}

/** A quote for {@link job}: cost $0.10, 100 s, idle node. */
export function quote(over: Partial<Quote> = {}): Quote {
  return { job: job(), costUsd: 0.1, durationS: 100, finishAt: 100, busy: false, now: 0, ...over };
}

export function view(over: Partial<EntityView> = {}): EntityView {
  return { id: 0, name: 'e', margin: 0.2, attacker: false, params: {}, share: 0, memory: {}, ...over };
}

/** A seeded uniform stream for property checks (mulberry32), shared with the mechanisms' tests. */
export { uniforms } from '../src/mechanisms/test-kit.js';

/** Parses a scenario object (throws on invalid). */
export function scenario(raw: Record<string, unknown>): Scenario {
  return parseScenario(raw, '<test>');
}

/** A small GPU market: `operators` and `requesters` default to one cheap group and one app requester. */
export function smallScenario(over: Record<string, unknown> = {}): Scenario {
  return scenario({
    name: 'test',
    seed: 1,
    duration: '2d',
    window: '6h',
    mechanisms: ['random'],
    operators: [{ name: 'cheap', entities: 4, nodes: 2, hardware: 'gpu-rtx4090', strategy: 'cost-plus', margin: 0.2 }],
    requesters: [
      {
        name: 'apps',
        arrival: { dist: 'exponential', mean: '5m' },
        size_mcycles: { dist: 'lognormal', median: 500, sigma: 0.5 },
        deadline: '2h',
        max_price_usd_per_mcycle: 0.0005,
      },
    ],
    ...over,
  });
}
