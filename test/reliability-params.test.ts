import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ESCROW } from '../src/market/ledger.js';
import { runMarket } from '../src/market/market.js';
import { createMechanism, resolveMechanism } from '../src/comparison/run-scenario.js';
import { mechanisms } from '../src/mechanisms/registry.js';
import { MECHANISM_PARAMS } from '../src/scenario/mechanism-params.js';
import { strategyParamSchemas } from '../src/scenario/strategy-params.js';
import { strategyIds, strategyParams } from '../src/agents/registry.js';
import { parseScenario } from '../src/scenario/load.js';
import { baseScenario } from './helpers.js';
import { POOL } from './param-pool.js';

/** For every parameter of a table, the pool values its schema accepts. */
function validValues(table: Readonly<Record<string, (v: unknown) => string | undefined>>): Record<string, unknown[]> {
  return Object.fromEntries(Object.entries(table).map(([k, check]) => [k, POOL.filter((v) => check(v) === undefined)]));
}

describe('mechanism parameter schemas', () => {
  it('cover exactly the parameters each mechanism accepts', () => {
    for (const m of mechanisms()) expect(Object.keys(MECHANISM_PARAMS[m.id] ?? {}).sort(), m.id).toEqual([...m.paramNames].sort());
    for (const id of strategyIds())
      expect(Object.keys(strategyParamSchemas()[id]!).sort()).toEqual(Object.keys(strategyParams(id)!).sort());
  });

  it('give every parameter at least one valid and one refused value from the pool', () => {
    for (const [id, table] of Object.entries(MECHANISM_PARAMS)) {
      for (const [k, vals] of Object.entries(validValues(table))) {
        expect(vals.length, `${id}.${k}`).toBeGreaterThan(0);
        expect(vals.length, `${id}.${k}`).toBeLessThan(POOL.length);
      }
    }
  });

  /**
   * The ledger's own errors (bad amount, escrow overdraft) and the mechanisms' mid-run RangeErrors
   * are impossible for parameters that pass validation: any valid combination runs to the end
   * with a ledger that sums to zero.
   */
  it('make mid-run and ledger errors impossible for valid input (property over valid parameters of every mechanism)', () => {
    const arbs = Object.entries(MECHANISM_PARAMS).map(([id, table]) => {
      const vals = validValues(table);
      const rec = Object.fromEntries(Object.entries(vals).map(([k, v]) => [k, fc.constantFrom(...v)]));
      return fc.record({ id: fc.constant(id), params: fc.record(rec, { requiredKeys: [] }) });
    });
    fc.assert(
      fc.property(fc.oneof(...arbs), fc.integer({ min: 0, max: 1000 }), fc.constantFrom(0, 0.2), ({ id, params }, seed, fail) => {
        const s = parseScenario(
          baseScenario({
            seed,
            duration: '6h',
            window: '1h',
            mechanisms: [{ id, params }],
            operators: [{ name: 'gpus', entities: 3, hardware: 'gpu-rtx4090', failure_prob: fail }],
            requesters: [
              {
                name: 'a',
                arrival: { dist: 'exponential', mean: '4m' },
                size_mcycles: { dist: 'lognormal', median: 200, sigma: 1 },
                deadline: '1h',
                max_price_usd_per_mcycle: 0.001,
                max_price_usd: 0.01,
              },
            ],
          }),
          'p.yaml',
        );
        const r = runMarket({ scenario: s, mechanism: createMechanism(resolveMechanism(s.mechanisms[0]!)), seed });
        expect(r.ledger.total()).toBe(0);
        expect(r.ledger.escrowTotal()).toBe(r.ledger.balance(ESCROW));
      }),
      { numRuns: 250, seed: 18 },
    );
  });
});
