/**
 * Sealed bid at 10,000 operators through the market shell, with bid classes (docs/mechanisms/sealed-bid.md,
 * "Bid classes"): the O(log N) path must pay what the definition says, node by node. Jobs arrive
 * an hour apart, so every node is idle at each submission and could bid; truthful bidders bid
 * their costs. Then first price = the lowest cost among the 10,000 nodes and second price = the
 * second-lowest (Vickrey 1961), computed here by brute force over every node. The population has
 * 5 bid classes (two groups, three cost factors in one) and one cheaper node alone, so the second
 * price comes from another class than the winner's.
 */
import { describe, expect, it } from 'vitest';
import type { JobRow } from '../src/market/context.js';
import { runMarket } from '../src/market/market.js';
import { createMechanism, resolveMechanism } from '../src/comparison/run-scenario.js';
import { parseScenario } from '../src/scenario/index.js';

function scenario(preset: 'succinct' | 'brevis') {
  return parseScenario(
    {
      name: 'sealed-bid-10k',
      seed: 3,
      duration: 30 * 3600,
      window: 6 * 3600,
      mechanisms: [{ id: 'sealed-bid', preset }],
      operators: [
        { name: 'solo', entities: 1, nodes: 1, hardware: 'gpu-rtx4090', strategy: 'truthful', cost_factor: 0.7 },
        {
          name: 'home',
          entities: 6000,
          nodes: 1,
          hardware: 'gpu-rtx4090',
          strategy: 'truthful',
          cost_factor: { dist: 'empirical', values: [0.8, 1, 1.2] },
        },
        { name: 'farm', entities: 400, nodes: 10, devices: 2, hardware: 'gpu-rtx4090', strategy: 'truthful' },
      ],
      requesters: [
        {
          name: 'apps',
          arrival: 3600,
          size_mcycles: { dist: 'lognormal', median: 200, sigma: 0.7 },
          deadline: 3600,
          max_price_usd_per_mcycle: 0.01,
          max_jobs: 12,
        },
      ],
    },
    'sealed-bid-10k.yaml',
  );
}

function run(preset: 'succinct' | 'brevis') {
  const s = scenario(preset);
  const rows: JobRow[] = [];
  const r = runMarket({
    scenario: s,
    mechanism: createMechanism(resolveMechanism(s.mechanisms[0]!)),
    seed: s.seed,
    onJob: (row) => rows.push(row),
  });
  const nodes = r.population.nodes;
  // Every node's cost of each job, as the shell quotes it (duration × hourly cost), rounded to the micro-USD of a bid.
  const costs = (row: JobRow): number[] =>
    nodes
      .map((n) => Math.round(((n.model.duration(row.mcycles, row.kind) * n.model.hourlyCostUsd) / 3600) * 1e6) / 1e6)
      .sort((a, b) => a - b);
  return { rows, costs, nodes };
}

describe('sealed bid at 10,000 operators, bid classes through the shell', () => {
  it('has 10,001 nodes in 5 bid classes', () => {
    const { nodes } = run('succinct');
    expect(nodes.length).toBe(10_001);
    expect(new Set(nodes.map((n) => n.info.bidClass)).size).toBe(5);
  });
  it('first price (succinct): every job is won at the lowest cost of the 10,001 nodes, by the node with that cost', () => {
    const { rows, costs, nodes } = run('succinct');
    expect(rows.length).toBe(12);
    for (const row of rows) {
      expect(row.outcome).toBe('delivered');
      const c = costs(row);
      expect(row.price_usd).toBeCloseTo(c[0]!, 6);
      const w = nodes[row.operator]!;
      expect((w.model.duration(row.mcycles, row.kind) * w.model.hourlyCostUsd) / 3600).toBeCloseTo(c[0]!, 6);
    }
  });
  it('second price (brevis): every job pays the second-lowest cost of the 10,001 nodes, which is another class’s', () => {
    const { rows, costs } = run('brevis');
    expect(rows.length).toBe(12);
    for (const row of rows) {
      const c = costs(row);
      expect(c[1]!).toBeGreaterThan(c[0]!);
      expect(row.price_usd).toBeCloseTo(c[1]!, 6);
    }
  });
});
