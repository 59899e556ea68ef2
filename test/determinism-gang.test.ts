/**
 * Byte-identical outputs for scenarios with gang jobs (issue 13): across reruns, and across 1 and 2
 * sweep workers. The fixture runs every mechanism on 4-node gangs (test/fixtures/gang).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pmsim } from './cli.js';

const FIX = 'test/fixtures/gang';
const tmp = mkdtempSync(join(tmpdir(), 'pmsim-gang-det-'));
const read = (dir: string, f: string): string => readFileSync(join(dir, f), 'utf8');

describe('determinism with gang jobs', () => {
  it('two runs of the same gang scenario and seed write byte-identical result files', () => {
    const a = pmsim(['run', `${FIX}/base.yaml`, '--out', join(tmp, 'a'), '--jobs', '--quiet']);
    const b = pmsim(['run', `${FIX}/base.yaml`, '--out', join(tmp, 'b'), '--jobs', '--quiet']);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    for (const f of ['summary.csv', 'timeseries.csv', 'shares.csv', 'latency.csv', 'jobs.csv', 'summary.json']) {
      expect(read(join(tmp, 'b'), f)).toBe(read(join(tmp, 'a'), f));
    }
    // The gang jobs were served: every mechanism delivered some (the file is not trivially equal).
    const rows = read(join(tmp, 'a'), 'summary.csv').trim().split('\n');
    const head = rows[0]!.split(',');
    const delivered = head.indexOf('jobs_delivered');
    expect(rows).toHaveLength(1 + 8);
    for (const r of rows.slice(1)) expect(Number(r.split(',')[delivered])).toBeGreaterThan(0);
    const c = pmsim(['run', `${FIX}/base.yaml`, '--out', join(tmp, 'c'), '--quiet', '--seed', '8']);
    expect(c.status, c.stderr).toBe(0);
    expect(read(join(tmp, 'c'), 'summary.csv')).not.toBe(read(join(tmp, 'a'), 'summary.csv'));
  });

  it('a sweep over gang sizes gives byte-identical runs.csv and aggregate.csv with 1 and 2 workers', () => {
    const w1 = join(tmp, 'w1');
    const w2 = join(tmp, 'w2');
    const r1 = pmsim(['sweep', `${FIX}/sweep.yaml`, '--out', w1, '--workers', '1', '--quiet']);
    const r2 = pmsim(['sweep', `${FIX}/sweep.yaml`, '--out', w2, '--workers', '2', '--quiet']);
    expect(r1.status, r1.stderr).toBe(0);
    expect(r2.status, r2.stderr).toBe(0);
    for (const f of ['runs.csv', 'aggregate.csv']) expect(read(w2, f)).toBe(read(w1, f));
    const runs = read(w1, 'runs.csv').trim().split('\n');
    // 2 gang sizes x 2 replicates x 8 mechanisms, and the grid column names the gang key.
    expect(runs).toHaveLength(1 + 32);
    expect(runs[0]!.startsWith('run_index,requesters[0].gang,')).toBe(true);
  });
});
