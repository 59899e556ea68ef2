import { describe, expect, it } from 'vitest';
import { marketView, type ViewNode } from '../src/agents/cost-prior.js';
import { buildPopulation } from '../src/market/population.js';
import type { Job } from '../src/mechanisms/types.js';
import { scenario } from './helpers.js';

const job = (id: number): Job =>
  ({
    id,
    mcycles: 400,
    kind: 'zkvm',
    request: { cpus: 1, gpus: 1, memoryGb: 8 },
    deadline: 3_600,
    maxPrice: 1e6,
    submittedAt: 0,
  }) as unknown as Job;

describe('the population built at set-up', () => {
  const s = scenario({
    operators: [
      { name: 'a', entities: 3, nodes: 2, hardware: 'gpu-rtx4090', margin: 0.1, cost_factor: { dist: 'uniform', min: 0.8, max: 1.2 } },
      { name: 'b', entities: 2, nodes: 1, hardware: 'gpu-h100', margin: 0.2 },
    ],
  });

  it("answers the market view's questions as a view over the nodes built up front does (its nodes are built at the first question)", () => {
    const pop = buildPopulation(s);
    let built = 0;
    // The same nodes, as the public view sees them, handed over as a list: the priors must be the same numbers.
    const eager = marketView(() => {
      built++;
      return pop.nodes.map(
        (n): ViewNode => ({
          model: n.model,
          capacity: n.info.capacity,
          factor: 1,
          factorCdf: { lo: 1, hi: 1, cdf: (x: number) => (x < 1 ? 0 : 1) },
          isActive: () => n.active && !n.ejected,
        }),
      );
    });
    expect(built).toBe(0);
    expect(eager.durations(job(1))).toEqual(pop.market!.durations(job(1)));
    expect(eager.durations(job(2))).toEqual(pop.market!.durations(job(2)));
    expect(built).toBe(1);
    // A node that leaves is out of the lazily built view too.
    pop.nodes[0]!.active = false;
    expect(pop.market!.durations(job(3))).toHaveLength(pop.nodes.length - 1);
    expect(pop.market!.costPrior(job(4))!.count).toBe(pop.nodes.length - 1);
  });

  it('gives each entity its own strategy memory, kept from one read to the next', () => {
    const [e0, e1] = buildPopulation(s).entities;
    e0!.view.memory.markup = 0.25;
    expect(e0!.view.memory.markup).toBe(0.25);
    expect(e1!.view.memory.markup).toBeUndefined();
    expect(e0!.view.memory).toBe(e0!.view.memory);
  });
});
