/**
 * Requesters that bid, and the welfare columns (README: `total_surplus_usd`, `allocative_efficiency`).
 */
import { describe, expect, it } from 'vitest';
import { requesterBid } from '../src/agents/requester-bidding.js';
import { runMarket, type JobRow } from '../src/market/market.js';
import { createMechanism, resolveMechanism } from '../src/comparison/run-scenario.js';
import { summaryRow } from '../src/comparison/rows.js';
import { smallScenario } from './agents-helpers.js';
import { rng } from './econ-driver.js';

const key = { scenario: 't', mechanism: 'm', mechanism_id: 'm', preset: '', seed: 1 };

describe('requester bidding rules', () => {
  it('truthful bids the value; zi-c never above it; zi-u anywhere in [floor, ceiling]; equilibrium shades by (value − floor)/m', () => {
    const u = rng(5);
    let above = 0;
    for (let i = 0; i < 2000; i++) {
      const x = u.next();
      expect(requesterBid('truthful', 3, x)).toBe(3);
      expect(requesterBid('zi-c', 3, x, 1, 10)).toBeLessThanOrEqual(3);
      const z = requesterBid('zi-u', 3, x, 1, 10);
      expect(z).toBeGreaterThanOrEqual(1);
      if (z > 3) above++;
    }
    expect(above / 2000).toBeGreaterThan(0.6); // (10 − 3) / 9 = 0.78 of zi-u bids exceed the value
    expect(requesterBid('equilibrium', 3, 0.5, 1, 10, 4)).toBe(2.5);
  });
});

describe('welfare columns', () => {
  const s = (bidding: string) =>
    smallScenario({
      duration: '1d',
      requesters: [
        {
          name: 'apps',
          arrival: { dist: 'exponential', mean: '5m' },
          size_mcycles: 500,
          deadline: '2h',
          value_usd_per_mcycle: { dist: 'uniform', min: 0, max: 0.0002 },
          bidding,
        },
      ],
    });
  const run = (bidding: string, mech: string) => {
    const jobs: JobRow[] = [];
    const r = runMarket({ scenario: s(bidding), mechanism: createMechanism(resolveMechanism(mech)), seed: 1, onJob: (j) => jobs.push(j) });
    return { row: summaryRow(key, r), r, jobs };
  };
  it('total_surplus_usd = value of on-time proofs − all compute; allocative_efficiency = that over the bound, at most 1', () => {
    const { row, r } = run('truthful', 'sealed-bid');
    expect(row.total_surplus_usd as number).toBeCloseTo(r.metrics.valueDeliveredUsd - (row.compute_cost_usd as number), 5);
    expect(row.allocative_efficiency as number).toBeGreaterThan(0);
    expect(row.allocative_efficiency as number).toBeLessThanOrEqual(1);
  });
  it("requesters with private values below some provers' costs: truthful limits price those jobs out, and zi-c limits lose more surplus than truthful ones", () => {
    const truthful = run('truthful', 'sealed-bid').row;
    const zic = run('zi-c', 'sealed-bid').row;
    expect(zic.allocative_efficiency as number).toBeLessThan(truthful.allocative_efficiency as number);
    expect(truthful.jobs_delivered as number).toBeLessThan(truthful.jobs_submitted as number);
  });
});
