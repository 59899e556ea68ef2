/**
 * `Mechanism.solicits` (src/mechanisms/types.ts): a mechanism that assigns nodes itself and asks the
 * operators nothing (first-fit) declares it, and the shell then keeps no race entry index for it
 * (`market.ts`, `responses.ts`). The declaration may only save work: the run must be the same. So
 * too the self-hosted scheduler's `freesOnReport` (no `available` after a node's own report) and
 * `releasesJobs` (the shell reuses a closed job's object).
 */
import { describe, expect, it } from 'vitest';
import { firstFit } from '../src/mechanisms/first-fit/index.js';
import { randomAllocation } from '../src/mechanisms/random/index.js';
import { selfHosted } from '../src/mechanisms/self-hosted/index.js';
import type { Mechanism } from '../src/mechanisms/types.js';
import { runMarket, type JobRow } from '../src/market/market.js';
import { smallScenario } from './agents-helpers.js';

function run(mechanism: Mechanism) {
  const s = smallScenario();
  const jobs: JobRow[] = [];
  const r = runMarket({ scenario: s, mechanism, seed: 11, onJob: (row) => jobs.push(row) });
  return { metrics: r.metrics, events: r.events, jobs };
}

describe('a mechanism that asks the operators nothing', () => {
  it('first-fit declares it; random allocation, which may solicit a race, does not', () => {
    expect(firstFit().solicits).toBe(false);
    expect(randomAllocation().solicits).toBe(true);
  });

  it('runs the same whether or not the shell keeps its nodes ready to be asked', () => {
    const quiet = run(firstFit());
    const asked = run({ ...firstFit(), solicits: true });
    expect(quiet.jobs.length).toBeGreaterThan(50);
    expect(quiet.jobs).toEqual(asked.jobs);
    expect(quiet.events).toBe(asked.events);
    expect(JSON.stringify(quiet.metrics)).toBe(JSON.stringify(asked.metrics));
  });
});

describe("the self-hosted scheduler's declarations", () => {
  it('it asks nobody, frees a node on its own report and keeps no closed job; other mechanisms promise neither of the last two', () => {
    const m = selfHosted();
    expect([m.solicits, m.freesOnReport, m.releasesJobs]).toEqual([false, true, true]);
    expect([firstFit().freesOnReport, firstFit().releasesJobs]).toEqual([false, false]);
  });

  it('runs the same when the shell is told none of them', () => {
    const declared = run(selfHosted());
    const told = run({ ...selfHosted(), solicits: true, freesOnReport: false, releasesJobs: false });
    expect(declared.jobs.length).toBeGreaterThan(50);
    expect(declared.jobs).toEqual(told.jobs);
    expect(JSON.stringify(declared.metrics)).toBe(JSON.stringify(told.metrics));
  });
});
