/**
 * Rational race participation (docs/agents.md, `## Race entry`).
 */
import { describe, expect, it } from 'vitest';
import { createStrategy } from '../src/agents/registry.js';
import { beatProbability, raceWinProbability } from '../src/agents/bne.js';
import type { MarketView } from '../src/agents/strategy.js';
import { runMarket } from '../src/market/market.js';
import { createMechanism, resolveMechanism } from '../src/comparison/run-scenario.js';
import { loadScenarioFile } from '../src/scenario/load.js';
import { entity, job, quote } from './econ-driver.js';

describe('economics: race entry is speed-aware', () => {
  it('the probability of beating a rival is 1/2 at equal speed, 1 against a rival 25 percent slower, 0 against one 25 percent faster (jitter U(0.9, 1.1))', () => {
    expect(beatProbability(100, 100)).toBeCloseTo(0.5, 6);
    expect(beatProbability(100, 125)).toBe(1);
    expect(beatProbability(125, 100)).toBe(0);
  });
  it.each([2, 3, 5])('a racer among equally fast nodes wins one race in k (k = %i, within 1 percent)', (k) => {
    expect(Math.abs(raceWinProbability(100, new Float64Array(20).fill(100), k) * k - 1)).toBeLessThan(0.01);
  });
  it('a slow 1-GPU node stays out of a race that 8-GPU servers win; a fast server joins', () => {
    // Eligible nodes: the slow node (800 s) and four 8-GPU servers (110 s). Reward $1, cost $0.10.
    const market: MarketView = {
      costPrior: () => null,
      mcyclePrior: () => null,
      durations: () => Float64Array.from([800, 110, 110, 110, 110]),
    };
    const s = createStrategy('equilibrium');
    const j = job(1, 1, { deadline: 3600 });
    expect(s.joinRace({ ...quote(j, 0.1, 5), durationS: 800, finishAt: 800 }, 1, 3, entity(0, market), 0.5)).toBe(false);
    expect(s.joinRace({ ...quote(j, 0.1, 5), durationS: 110, finishAt: 110 }, 1, 3, entity(1, market), 0.5)).toBe(true);
  });
});

describe('economics: herding is gone in the attack baseline', () => {
  const base = loadScenarioFile('scenarios/attacks/baseline.yaml');
  // Today's rule (687b5d6): herding entry and cost-plus operators; now: rational entry with the scenario's strategies.
  const naive = { ...base, operators: base.operators.map((g) => ({ ...g, strategy: 'cost-plus', params: {} })) };
  const race = (entry: 'rational' | 'herd'): number => {
    const s = entry === 'herd' ? { ...naive, race_entry: entry } : { ...base, race_entry: entry };
    const r = runMarket({ scenario: s, mechanism: createMechanism(resolveMechanism('race')), seed: s.seed });
    return r.metrics.onTime / r.metrics.submitted;
  };
  it('with rational entry, race liveness rises above 0.9 (the herding rule with cost-plus racers keeps it under 0.3, as at 687b5d6)', () => {
    expect(race('rational')).toBeGreaterThan(0.9);
    expect(race('herd')).toBeLessThan(0.3);
  });
});
