/**
 * Reverse Dutch at 10,000 operators (issue 10): the lock classes answer for 10,000 nodes, and the
 * first-price closed form still holds. With cost-plus lockers and every node free, the job is
 * locked at the first whole second at which the ramp reaches the lowest ask, cost × (1 + the lowest
 * margin): the price lies in [ask, ask + one second of ramp]. Few jobs, so the test is fast.
 */
import { describe, expect, it } from 'vitest';
import { checked, create, run, scenario } from './mechanisms-rd-sb-sh-market.helpers.js';

const JOBS = 12;

function market() {
  const s = scenario({
    duration: '2d',
    operators: [
      { name: 'cheap', entities: 9000, hardware: 'gpu-rtx4090', strategy: 'cost-plus', margin: 0.1, failure_prob: 0 },
      { name: 'dear', entities: 1000, hardware: 'gpu-rtx4090', strategy: 'cost-plus', margin: 0.3, failure_prob: 0 },
    ],
    requesters: [{ name: 'app', arrival: '1h', size_mcycles: 1000, deadline: '4h', max_price_usd_per_mcycle: 0.001, max_jobs: JOBS }],
  });
  const mech = checked(create('reverse-dutch'));
  return { ...run(s, mech), mech };
}

describe('reverse Dutch at 10,000 operators (cost-plus lock classes)', () => {
  const { result, rows, mech } = market();
  const nodes = result.population.nodes;

  it('every job is locked and delivered on time, with no invariant broken', () => {
    expect(mech.violations).toEqual([]);
    expect(rows).toHaveLength(JOBS);
    for (const r of rows) expect(r.outcome).toBe('delivered');
    expect(result.metrics.onTime).toBe(JOBS);
  });

  it('each job is locked by a lowest-margin node at the first second the ramp reaches its ask (first price = the lowest ask)', () => {
    for (const r of rows) {
      const n = nodes[r.operator]!;
      expect(n.info.entity).toBeLessThan(9000); // a `cheap` entity
      const cost = (n.model.duration(r.mcycles, 'zkvm') * n.model.hourlyCostUsd) / 3600;
      const ask = cost * 1.1;
      // SDK ramp: 600 s + 2 s per Mcycle from 0 to the $1 limit; one second of ramp is $1 / 2,600.
      const step = 1 / (600 + 2 * r.mcycles);
      expect(r.price_usd).toBeGreaterThanOrEqual(ask - 1e-6);
      expect(r.price_usd).toBeLessThanOrEqual(ask + step + 1e-6);
    }
  });

  it('the lockers are drawn among the class, not the lowest node ids', () => {
    const lockers = new Set(rows.map((r) => r.operator));
    expect(lockers.size).toBeGreaterThan(JOBS / 2);
    expect(Math.max(...lockers)).toBeGreaterThan(100);
  });

  it('a job costs a handful of kernel events, not one per node', () => {
    expect(result.events / JOBS).toBeLessThan(20);
  });
});
