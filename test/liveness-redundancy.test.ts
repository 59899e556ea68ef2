import { describe, expect, it } from 'vitest';
import { runMarket } from '../src/market/market.js';
import { randomAllocation } from '../src/mechanisms/random/index.js';
import { scenario } from './helpers.js';

describe('random allocation: liveness under redundancy', () => {
  // With k independent provers each failing with probability p and no fallback, a job fails only
  // if all k fail: liveness = 1 - p^k. 3,000+ jobs give a standard error below 0.009; tolerance 0.03.
  it.each([
    [1, 0.3],
    [2, 0.3],
    [3, 0.3],
    [2, 0.5],
  ])('redundancy k=%i with failure probability p=%f gives liveness within 0.03 of 1 - p^k', (k, p) => {
    const s = scenario({
      seed: 11,
      duration: '2d',
      operators: [{ name: 'gpus', entities: 60, hardware: 'gpu-rtx4090', margin: 0, failure_prob: p }],
      requesters: [
        {
          name: 'apps',
          arrival: { dist: 'exponential', mean: 50 },
          size_mcycles: 100,
          deadline: '6h',
          redundancy: k,
          max_price_usd_per_mcycle: 0.01,
        },
      ],
    });
    const r = runMarket({ scenario: s, mechanism: randomAllocation({ fallbackRounds: 0, onExhausted: 'refund' }), seed: 11 });
    const m = r.metrics;
    expect(m.submitted).toBeGreaterThan(3000);
    expect(m.expired).toBe(0);
    const liveness = m.onTime / m.submitted;
    expect(Math.abs(liveness - (1 - p ** k))).toBeLessThan(0.03);
  });
});
