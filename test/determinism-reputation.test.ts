/**
 * Determinism of the `reputation` mechanism (issue 13): its selection reads only the beacon, the
 * eligible set and its own reputation table, so a run is a pure function of (scenario, seed). The
 * fixture mixes honest, flaky, sybil and newcomer provers, so every rule is exercised.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pmsim } from './cli.js';

const BASE = 'test/fixtures/reputation/base.yaml';
const SWEEP = 'test/fixtures/reputation/sweep.yaml';
const tmp = mkdtempSync(join(tmpdir(), 'pmsim-det-rep-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const read = (dir: string, f: string) => readFileSync(join(tmp, dir, f), 'utf8');

describe('reputation: determinism', () => {
  it('the same scenario and seed give byte-identical outputs on a rerun, and another seed differs', () => {
    for (const d of ['a', 'b']) {
      const r = pmsim(['run', BASE, '--out', join(tmp, d), '--quiet', '--jobs']);
      expect(r.status, r.stderr).toBe(0);
    }
    for (const f of ['summary.csv', 'timeseries.csv', 'shares.csv', 'latency.csv', 'summary.json', 'jobs.csv']) {
      expect(read('a', f), f).toBe(read('b', f));
    }
    // The three variants really differ from each other, so the test is not comparing empty outputs.
    const rows = read('a', 'summary.csv').trim().split('\n');
    expect(rows).toHaveLength(4);
    expect(new Set(rows.slice(1).map((r) => r.split(',').slice(5).join(','))).size).toBe(3);
    const c = pmsim(['run', BASE, '--out', join(tmp, 'c'), '--quiet', '--seed', '6']);
    expect(c.status, c.stderr).toBe(0);
    expect(read('c', 'summary.csv')).not.toBe(read('a', 'summary.csv'));
  });

  it('a sweep gives byte-identical runs.csv and aggregate.csv with 1 and 2 workers', () => {
    for (const w of ['1', '2']) {
      const r = pmsim(['sweep', SWEEP, '--out', join(tmp, `w${w}`), '--workers', w, '--quiet']);
      expect(r.status, r.stderr).toBe(0);
    }
    for (const f of ['runs.csv', 'aggregate.csv']) expect(read('w1', f), f).toBe(read('w2', f));
    expect(read('w1', 'runs.csv').trim().split('\n').length).toBe(1 + 12);
  });
});
