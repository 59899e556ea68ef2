import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvParse } from 'd3';
import { describe, expect, it } from 'vitest';
import { SUMMARY_COLUMNS } from '../src/comparison/rows.js';
import { pmsim } from './cli.js';

describe('pmsim run output contract', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pmsim-out-'));
  const r = pmsim(['run', 'scenarios/default.yaml', '--out', dir, '--jobs', '--mechanism', 'random', '--quiet']);

  it('exits 0 and writes every contract file, and no temp files', () => {
    expect(r.status, r.stderr).toBe(0);
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['jobs.csv', 'latency.csv', 'run.json', 'shares.csv', 'summary.csv', 'summary.json', 'timeseries.csv']);
  });

  it('summary.csv has the contract columns in order, one row per mechanism, and consistent counts', () => {
    const rows = csvParse(readFileSync(join(dir, 'summary.csv'), 'utf8'));
    expect(rows.columns).toEqual([...SUMMARY_COLUMNS]);
    expect(rows.map((x) => x.mechanism)).toEqual(['random']);
    const s = rows[0]!;
    const n = (k: string) => Number(s[k]);
    expect(n('jobs_delivered') + n('jobs_failed') + n('jobs_expired') + n('jobs_rejected') + n('jobs_open_end')).toBe(n('jobs_submitted'));
    expect(n('liveness')).toBeCloseTo(n('jobs_on_time') / n('jobs_submitted'), 9);
    expect(n('compute_cost_usd')).toBeCloseTo(n('useful_compute_usd') + n('wasted_compute_usd'), 5);
    expect(n('latency_p50_s')).toBeLessThanOrEqual(n('latency_p95_s'));
    expect(n('latency_p95_s')).toBeLessThanOrEqual(n('latency_p99_s'));
    expect(n('hhi')).toBeGreaterThan(0);
    expect(n('hhi')).toBeLessThanOrEqual(10000);
  });

  it('summary.json holds the same rows, with null for not-applicable cells', () => {
    const j = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(j).toHaveLength(1);
    expect(j[0].attacker_share_peak).toBeNull();
    expect(Object.keys(j[0])).toEqual([...SUMMARY_COLUMNS]);
  });

  it('timeseries.csv has one row per window with the contract columns', () => {
    const rows = csvParse(readFileSync(join(dir, 'timeseries.csv'), 'utf8'));
    for (const c of ['t_start_s', 'jobs_submitted', 'jobs_on_time', 'price_per_mcycle_mean_usd', 'active_operators', 'hhi', 'top1_share'])
      expect(rows.columns).toContain(c);
    expect(rows).toHaveLength(28); // 7 days / 6 h
    expect(rows.map((x) => Number(x.t_start_s))).toEqual(Array.from({ length: 28 }, (_, i) => i * 21600));
  });

  it('jobs.csv has one row per submitted job', () => {
    const summary = csvParse(readFileSync(join(dir, 'summary.csv'), 'utf8'))[0]!;
    const jobs = csvParse(readFileSync(join(dir, 'jobs.csv'), 'utf8'));
    expect(jobs).toHaveLength(Number(summary.jobs_submitted));
    expect(new Set(jobs.map((j) => j.job_id)).size).toBe(jobs.length);
  });

  it('the self-hosted baseline reports its idle rent: requester cost = compute cost + idle cost', () => {
    const d = mkdtempSync(join(tmpdir(), 'pmsim-idle-'));
    const r2 = pmsim(['run', 'scenarios/default.yaml', '--out', d, '--mechanism', 'self-hosted', '--mechanism', 'random', '--quiet']);
    expect(r2.status, r2.stderr).toBe(0);
    const rows = csvParse(readFileSync(join(d, 'summary.csv'), 'utf8'));
    const sh = rows.find((x) => x.mechanism === 'self-hosted')!;
    const rnd = rows.find((x) => x.mechanism === 'random')!;
    expect(Number(sh.idle_cost_usd)).toBeGreaterThan(0);
    expect(Number(sh.compute_cost_usd) + Number(sh.idle_cost_usd)).toBeCloseTo(Number(sh.requester_cost_usd), 4);
    expect(Number(rnd.idle_cost_usd)).toBe(0);
  });

  it('run.json records the resolved scenario, the version, the seeds and the timing', () => {
    const j = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(j.pmsim_version).toMatch(/^\d+\.\d+\.\d+/);
    expect(j.seeds).toEqual([42]);
    expect(j.scenario.window).toBe(21600);
    expect(j.scenario.operators[0].strategy).toBe('equilibrium');
    expect(j.scenario.operators[0].cost_basis).toBe('full');
    expect(j.timing[0].events_per_s).toBeGreaterThan(0);
  });
});
