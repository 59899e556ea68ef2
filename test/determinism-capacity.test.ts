/** Determinism of issue 13's capacity options (verifier committee, chunked proving): reruns and sweep workers. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvParse } from 'd3';
import { afterAll, describe, expect, it } from 'vitest';
import { pmsim, ROOT } from './cli.js';

const SCENARIO = join(ROOT, 'scenarios/verification-and-chunks.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'pmsim-det-capacity-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('scenarios/verification-and-chunks.yaml', () => {
  it('gives byte-identical outputs when run twice, and different ones for another seed', () => {
    const a = pmsim(['run', SCENARIO, '--out', join(tmp, 'a'), '--quiet', '--jobs']);
    const b = pmsim(['run', SCENARIO, '--out', join(tmp, 'b'), '--quiet', '--jobs']);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    for (const f of ['summary.csv', 'timeseries.csv', 'shares.csv', 'latency.csv', 'summary.json', 'jobs.csv']) {
      expect(readFileSync(join(tmp, 'b', f), 'utf8'), f).toBe(readFileSync(join(tmp, 'a', f), 'utf8'));
    }
    const c = pmsim(['run', SCENARIO, '--out', join(tmp, 'c'), '--quiet', '--seed', '14']);
    expect(c.status, c.stderr).toBe(0);
    expect(readFileSync(join(tmp, 'c', 'summary.csv'), 'utf8')).not.toBe(readFileSync(join(tmp, 'a', 'summary.csv'), 'utf8'));
  });

  it('pays a committee and delivers the chunked block proofs under every mechanism', () => {
    const rows = csvParse(readFileSync(join(tmp, 'a', 'summary.csv'), 'utf8'));
    expect(rows.length).toBe(4);
    for (const r of rows) {
      expect(Number(r.verification_cost_usd), r.mechanism).toBeGreaterThan(0);
      // At least 10 verifiers × $0.0005 per delivered job (chunks and aggregations are verified too).
      expect(Number(r.verification_cost_usd), r.mechanism).toBeGreaterThan(Number(r.jobs_delivered) * 10 * 0.0005 - 1e-9);
      expect(Number(r.jobs_delivered) / Number(r.jobs_submitted), r.mechanism).toBeGreaterThan(0.9);
    }
    const jobs = csvParse(readFileSync(join(tmp, 'a', 'jobs.csv'), 'utf8'));
    const blocks = jobs.filter((j) => Number(j.mcycles) > 2000 && j.outcome === 'delivered');
    expect(blocks.length).toBeGreaterThan(20);
  });

  it('gives byte-identical sweep results with 1 and 2 workers', () => {
    const sweep = join(tmp, 'sweep.yaml');
    writeFileSync(
      sweep,
      [
        `scenario: ${JSON.stringify(SCENARIO)}`,
        'seed: 3',
        'replicates: 1',
        'grid:',
        '  verifier_committee.fee_usd: [0.0005, 0.002]',
        '  requesters[blocks].chunking.chunk_mcycles: [1500, 4000]',
        '',
      ].join('\n'),
    );
    const one = pmsim(['sweep', sweep, '--out', join(tmp, 'w1'), '--workers', '1', '--quiet']);
    const two = pmsim(['sweep', sweep, '--out', join(tmp, 'w2'), '--workers', '2', '--quiet']);
    expect(one.status, one.stderr).toBe(0);
    expect(two.status, two.stderr).toBe(0);
    for (const f of ['runs.csv', 'aggregate.csv']) {
      expect(readFileSync(join(tmp, 'w2', f), 'utf8'), f).toBe(readFileSync(join(tmp, 'w1', f), 'utf8'));
    }
    const runs = csvParse(readFileSync(join(tmp, 'w1', 'runs.csv'), 'utf8'));
    expect(new Set(runs.map((r) => r.verification_cost_usd)).size).toBeGreaterThan(1);
  });
});
