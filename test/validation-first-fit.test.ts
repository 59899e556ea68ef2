/**
 * Closed-form validation of first-fit assignment (see docs/validation.md, `## first-fit`).
 */
import { describe, expect, it } from 'vitest';
import { hardwareById, nodeModel } from '../src/hardware-models/index.js';
import { runMarket, type JobRow } from '../src/market/market.js';
import { firstFit } from '../src/mechanisms/first-fit/index.js';
import { parseScenario } from '../src/scenario/load.js';

/** Erlang C: the probability that an arrival waits in an M/M/c queue with offered load A = λ/μ (A < c). */
function erlangC(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b); // Erlang B by its stable recursion
  const rho = a / c;
  return b / (1 - rho + rho * b);
}

const rtx4090 = nodeModel(hardwareById('gpu-rtx4090')!, 1, 'owned', 0.12);

describe('first-fit: closed-form validation', () => {
  it('c identical nodes, Poisson arrivals, exponential sizes: an M/M/c FIFO queue, mean wait within 5% of Erlang C (c = 4, ρ = 0.7, 6 seeds × 40,000 jobs)', () => {
    const c = 4;
    const rho = 0.7;
    const meanMcycles = 800;
    // Service S = (setup + k X) × U(0.9, 1.1) with X ~ Exp(meanMcycles): E[S] = duration(mean); the
    // 1 s setup against a mean of ~1,400 s leaves S exponential to within a few per mille (Cs² ≈ 1.005).
    const es = rtx4090.duration(meanMcycles, 'zkvm');
    const gap = es / (c * rho);
    const jobs = 40_000;
    // A queue's waits are strongly autocorrelated: one run's mean wait scatters by ~5%, so seeds are pooled.
    let waitSum = 0;
    let n = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const scenario = parseScenario({
        name: 'first-fit-mmc',
        seed,
        duration: Math.ceil(jobs * gap),
        window: '30d',
        mechanisms: [{ id: 'first-fit', params: { limit: 'fixed', timeout: 0 } }],
        operators: [{ name: 'same', entities: c, nodes: 1, hardware: 'gpu-rtx4090', margin: 0.2, failure_prob: 0 }],
        requesters: [
          {
            name: 'apps',
            arrival: { dist: 'exponential', mean: gap },
            size_mcycles: { dist: 'exponential', mean: meanMcycles },
            deadline: '3650d',
            max_price_usd_per_mcycle: 0.001,
            resources: { gpus: 1, memory_gb: 16 },
          },
        ],
      });
      const rows: JobRow[] = [];
      const r = runMarket({ scenario, mechanism: firstFit({ limit: 'fixed', timeout: 0 }), seed, onJob: (row) => rows.push(row) });
      expect(r.ledger.total()).toBe(0);
      expect(rows.length).toBeGreaterThan(0.95 * jobs);
      expect(rows.every((row) => row.outcome === 'delivered')).toBe(true);
      // Each job's wait: its latency less its nominal service time (the jitter has mean 1: no bias).
      for (const row of rows) waitSum += row.latency_s - rtx4090.duration(row.mcycles, 'zkvm');
      n += rows.length;
    }
    const a = c * rho;
    const wq = (erlangC(c, a) * es) / (c - a); // Wq = C(c, A) / (cμ − λ)
    expect(Math.abs(waitSum / n / wq - 1)).toBeLessThan(0.05);
  });
});
