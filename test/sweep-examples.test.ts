/** The example sweeps shipped in scenarios/sweeps/: valid, commented, and meaningful. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvParse } from 'd3';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { mechanisms } from '../src/mechanisms/registry.js';
import { loadScenarioFile } from '../src/scenario/load.js';
import { loadSweepFile, validatePlan } from '../src/sweep/plan.js';
import { runSweep } from '../src/sweep/run.js';
import { ROOT } from './cli.js';

const DIR = join(ROOT, 'scenarios/sweeps');
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));
const isSweep = (f: string) => 'scenario' in (parse(readFileSync(join(DIR, f), 'utf8')) as object);
const sweeps = files.filter(isSweep);
const bases = files.filter((f) => !isSweep(f));
const tmp = mkdtempSync(join(tmpdir(), 'pmsim-sweep-examples-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('example sweeps', () => {
  it('the three sweeps of the issue are there', () => {
    expect(sweeps).toEqual(
      expect.arrayContaining(['liveness-vs-redundancy.yaml', 'predictability-vs-burstiness.yaml', 'attacker-vs-exits.yaml']),
    );
  });

  it.each(bases)('base scenario %s is valid and commented', (f) => {
    expect(() => loadScenarioFile(join(DIR, f))).not.toThrow();
    expect(readFileSync(join(DIR, f), 'utf8')).toMatch(/^#/);
  });

  it.each(sweeps)('sweep %s is valid at every grid point, commented, and small', (f) => {
    const plan = loadSweepFile(join(DIR, f));
    expect(() => validatePlan(plan)).not.toThrow();
    expect(plan.runsTotal).toBeLessThanOrEqual(60);
    expect(readFileSync(join(DIR, f), 'utf8')).toMatch(/^#/);
  });

  it('predictability-vs-burstiness runs every registered mechanism', () => {
    const plan = loadSweepFile(join(DIR, 'predictability-vs-burstiness.yaml'));
    const ids = (plan.definition.scenario.mechanisms as (string | { id: string })[]).map((m) => (typeof m === 'string' ? m : m.id));
    expect(new Set(ids)).toEqual(new Set(mechanisms().map((m) => m.id)));
  });

  it('attacker-vs-exits varies the size of a group marked attacker: true', () => {
    const plan = loadSweepFile(join(DIR, 'attacker-vs-exits.yaml'));
    const ops = plan.definition.scenario.operators as { name: string; attacker?: boolean }[];
    const attackers = ops.filter((o) => o.attacker).map((o) => o.name);
    expect(attackers.length).toBeGreaterThan(0);
    expect(plan.params.some((p) => attackers.some((a) => p.startsWith(`operators[${a}].`)))).toBe(true);
  });

  it('liveness-vs-redundancy: liveness rises with redundancy and falls with the failure rate', async () => {
    const r = await runSweep(join(DIR, 'liveness-vs-redundancy.yaml'), { out: join(tmp, 'liveness'), workers: 0 });
    expect(r.exitCode).toBe(0);
    const agg = csvParse(readFileSync(join(tmp, 'liveness', 'aggregate.csv'), 'utf8'));
    const live = (k: number, p: number) =>
      Number(
        agg.find((row) => row['requesters[apps].redundancy'] === String(k) && row['operators[provers].failure_prob'] === String(p))!
          .liveness_mean,
      );
    for (const p of [0.2, 0.4]) {
      expect(live(2, p)).toBeGreaterThan(live(1, p));
      expect(live(3, p)).toBeGreaterThan(live(2, p));
      // No fallback: a job fails only if all k provers fail, so liveness ≈ 1 − p^k.
      for (const k of [1, 2, 3]) expect(Math.abs(live(k, p) - (1 - p ** k))).toBeLessThan(0.05);
    }
    for (const k of [1, 2]) expect(live(k, 0.05)).toBeGreaterThan(live(k, 0.4));
  });
});
