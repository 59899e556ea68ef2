/**
 * Issue 12's market-level checks: rules that need the shell (who joins a race, stake at join).
 * Single-job money rules are in presets.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { runMarket, type JobRow } from '../src/market/market.js';
import { createMechanism, resolveMechanism } from '../src/comparison/run-scenario.js';
import { loadScenarioFile } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/schema.js';
import { smallScenario } from './agents-helpers.js';

function run(s: Scenario, id: string, params: Record<string, unknown> = {}): JobRow[] {
  const jobs: JobRow[] = [];
  runMarket({ scenario: s, mechanism: createMechanism(resolveMechanism({ id, params })), seed: 1, onJob: (row) => jobs.push(row) });
  return jobs;
}

describe("boundless secondaries work to the offer's timeout, not the requester's off-chain deadline", () => {
  it("a job whose locker abandons it is delivered by a secondary after the lock deadline, even when that is past the requester's deadline (BoundlessMarket.sol _fulfillAndPayWasLocked)", () => {
    const s = smallScenario({
      duration: '12h',
      operators: [
        {
          name: 'griefer',
          hardware: 'gpu-rtx4090',
          strategy: 'griefer',
          params: { abandon_prob: 1, abandon_after_s: 60, price_factor: 0 },
        },
        { name: 'honest', entities: 3, hardware: 'gpu-rtx4090', strategy: 'cost-plus', margin: 0.2, failure_prob: 0 },
      ],
      // A 20-minute deadline: the SDK's lock timeout (1800 s + 7 s/Mcycle) always ends after it.
      requesters: [
        {
          name: 'apps',
          arrival: { dist: 'exponential', mean: '30m' },
          size_mcycles: 200,
          deadline: '20m',
          max_price_usd_per_mcycle: 0.001,
        },
      ],
    });
    const jobs = run(s, 'reverse-dutch', { preset: 'boundless' });
    const griefed = jobs.filter((j) => j.entity !== 'griefer' && j.attempts > 1);
    expect(griefed.length).toBeGreaterThan(0);
    expect(jobs.filter((j) => j.outcome === 'failed')).toEqual([]);
    // The secondaries' deliveries come after the requester's deadline: they are late, not lost.
    expect(griefed.some((j) => j.outcome === 'delivered' && j.ended_s > j.deadline_s)).toBe(true);
  });
});

describe('succinct under lock-griefing: stake slashing', () => {
  const onTime = (jobs: JobRow[]) => jobs.filter((j) => j.on_time).length / jobs.length;
  const s = loadScenarioFile('scenarios/attacks/lock-griefing.yaml');

  it('without slashing a zero-price griefer wins every auction and liveness is 0; slashing its stake (docs provers/how-it-works) keeps liveness above 0.5', () => {
    const off = run(s, 'sealed-bid', { preset: 'succinct' });
    const on = run(s, 'sealed-bid', { preset: 'succinct', slashOnMiss: true });
    expect(onTime(off)).toBe(0);
    expect(onTime(on)).toBeGreaterThan(0.5);
    // Once its stake and capital are gone the griefer wins nothing more.
    const lastGriefed = Math.max(
      ...on.filter((j) => j.outcome === 'failed' && j.attempts === 1 && j.submitted_s < 86_400).map((j) => j.submitted_s),
    );
    const after = on.filter((j) => j.submitted_s > lastGriefed && j.submitted_s < 86_400);
    expect(after.length).toBeGreaterThan(0);
    expect(onTime(after)).toBeGreaterThan(0.9);
  });

  it('the old slash, a multiple of the winning bid, posts nothing for a zero bid and cannot deter it', () => {
    expect(onTime(run(s, 'sealed-bid', { slashOnMiss: true, collateralMultiple: 10 }))).toBe(0);
  });
});
