import { describe, expect, it } from 'vitest';
import { RunMetrics } from './run-metrics.js';

describe('RunMetrics sums', () => {
  const fresh = (): RunMetrics => new RunMetrics({ names: ['a'], attackers: [false], dominanceShare: 0.5 }, 100);

  it('start at exactly 0 (not -0, not the 0.5 they are first stored as)', () => {
    const m = fresh();
    for (const v of [m.requesterPaid, m.compute, m.useful, m.cloud, m.busySeconds, m.bestSurplusUsd, m.verification]) {
      expect(Object.is(v, 0)).toBe(true);
    }
  });

  it('add micro-USD past 2^31 exactly, as integers', () => {
    const m = fresh();
    for (let i = 0; i < 3000; i++) m.compute += 1_000_000;
    expect(m.compute).toBe(3_000_000_000);
    expect(Number.isInteger(m.compute)).toBe(true);
    expect(String(m.compute)).toBe('3000000000');
  });
});
