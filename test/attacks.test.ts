import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { OPERATOR0 } from '../src/market/ledger.js';
import { runScenario } from '../src/comparison/run-scenario.js';
import { mechanisms } from '../src/mechanisms/registry.js';
import { RunMetrics } from '../src/metrics/run-metrics.js';
import { loadScenarioFile } from '../src/scenario/load.js';

const DIR = 'scenarios/attacks';
const ATTACKS = ['snarketplace-zero-fee', 'whale-underbid', 'sybil-random', 'lock-griefing', 'overcommit', 'cartel'];
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
const idOf = (m: unknown): string => (typeof m === 'string' ? m : (m as { id: string }).id);

describe('the attack library', () => {
  it('ships the six attack scenarios and their no-attacker baseline', () => {
    for (const a of ATTACKS) expect(files).toContain(`${a}.yaml`);
    expect(files).toContain('baseline.yaml');
  });

  for (const file of files) {
    const attack = file !== 'baseline.yaml';

    it(`${file} validates, lists every registered mechanism once, and marks its attackers`, () => {
      const s = loadScenarioFile(join(DIR, file));
      const ids = s.mechanisms.map(idOf);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(new Set(mechanisms().map((m) => m.id)));
      expect(s.operators.some((g) => g.attacker)).toBe(attack);
      expect(readFileSync(join(DIR, file), 'utf8').startsWith('#')).toBe(true);
    });

    it(`${file} runs under every mechanism with a balanced ledger and reports the attack columns`, () => {
      const s = loadScenarioFile(join(DIR, file));
      const totals: number[] = [];
      const res = runScenario({ ...s, duration: 1.5 * 86400 }, { onMechanismDone: (_l, r) => totals.push(r.ledger.total()) });
      expect(res.summary).toHaveLength(s.mechanisms.length);
      expect(totals.every((t) => t === 0)).toBe(true);
      for (const row of res.summary) {
        const label = String(row.mechanism);
        expect(row.jobs_submitted, label).toBeGreaterThan(0);
        expect(Number.isInteger(row.honest_exits), label).toBe(true);
        const peak = row.attacker_share_peak as number;
        const cost = row.attack_cost_usd as number;
        const ttd = row.time_to_dominance_s as number;
        if (!attack || row.mechanism_id === 'self-hosted') {
          // No attacker in the population (self-hosted replaces the operators): nothing applies.
          expect([peak, cost, ttd, row.price_ratio_after_before as number].every(Number.isNaN), label).toBe(true);
          continue;
        }
        expect(cost, label).toBeGreaterThanOrEqual(0);
        if (!Number.isNaN(peak)) {
          expect(peak, label).toBeGreaterThanOrEqual(0);
          expect(peak, label).toBeLessThanOrEqual(1);
        }
        if (!Number.isNaN(ttd)) {
          expect(ttd, label).toBeGreaterThan(0);
          expect(ttd % s.window, label).toBe(0);
          expect(peak, label).toBeGreaterThanOrEqual(0.5);
        }
      }
    });
  }

  it('has a 20-seed sweep per scenario for docs/findings.md', () => {
    for (const file of files) {
      const sweep = parse(readFileSync(join(DIR, 'sweeps', file), 'utf8')) as { scenario: string; replicates: number };
      expect(sweep.scenario).toBe(`../${file}`);
      expect(sweep.replicates).toBeGreaterThanOrEqual(20);
    }
  });
});

describe('attack columns', () => {
  /** Metrics of entity 0 (attacker) and 1 (honest) with 100 s windows. */
  function windows(shares: number[], prices: number[]): RunMetrics {
    const m = new RunMetrics({ names: ['a', 'h'], attackers: [true, false], dominanceShare: 0.5 }, 100);
    shares.forEach((sh, i) => {
      m.jobDone('delivered', 1, true, 0, sh * 10);
      m.jobDone('delivered', 1, true, 1, (1 - sh) * 10);
      m.jobPrice(prices[i]! * 10 * 1e6, 10);
      m.closeWindow(i * 100, 2);
    });
    return m;
  }

  it('time to dominance is the end of the first window in which attackers delivered at least half the work', () => {
    expect(windows([0.2, 0.6, 0.9], [1, 1, 1]).attack().ttd).toBe(200);
    expect(windows([0.7, 0.2], [1, 1]).attack().ttd).toBe(100);
    expect(windows([0.2, 0.4], [1, 1]).attack().ttd).toBeNaN();
  });

  it('the price ratio compares windows after dominance with the windows up to and including it', () => {
    const a = windows([0.2, 0.6, 0.9, 0.9], [1, 2, 6, 12]).attack();
    expect(a.ratio).toBeCloseTo(9 / 1.5, 10);
    expect(a.peak).toBeCloseTo(0.9, 10);
    expect(windows([0.2, 0.3], [1, 2]).attack().ratio).toBeNaN();
  });

  it("the attack cost is the attackers' deepest loss (at a window end or at the end), not only their final loss", () => {
    const s = loadScenarioFile(join(DIR, 'whale-underbid.yaml'));
    let peak = 0;
    let final = 0;
    const res = runScenario(
      { ...s, duration: 3 * 86400, mechanisms: ['sealed-bid'] },
      {
        onMechanismDone: (_l, r) => {
          peak = r.metrics.attackerLossPeak;
          final = r.population.entities.filter((e) => e.view.attacker).reduce((t, e) => t + r.ledger.balance(OPERATOR0 + e.id), 0);
        },
      },
    );
    expect(peak).toBeGreaterThan(0);
    expect(res.summary[0]!.attack_cost_usd as number).toBeCloseTo(Math.max(0, -final, peak) / 1e6, 6);
  });
});
