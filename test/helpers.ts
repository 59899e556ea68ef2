import { parseScenario } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/schema.js';

/** A small valid scenario as a plain object; override any top-level key. */
export function baseScenario(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'test',
    seed: 1,
    duration: '1d',
    window: '6h',
    mechanisms: ['random'],
    operators: [{ name: 'gpus', entities: 8, nodes: 1, hardware: 'gpu-rtx4090', margin: 0.1, failure_prob: 0.02 }],
    requesters: [
      {
        name: 'apps',
        arrival: { dist: 'exponential', mean: '5m' },
        size_mcycles: { dist: 'lognormal', median: 300, sigma: 0.8 },
        deadline: '2h',
        max_price_usd_per_mcycle: 0.001,
      },
    ],
    ...over,
  };
}

/** Parses a scenario object (throws ScenarioError on bad input). */
export function scenario(over: Record<string, unknown> = {}): Scenario {
  return parseScenario(baseScenario(over), 'test.yaml');
}
