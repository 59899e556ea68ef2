/**
 * `Mechanism.solicits` (src/mechanisms/types.ts): a mechanism that assigns nodes itself and asks the
 * operators nothing (first-fit) declares it, and the shell then keeps no race entry index for it
 * (`market.ts`, `responses.ts`). The declaration may only save work: the run must be the same. So
 * too the self-hosted scheduler's `freesOnReport` (no `available` after a node's own report) and
 * `releasesJobs` (the shell reuses a closed job's object), and `movesMoney` (no escrow per job: the
 * requester keeps its budget).
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
  return { metrics: r.metrics, events: r.events, jobs, ledger: r.ledger };
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
  it('it asks nobody, frees a node on its own report, keeps no closed job and moves no money; other mechanisms promise none of the last three', () => {
    const m = selfHosted();
    expect([m.solicits, m.freesOnReport, m.releasesJobs, m.movesMoney]).toEqual([false, true, true, false]);
    expect([firstFit().freesOnReport, firstFit().releasesJobs, firstFit().movesMoney]).toEqual([false, false, true]);
  });

  it('runs the same when the shell is told none of them, with the same final balances', () => {
    const declared = run(selfHosted());
    const told = run({ ...selfHosted(), solicits: true, freesOnReport: false, releasesJobs: false, movesMoney: true });
    expect(declared.jobs.length).toBeGreaterThan(50);
    expect(declared.jobs.some((j) => j.outcome === 'delivered')).toBe(true);
    expect(declared.jobs).toEqual(told.jobs);
    expect(JSON.stringify(declared.metrics)).toBe(JSON.stringify(told.metrics));
    for (let a = 0; a < 8; a++) expect(declared.ledger.balance(a)).toBe(told.ledger.balance(a));
  });

  it('escrows nothing for its jobs: the requesters keep their budgets throughout the run', () => {
    const declared = run(selfHosted());
    // Told to escrow, the shell filled and emptied one escrow per job (the jobs have a price limit).
    const told = run({ ...selfHosted(), movesMoney: true });
    expect(declared.ledger.escrowTotal()).toBe(0);
    expect(declared.ledger.openEscrows()).toBe(0);
    expect(declared.ledger.total()).toBe(0);
    expect(told.ledger.escrowTotal()).toBe(0);
    expect(smallScenario().requesters.some((r) => r.max_price_usd !== undefined || r.max_price_usd_per_mcycle !== undefined)).toBe(true);
  });

  it('a money decision from a mechanism that declared it moves none stops the run', () => {
    const base = selfHosted();
    const liar: Mechanism = {
      ...base,
      step(state, input, now, random, out) {
        base.step(state as never, input, now, random, out);
        if (input.type === 'deliver')
          out.push({ type: 'settle', jobId: input.jobId, operator: input.operator, amount: 1, source: 'emission' });
      },
    };
    expect(() => run(liar)).toThrow(/moves no money/);
  });
});
