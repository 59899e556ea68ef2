/**
 * Capital bounds collateral (BoundlessMarket.sol:227 reverts a lock when collateralBalance <
 * lockCollateral), and lockers retry a failed proof once (broker `proof_retry_count = 1`).
 */
import { describe, expect, it } from 'vitest';
import { runMarket, type MarketResult } from '../src/market/market.js';
import { createMechanism, resolveMechanism } from '../src/comparison/run-scenario.js';
import { summaryRow } from '../src/comparison/rows.js';
import { loadScenarioFile } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/schema.js';
import { smallScenario } from './agents-helpers.js';

const key = { scenario: 't', mechanism: 'm', mechanism_id: 'm', preset: '', seed: 1 };
const rd = (s: Scenario): MarketResult =>
  runMarket({ scenario: s, mechanism: createMechanism(resolveMechanism('reverse-dutch')), seed: s.seed });

describe('economics: collateral is bounded by capital', () => {
  const base = loadScenarioFile('scenarios/attacks/overcommit.yaml');
  const withCapital = (capital: number | undefined): Scenario => ({
    ...base,
    operators: base.operators.map((g) => (g.attacker ? { ...g, capital_usd: capital } : g)),
  });
  it('the overcommit attacker with $500 of capital loses at most about $500 (5 percent for compute booked after a lock), where unlimited collateral loses over $5,000', () => {
    const bounded = summaryRow(key, rd(withCapital(500)));
    const unbounded = summaryRow(key, rd(withCapital(undefined)));
    expect(bounded.attack_cost_usd as number).toBeLessThanOrEqual(500 * 1.05);
    expect(unbounded.attack_cost_usd as number).toBeGreaterThan(5000);
  });
  it('an entity with no capital cannot lock a job that needs collateral', () => {
    const s = smallScenario({ duration: '1d', operators: [{ name: 'broke', entities: 3, hardware: 'gpu-rtx4090', capital_usd: 0 }] });
    const r = rd(s);
    expect(r.metrics.delivered).toBe(0);
    expect(r.metrics.refusedForCollateral).toBeGreaterThan(0);
  });
});

describe('economics: lockers retry a failed proof once', () => {
  it('with attempt failures p = 0.3 and time for a second attempt, reverse-Dutch lockers retry and liveness rises above 1 − p', () => {
    const s = smallScenario({ duration: '2d', operators: [{ name: 'shaky', entities: 8, hardware: 'gpu-rtx4090', failure_prob: 0.3 }] });
    const r = rd(s);
    expect(r.metrics.retries).toBeGreaterThan(0);
    expect(r.metrics.onTime / r.metrics.submitted).toBeGreaterThan(0.8);
  });
});
