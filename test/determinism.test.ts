import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/comparison/run-scenario.js';
import { loadScenarioFile } from '../src/scenario/load.js';
import { pmsim, ROOT } from './cli.js';

describe('determinism', () => {
  it('the same scenario and seed give byte-identical summary.csv and timeseries.csv', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmsim-det-'));
    const a = pmsim(['run', 'scenarios/default.yaml', '--out', join(dir, 'a'), '--quiet']);
    const b = pmsim(['run', 'scenarios/default.yaml', '--out', join(dir, 'b'), '--quiet']);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    for (const f of ['summary.csv', 'timeseries.csv', 'shares.csv', 'latency.csv', 'summary.json']) {
      expect(readFileSync(join(dir, 'a', f), 'utf8')).toBe(readFileSync(join(dir, 'b', f), 'utf8'));
    }
    const c = pmsim(['run', 'scenarios/default.yaml', '--out', join(dir, 'c'), '--quiet', '--seed', '43']);
    expect(c.status).toBe(0);
    expect(readFileSync(join(dir, 'c', 'summary.csv'), 'utf8')).not.toBe(readFileSync(join(dir, 'a', 'summary.csv'), 'utf8'));
    // Three full runs of the default comparison (about 5 CPU-s each): room for a loaded CI machine.
  }, 240_000);

  it('every mechanism of a comparison sees the identical demand trace (common random numbers)', () => {
    const s = loadScenarioFile(join(ROOT, 'scenarios/default.yaml'));
    const traces = new Map<string, string[]>();
    runScenario(s, {
      onJob: (m, row) => {
        if (!traces.has(m)) traces.set(m, []);
        traces.get(m)!.push(`${row.job_id},${row.requester},${row.submitted_s},${row.mcycles},${row.deadline_s}`);
      },
    });
    const hashes = [...traces.entries()].map(
      ([m, rows]) => [m, createHash('sha256').update(rows.sort().join('\n')).digest('hex'), rows.length] as const,
    );
    expect(hashes.length).toBeGreaterThanOrEqual(2);
    for (const [, h, n] of hashes) {
      expect(h).toBe(hashes[0]![1]);
      expect(n).toBe(hashes[0]![2]);
    }
  });
});
