import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { sampler } from './distributions.js';
import { rngStream, seed32, skipDraw, StreamBank } from './rng.js';

const draw = (n: number, f: () => number): number[] => Array.from({ length: n }, f);

describe('rngStream', () => {
  it('gives the same numbers for the same (seed, run, name)', () => {
    const a = rngStream(7, 0, 'demand');
    const b = rngStream(7, 0, 'demand');
    expect(draw(100, () => a.next())).toEqual(draw(100, () => b.next()));
  });

  it("draws seedrandom's Alea numbers, bit for bit, for any name", () => {
    for (const name of ['demand', 'entity/gpu-17', 'entity/gpu-farm-3', '', 'ü/✓ long name '.repeat(8)]) {
      const lib = seedrandom.alea(`pmsim/7/2/${name}`);
      expect(draw(2000, rngStream(7, 2, name).next)).toEqual(draw(2000, lib));
    }
  });

  it('gives different streams for a different seed, run or name', () => {
    const base = draw(10, rngStream(7, 0, 'demand').next);
    expect(draw(10, rngStream(8, 0, 'demand').next)).not.toEqual(base);
    expect(draw(10, rngStream(7, 1, 'demand').next)).not.toEqual(base);
    expect(draw(10, rngStream(7, 0, 'failures').next)).not.toEqual(base);
    expect(seed32(7, 0, 'x')).not.toBe(seed32(7, 0, 'y'));
  });
});

describe('StreamBank', () => {
  it("draws each stream's rngStream numbers, whichever stream draws first and however draws interleave", () => {
    const names = ['entity/gpu-1', 'entity/gpu-2', 'entity/gpu-farm-3', ''];
    const bank = new StreamBank(7, 2, (i) => names[i]!, names.length);
    const own = names.map((n) => rngStream(7, 2, n));
    const streams = names.map((_, i) => bank.stream(i));
    // A fixed interleaving that starts with the last stream and leaves stream 1 undrawn for a while.
    const order = [3, 0, 0, 2, 3, 0, 2, 2, 1, 3, 1, 0, 1, 2];
    for (let r = 0; r < 50; r++) for (const i of order) expect(streams[i]!.next()).toBe(own[i]!.next());
  });

  it('skips unread draws before and after seeding: the numbers read afterwards are those of rngStream after as many draws', () => {
    const bank = new StreamBank(3, 1, (i) => `entity/e-${i}`, 2);
    const a = bank.stream(0);
    const b = bank.stream(1);
    const ref = rngStream(3, 1, 'entity/e-0');
    const expected: number[] = [];
    // Stream 0: three skips while unseeded, a read, two skips once seeded, a read.
    for (let k = 0; k < 3; k++) skipDraw(a);
    for (let k = 0; k < 3; k++) ref.next();
    expected.push(ref.next());
    const got = [a.next()];
    skipDraw(a);
    skipDraw(a);
    ref.next();
    ref.next();
    expected.push(ref.next());
    got.push(a.next());
    expect(got).toEqual(expected);
    // Stream 1 never skipped: its numbers are its own stream's, untouched by stream 0's skips.
    expect(b.next()).toBe(rngStream(3, 1, 'entity/e-1').next());
  });

  it('skipDraw on a plain stream draws and drops one number', () => {
    const r = rngStream(5, 0, 'x');
    const ref = rngStream(5, 0, 'x');
    skipDraw(r);
    ref.next();
    expect(r.next()).toBe(ref.next());
  });

  it('keeps streams of different names apart', () => {
    const bank = new StreamBank(7, 0, (i) => `entity/e-${i}`, 2);
    expect(draw(10, () => bank.next(0))).not.toEqual(draw(10, () => bank.next(1)));
  });
});

describe('distributions', () => {
  const r = rngStream(1, 0, 'dist-test');
  const N = 40000;
  it.each([
    [{ dist: 'constant', value: 3 } as const, 3, 0],
    [{ dist: 'uniform', min: 2, max: 4 } as const, 3, Math.sqrt(4 / 12)],
    [{ dist: 'exponential', mean: 5 } as const, 5, 5],
    [{ dist: 'lognormal', median: 100, sigma: 0.5 } as const, 100 * Math.exp(0.125), 100 * Math.exp(0.125) * Math.sqrt(Math.exp(0.25) - 1)],
  ])('%o has the stated mean and spread (within 3%)', (spec, mu, sd) => {
    const xs = draw(N, () => sampler(spec).sample(r));
    expect(mean(xs)).toBeCloseTo(mu, 0);
    expect(Math.abs(mean(xs) - mu) / mu).toBeLessThan(0.03);
    if (sd > 0) expect(Math.abs(sampleStandardDeviation(xs) - sd) / sd).toBeLessThan(0.03);
  });

  it('truncates the normal at 0: no negative samples', () => {
    const s = sampler({ dist: 'normal', mean: 1, sd: 2 });
    const xs = draw(N, () => s.sample(r));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
  });

  it('replays an empirical trace in order, and samples it uniformly', () => {
    const rep = sampler({ dist: 'empirical', values: [1, 2, 3], mode: 'replay' });
    expect(draw(7, () => rep.sample(r))).toEqual([1, 2, 3, 1, 2, 3, 1]);
    const smp = sampler({ dist: 'empirical', values: [1, 2, 3], mode: 'sample' });
    const xs = draw(30000, () => smp.sample(r));
    for (const v of [1, 2, 3]) expect(Math.abs(xs.filter((x) => x === v).length / 30000 - 1 / 3)).toBeLessThan(0.015);
  });
});
