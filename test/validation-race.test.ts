/**
 * Closed-form validation of proof racing on the full market (see docs/validation.md, `## race`).
 *
 * k identical free nodes, every one of which joins every race (the reward covers k × cost), prove
 * each job in d × J seconds, J ~ U(0.9, 1.1) i.i.d. (the shell's hardware jitter). Then the compute
 * spent per job is
 *   - losers run to the end:  Σ_i d J_i c        ⇒ E = k · d · c
 *   - losers abort at the win: k · d · min_i J_i c ⇒ E = k · d · c · (0.9 + 0.2 / (k + 1))
 * (the minimum of k i.i.d. U(a, b) has mean a + (b − a)/(k + 1)), where c is the node's cost per
 * second. Every job is raced by exactly k racers, so `attempts` is k.
 */
import { describe, expect, it } from 'vitest';
import { runMarket, type JobRow } from '../src/market/market.js';
import { parseScenario } from '../src/scenario/load.js';
import { proofRace, type RaceParams } from '../src/mechanisms/race/index.js';

const K = 5;
const JOBS = 300;
const MCYCLES = 1000;

function scenario() {
  return parseScenario({
    name: 'race-validation',
    seed: 7,
    duration: JOBS * 7200,
    window: '1d',
    mechanisms: ['race'],
    operators: [{ name: 'racers', entities: K, nodes: 1, hardware: 'gpu-rtx4090', strategy: 'truthful', failure_prob: 0 }],
    requesters: [
      {
        name: 'bounties',
        arrival: '2h', // far longer than a proof (≈ 19 min): every node is free at every submission
        size_mcycles: MCYCLES,
        deadline: '1h',
        max_price_usd_per_mcycle: 0.01, // $10 reward ≫ k × cost (≈ $0.03 each)
        resources: { gpus: 1, memory_gb: 16 },
      },
    ],
  });
}

function run(params: Partial<RaceParams>) {
  const rows: JobRow[] = [];
  const r = runMarket({ scenario: scenario(), mechanism: proofRace(params), seed: 7, onJob: (row) => rows.push(row) });
  const node = r.population.nodes[0]!;
  const costPerProof = (node.model.duration(MCYCLES, 'zkvm') * node.model.hourlyCostUsd * 1e6) / 3600; // micro-USD at jitter 1
  return { r, rows, costPerProof };
}

describe('race: closed-form validation on the full market', () => {
  it(`losers run to the end: compute per job = k × cost (k = ${K}, ${JOBS} jobs, tolerance 1%)`, () => {
    const { r, rows, costPerProof } = run({ losersAbort: false });
    expect(rows).toHaveLength(r.metrics.submitted);
    expect(rows.every((row) => row.outcome === 'delivered' && row.attempts === K)).toBe(true);
    const perJob = r.metrics.compute / rows.length;
    const expected = K * costPerProof;
    expect(Math.abs(perJob / expected - 1)).toBeLessThan(0.01);
    // Only the winner's proof is useful, and the winner is the fastest of the k: the useful share
    // is E[min J] / E[Σ J] = (0.9 + 0.2/(k + 1)) / k, so the wasted share is 1 − 0.1867 = 0.8133 at k = 5.
    const wasted = (r.metrics.compute - r.metrics.useful) / r.metrics.compute;
    expect(Math.abs(wasted - (1 - (0.9 + 0.2 / (K + 1)) / K))).toBeLessThan(0.005);
    expect(r.ledger.total()).toBe(0);
  });

  it(`losers abort at the announcement: compute per job = k × cost × E[min of k U(0.9, 1.1)] (tolerance 1%)`, () => {
    const { r, rows, costPerProof } = run({ losersAbort: true });
    expect(rows.every((row) => row.outcome === 'delivered' && row.attempts === K)).toBe(true);
    const perJob = r.metrics.compute / rows.length;
    const expected = K * costPerProof * (0.9 + 0.2 / (K + 1));
    expect(Math.abs(perJob / expected - 1)).toBeLessThan(0.01);
    // ... and it is measurably less than running to the end (1 − 0.9333 = 6.7% saved at k = 5).
    expect(perJob).toBeLessThan(0.95 * K * costPerProof);
  });

  it('the winner is paid the bounty exactly once per job: operator revenue = jobs × reward', () => {
    const { r, rows } = run({ losersAbort: true });
    expect(r.metrics.revenue).toBe(rows.length * 10_000_000);
    expect(r.ledger.openEscrows()).toBe(0);
  });
});

describe('race: the closed form holds at 10,000 operators (issue 10)', () => {
  const N = 10_000;
  const JOBS_10K = 60;
  // A reward of 5.5 × the cost per proof: with truthful racers exactly k = 5 of the 10,000 free nodes
  // expect to break even (reward / 5 ≥ cost > reward / 6), so every job is raced by 5 of them.
  function scenario10k(pricePerMcycle: number) {
    return parseScenario({
      name: 'race-validation-10k',
      seed: 7,
      duration: JOBS_10K * 7200,
      window: '1d',
      mechanisms: ['race'],
      operators: [{ name: 'racers', entities: N, nodes: 1, hardware: 'gpu-rtx4090', strategy: 'truthful', failure_prob: 0 }],
      requesters: [
        {
          name: 'bounties',
          arrival: '2h',
          size_mcycles: MCYCLES,
          deadline: '1h',
          max_price_usd_per_mcycle: pricePerMcycle,
          resources: { gpus: 1, memory_gb: 16 },
        },
      ],
    });
  }

  it(`losers run to the end: compute per job = k × cost with k = 5 racers drawn from ${N.toLocaleString('en-US')} free nodes (${JOBS_10K} jobs, tolerance 1%)`, () => {
    const { costPerProof } = run({ losersAbort: false }); // the same node model as above
    const s = scenario10k((5.5 * costPerProof) / 1e6 / MCYCLES);
    const rows: JobRow[] = [];
    const r = runMarket({ scenario: s, mechanism: proofRace({ losersAbort: false }), seed: 7, onJob: (row) => rows.push(row) });
    expect(rows).toHaveLength(JOBS_10K);
    expect(rows.every((row) => row.outcome === 'delivered' && row.attempts === 5)).toBe(true);
    expect(Math.abs(r.metrics.compute / rows.length / (5 * costPerProof) - 1)).toBeLessThan(0.01);
    // The racers are spread over the population, not always the lowest ids.
    const winners = new Set(rows.map((row) => row.operator));
    expect(winners.size).toBeGreaterThan(JOBS_10K / 2);
  });
});
