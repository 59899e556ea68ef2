/**
 * Reverse Dutch lock answers (src/market/lock-answers.ts): the lock-class path and the exact path
 * are one rule, so they give the same distribution. The same overloaded market (100 operators, a
 * job a second, Boundless preset) runs twice per seed: all nodes pure `cost-plus` (lock classes),
 * and with one more operator, a `equilibrium` CPU server that fits no job (so it never locks) but
 * puts every node on the exact path. The on-time rates must agree over the seeds. On `29e4921` the
 * two paths followed two rules (a re-offer reached the freed node alone on the class path, every
 * free node on the exact path; a class member had to be free since the class answered) and the
 * class path locked fewer jobs here: 0.57 against 0.68. Now one rule holds (a re-offer reaches every
 * eligible free node; a would-be locker locks if free with no lock in flight).
 */
import { describe, expect, it } from 'vitest';
import { createMechanism, resolveMechanism } from '../src/comparison/run-scenario.js';
import { runMarket } from '../src/market/market.js';
import { parseScenario } from '../src/scenario/load.js';

const JOBS = 5_000;
const SEEDS = [1, 2, 3, 4];

function onTime(seed: number, exact: boolean): number {
  const s = parseScenario(
    {
      name: 'lock-paths',
      seed,
      duration: Math.ceil(JOBS * 1.05 + 3600),
      window: 3600,
      mechanisms: [{ id: 'reverse-dutch', preset: 'boundless' }],
      operators: [
        { name: 'gpu', entities: 50, hardware: 'gpu-rtx4090', strategy: 'cost-plus', margin: 0.1, failure_prob: 0.01 },
        {
          name: 'farm',
          entities: 5,
          nodes: 10,
          devices: 2,
          hardware: 'gpu-rtx4090',
          strategy: 'cost-plus',
          margin: 0.2,
          failure_prob: 0.01,
        },
        ...(exact ? [{ name: 'cpu-learner', entities: 1, hardware: 'cpu-server', strategy: 'equilibrium' }] : []),
      ],
      requesters: [
        {
          name: 'apps',
          arrival: { dist: 'exponential', mean: 1 },
          size_mcycles: { dist: 'lognormal', median: 200, sigma: 0.7 },
          deadline: '1h',
          max_price_usd_per_mcycle: 0.001,
          max_jobs: JOBS,
        },
      ],
    },
    'lock-paths',
  );
  const r = runMarket({ scenario: s, mechanism: createMechanism(resolveMechanism(s.mechanisms[0]!)), seed });
  return r.metrics.onTime / r.metrics.submitted;
}

describe('reverse Dutch lock answers: the class path and the exact path', () => {
  it('give the same on-time rate in an overloaded market (mean over 4 seeds within 0.03)', () => {
    const cls = SEEDS.map((seed) => onTime(seed, false));
    const exact = SEEDS.map((seed) => onTime(seed, true));
    const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
    // The market is overloaded: about half the jobs are not delivered on time on either path.
    expect(mean(cls)).toBeLessThan(0.8);
    expect(Math.abs(mean(cls) - mean(exact))).toBeLessThan(0.03);
  }, 60_000);
});
