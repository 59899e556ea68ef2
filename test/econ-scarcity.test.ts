/**
 * Scarcity and full cost through the whole market (docs/validation.md, `## economics`).
 */
import { describe, expect, it } from 'vitest';
import { runMarket, type MarketResult } from '../src/market/market.js';
import { createMechanism, resolveMechanism } from '../src/comparison/run-scenario.js';
import { summaryRow } from '../src/comparison/rows.js';
import type { Scenario } from '../src/scenario/schema.js';
import { scenario } from './agents-helpers.js';

export function run(s: Scenario, mech: string | { id: string; preset?: string }): MarketResult {
  const ref = resolveMechanism(typeof mech === 'string' ? mech : { id: mech.id, preset: mech.preset, params: {} });
  return runMarket({ scenario: s, mechanism: createMechanism(ref), seed: s.seed });
}

const key = { scenario: 't', mechanism: 'm', mechanism_id: 'm', preset: '', seed: 1 };

/** Mean of the windows' mean price per Mcycle whose start lies in [from, to) hours. */
export function meanPrice(r: MarketResult, fromH: number, toH: number): number {
  const ps = r.metrics.windows
    .filter((w) => w.t_start_s >= fromH * 3600 && w.t_start_s < toH * 3600 && !Number.isNaN(w.price_per_mcycle_mean_usd))
    .map((w) => w.price_per_mcycle_mean_usd);
  return ps.reduce((a, b) => a + b, 0) / ps.length;
}

describe('economics: scarcity shows in auction prices', () => {
  // 12 one-GPU owners (full cost, cost factors U(0.7, 1.3)) bidding `equilibrium`; Poisson jobs every
  // 10 min (~15% utilisation), ×10 for 6 h from hour 30; windows of 2 h over 3 days.
  const s = scenario({
    name: 'burst',
    seed: 3,
    duration: '3d',
    window: '2h',
    mechanisms: ['random'],
    operators: [
      {
        name: 'home',
        entities: 12,
        hardware: 'gpu-rtx4090',
        strategy: 'equilibrium',
        cost_basis: 'full',
        cost_factor: { dist: 'uniform', min: 0.7, max: 1.3 },
      },
    ],
    requesters: [
      {
        name: 'apps',
        arrival: { dist: 'exponential', mean: '10m' },
        size_mcycles: { dist: 'lognormal', median: 500, sigma: 0.3 },
        deadline: '2h',
        max_price_usd_per_mcycle: 0.0005,
        bursts: [{ at: '30h', duration: '6h', factor: 10 }],
      },
    ],
  });
  const random = run(s, 'random');
  const auctions = [run(s, { id: 'reverse-dutch', preset: 'boundless' }), run(s, { id: 'sealed-bid', preset: 'succinct' })];
  it("under a ×10 burst, auction price_cv is over 3 times random allocation's and above 0.05", () => {
    const cvRandom = summaryRow(key, random).price_cv as number;
    for (const a of auctions) {
      const cv = summaryRow(key, a).price_cv as number;
      expect(cv).toBeGreaterThan(3 * cvRandom);
      expect(cv).toBeGreaterThan(0.05);
    }
  });
  it('auction prices rise during the burst (over 20 percent above the hours before) and fall back after it (within 10 percent)', () => {
    for (const a of auctions) {
      const before = meanPrice(a, 0, 30);
      expect(meanPrice(a, 30, 36)).toBeGreaterThan(1.2 * before);
      expect(Math.abs(meanPrice(a, 40, 72) / before - 1)).toBeLessThan(0.1);
    }
  });
  it("random allocation's price stays fixed: price_cv below 0.02", () => {
    expect(summaryRow(key, random).price_cv as number).toBeLessThan(0.02);
  });
});

describe('economics: full cost bites', () => {
  // 20 owners of one RTX 4090 under random allocation (ZkCloud's fixed price), one job an hour:
  // utilisation under 1%, so the fixed price covers energy but not the capital of idle hardware.
  // Each owner leaves when it lost more than $1 over the trailing day.
  const base = {
    name: 'full-cost-bites',
    seed: 5,
    duration: '20d',
    window: '1d',
    mechanisms: ['random'],
    requesters: [
      { name: 'apps', arrival: { dist: 'exponential', mean: '1h' }, size_mcycles: 500, deadline: '2h', max_price_usd_per_mcycle: 0.0005 },
    ],
  };
  const group = { name: 'home', entities: 20, hardware: 'gpu-rtx4090', strategy: 'equilibrium', exit: { trailing: '1d', max_loss_usd: 1 } };
  const full = run(scenario({ ...base, operators: [{ ...group, cost_basis: 'full' }] }), 'random');
  const marginal = run(scenario({ ...base, operators: [{ ...group, cost_basis: 'marginal' }] }), 'random');
  it('operators that pay capital per wall hour exit over time, and the exits show in active_operators', () => {
    const active = full.metrics.windows.map((w) => w.active_operators);
    expect(active[0]).toBe(20);
    expect(active.at(-1)!).toBeLessThan(10);
    for (let i = 1; i < active.length; i++) expect(active[i]!).toBeLessThanOrEqual(active[i - 1]!);
    const row = summaryRow(key, full);
    expect(row.capital_cost_usd as number).toBeGreaterThan(0);
    expect(row.utilisation_mean as number).toBeGreaterThan(0);
  });
  it('with capital charged only per busy hour (the marginal basis), the same market loses nobody', () => {
    expect(marginal.metrics.windows.every((w) => w.active_operators === 20)).toBe(true);
    expect(summaryRow(key, marginal).capital_cost_usd).toBe(0);
  });
  it('full-cost profit = ledger profit − capital − fixed costs', () => {
    const row = summaryRow(key, full);
    expect(row.operator_full_profit_usd as number).toBeCloseTo(
      (row.operator_profit_usd as number) - (row.capital_cost_usd as number) - (row.fixed_cost_usd as number),
      5,
    );
  });
});
