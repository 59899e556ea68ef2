import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pmsim } from './cli.js';

const FIX = new URL('./fixtures/contestable/', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'pmsim-det-contestable-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

describe('determinism of contestable proving (bonds, late slashes, contests drawn from the injected random)', () => {
  it('the same scenario and seed give byte-identical outputs on every rerun, and another seed changes them', () => {
    const runs = ['a', 'b'].map((k) => {
      const r = pmsim(['run', `${FIX}base.yaml`, '--out', join(tmp, k), '--quiet']);
      expect(r.status, r.stderr).toBe(0);
      return join(tmp, k);
    });
    for (const f of ['summary.csv', 'timeseries.csv', 'shares.csv', 'latency.csv', 'summary.json']) {
      expect(read(runs[1]!, f), f).toBe(read(runs[0]!, f));
    }
    // The contests actually ran: the contest row slashed bonds (the column is not zero).
    const rows = read(runs[0]!, 'summary.csv').trim().split('\n');
    const head = rows[0]!.split(',');
    const contests = rows.find((l) => l.includes(',contestable-contests,'))!.split(',');
    expect(Number(contests[head.indexOf('slashed_usd')])).toBeGreaterThan(0);
    const other = pmsim(['run', `${FIX}base.yaml`, '--out', join(tmp, 'c'), '--quiet', '--seed', '22']);
    expect(other.status).toBe(0);
    expect(read(join(tmp, 'c'), 'summary.csv')).not.toBe(read(runs[0]!, 'summary.csv'));
  });

  it('a sweep gives byte-identical runs.csv and aggregate.csv with 1 and with 2 workers', () => {
    const one = join(tmp, 'w1');
    const two = join(tmp, 'w2');
    const r1 = pmsim(['sweep', `${FIX}sweep.yaml`, '--out', one, '--workers', '1', '--quiet']);
    expect(r1.status, r1.stderr).toBe(0);
    const r2 = pmsim(['sweep', `${FIX}sweep.yaml`, '--out', two, '--workers', '2', '--quiet']);
    expect(r2.status, r2.stderr).toBe(0);
    for (const f of ['runs.csv', 'aggregate.csv']) expect(read(two, f), f).toBe(read(one, f));
    expect(read(one, 'runs.csv')).toMatch(/contestable-contests/);
  });
});
