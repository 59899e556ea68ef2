import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregateRuns, estimate, loadResults, num, parseCsv, reportMeta, ResultsDirError, tQuantile975 } from '../src/report/index.js';
import { fmtNumber, fmtPct, fmtUsd, truncateMiddle } from '../src/report/format.js';
import { fixture, tmp } from './fixtures/report/helpers.js';

describe('loadResults', () => {
  it('reads a run directory with every file', () => {
    const r = loadResults(fixture('run-multi'));
    expect(r.kind).toBe('run');
    if (r.kind !== 'run') return;
    expect(r.summary).toHaveLength(9);
    expect(r.timeseries).toHaveLength(3 * 3 * 12);
    expect(r.shares).toHaveLength(3 * 3 * 12 * 6);
    expect(r.latency).toHaveLength(3 * 3 * 100);
    expect(r.files).toEqual(['summary.csv', 'timeseries.csv', 'shares.csv', 'latency.csv', 'run.json']);
    expect(reportMeta(r, 'results/x')).toEqual({
      kind: 'run',
      name: 'cartel-attack',
      seeds: [1, 2, 3],
      seedText: '3 seeds: 1, 2, 3',
      version: '0.1.0',
      // npx: inside a clone `pmsim` is not on the PATH
      command: 'npx pmsim run scenarios/cartel-attack.yaml --out results/x',
      reportCommand: 'npx pmsim report results/x',
      mechanisms: ['random', 'order-book', 'race'],
    });
  });

  it('tolerates missing optional files and reads empty cells as not applicable', () => {
    const r = loadResults(fixture('run-single'));
    if (r.kind !== 'run') throw new Error('expected a run');
    expect(r.shares).toEqual([]);
    const dir = tmp('empty-cells');
    writeFileSync(join(dir, 'summary.csv'), 'scenario,mechanism,seed,liveness,price_cv\ns,random,1,,0.5\n');
    const e = loadResults(dir);
    if (e.kind !== 'run') throw new Error('expected a run');
    expect(num(e.summary[0], 'liveness')).toBeNull();
    expect(num(e.summary[0], 'price_cv')).toBe(0.5);
    expect(e.timeseries).toEqual([]);
    expect(e.runJson).toBeNull();
  });

  it('reads summary.json when there is no summary.csv', () => {
    const dir = tmp('json-only');
    writeFileSync(
      join(dir, 'summary.json'),
      JSON.stringify([{ scenario: 's', mechanism: 'race', seed: 3, liveness: 0.5, latency_p95_s: null }]),
    );
    const r = loadResults(dir);
    if (r.kind !== 'run') throw new Error('expected a run');
    expect(num(r.summary[0], 'liveness')).toBe(0.5);
    expect(num(r.summary[0], 'latency_p95_s')).toBeNull();
  });

  it('reads a sweep directory and its grid columns', () => {
    const r = loadResults(fixture('sweep'));
    expect(r.kind).toBe('sweep');
    if (r.kind !== 'sweep') return;
    expect(r.gridColumns).toEqual(['market.redundancy', 'requesters.load']);
    expect(r.aggregate).toHaveLength(4 * 2 * 3);
    expect(r.runs).toHaveLength(4 * 2 * 3 * 3);
    expect(reportMeta(r, 'out').command).toBe('npx pmsim sweep sweeps/redundancy.yaml --out out');
  });

  it('aggregates runs.csv itself when aggregate.csv is missing, matching the sweep format', () => {
    const dir = tmp('runs-only');
    writeFileSync(join(dir, 'runs.csv'), readFileSync(join(fixture('sweep'), 'runs.csv')));
    const r = loadResults(dir);
    if (r.kind !== 'sweep') throw new Error('expected a sweep');
    expect(r.gridColumns).toEqual(['market.redundancy', 'requesters.load']);
    const ref = parseCsv(readFileSync(join(fixture('sweep'), 'aggregate.csv'), 'utf8'));
    expect(r.aggregate).toHaveLength(ref.length);
    for (let i = 0; i < ref.length; i++) {
      expect(r.aggregate[i].mechanism).toBe(ref[i].mechanism);
      for (const c of ['liveness_mean', 'liveness_sd', 'liveness_ci95_lo', 'price_per_job_mean_usd_ci95_hi']) {
        expect(num(r.aggregate[i], c)).toBeCloseTo(num(ref[i], c) ?? NaN, 3);
      }
    }
  });

  it('gives a readable error for a missing directory, a file, and a directory with no results', () => {
    expect(() => loadResults('/nonexistent/pmsim-results')).toThrow(ResultsDirError);
    expect(() => loadResults('/nonexistent/pmsim-results')).toThrow('results directory not found: /nonexistent/pmsim-results');
    const dir = tmp('not-results');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'file.txt'), 'x');
    expect(() => loadResults(join(dir, 'file.txt'))).toThrow(/not a directory/);
    expect(() => loadResults(dir)).toThrow(/holds no summary\.csv \(run\) nor aggregate\.csv\/runs\.csv \(sweep\)/);
  });
});

describe('statistics and formatting', () => {
  it('has the Student t 0.975 quantiles', () => {
    expect(tQuantile975(1)).toBeCloseTo(12.7062, 4);
    expect(tQuantile975(2)).toBeCloseTo(4.3027, 4);
    expect(tQuantile975(30)).toBeCloseTo(2.0423, 4);
    expect(tQuantile975(40)).toBeCloseTo(2.0211, 4);
    expect(tQuantile975(60)).toBeCloseTo(2.0003, 4);
    expect(tQuantile975(120)).toBeCloseTo(1.9799, 4);
    expect(tQuantile975(0)).toBeNaN();
  });

  it('estimates a mean with a t-based 95% CI', () => {
    const e = estimate([1, 2, 3]);
    expect(e?.mean).toBe(2);
    expect(e?.sd).toBe(1);
    expect(e?.lo).toBeCloseTo(2 - 4.302653 / Math.sqrt(3), 5);
    expect(e?.hi).toBeCloseTo(2 + 4.302653 / Math.sqrt(3), 5);
    expect(estimate([5])).toEqual({ n: 1, mean: 5, sd: 0, lo: 5, hi: 5 });
    expect(estimate([])).toBeNull();
  });

  it('formats numbers the same everywhere', () => {
    expect(fmtPct(0.9923)).toBe('99.2%');
    expect(fmtUsd(1234.5)).toBe('$1,235');
    expect(fmtUsd(45678)).toBe('$45.7k');
    expect(fmtUsd(0.0123)).toBe('$0.0123');
    expect(fmtUsd(-2.5)).toBe('−$2.5');
    expect(fmtNumber(2.5e9)).toBe('2.5B');
    expect(fmtNumber(null)).toBe('n/a');
    expect(truncateMiddle('a-long-workload-profile-3', 18)).toBe('a-long-wo…rofile-3');
  });
});

describe('aggregateRuns', () => {
  it('groups by grid point and mechanism', () => {
    const rows = [
      { run_index: 0, x: 1, scenario: 's', mechanism: 'a', seed: 1, liveness: 0.5 },
      { run_index: 1, x: 1, scenario: 's', mechanism: 'a', seed: 2, liveness: 0.7 },
      { run_index: 2, x: 2, scenario: 's', mechanism: 'a', seed: 1, liveness: '' },
    ];
    const agg = aggregateRuns(rows, ['x']);
    expect(agg).toHaveLength(2);
    expect(agg[0]).toMatchObject({ x: '1', mechanism: 'a', n: 2, liveness_mean: 0.6 });
    expect(agg[1]).toMatchObject({ x: '2', n: 1, liveness_mean: null, liveness_ci95_lo: null });
  });
});
