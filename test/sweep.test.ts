import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario } from '../src/comparison/run-scenario.js';
import { JOURNAL_FILE, scanJournal } from '../src/sweep/journal.js';
import { parsePath, setPath } from '../src/sweep/paths.js';
import { buildScenario, loadSweepFile, parseSweep, runSpec, SweepError } from '../src/sweep/plan.js';
import { runSweep } from '../src/sweep/run.js';
import { deriveSeed } from '../src/sweep/seed.js';
import { resolveShard, shardRange, ShardError } from '../src/sweep/shard.js';
import { summarize, tQuantile } from '../src/sweep/stats.js';
import { mergeShards } from '../src/sweep/merge.js';

const FIX = new URL('./fixtures/sweep/', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'pmsim-sweep-unit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('dot paths', () => {
  it('parses keys, indices and name selectors', () => {
    expect(parsePath('requesters[0].arrival.mean')).toEqual([{ key: 'requesters' }, { index: 0 }, { key: 'arrival' }, { key: 'mean' }]);
    expect(parsePath('operators.1.entities')).toEqual([{ key: 'operators' }, { index: 1 }, { key: 'entities' }]);
    expect(parsePath('operators[home-prover].failure_prob')).toEqual([
      { key: 'operators' },
      { name: 'home-prover' },
      { key: 'failure_prob' },
    ]);
    expect(() => parsePath('a..b')).toThrow(/unexpected "\."/);
    expect(() => parsePath('a[0')).toThrow(/unclosed/);
  });

  it('sets values, creating missing mappings, and says where a path stops matching', () => {
    const o: Record<string, unknown> = { operators: [{ name: 'a', margin: 0.1 }, { name: 'b' }], mechanisms: ['random'] };
    setPath(o, 'operators[b].margin', 0.5);
    setPath(o, 'operators.0.params.x', 2);
    setPath(o, 'duration', '2d');
    expect(o).toEqual({
      operators: [
        { name: 'a', margin: 0.1, params: { x: 2 } },
        { name: 'b', margin: 0.5 },
      ],
      mechanisms: ['random'],
      duration: '2d',
    });
    expect(() => setPath(o, 'operators[c].margin', 1)).toThrow('operators has no entry named "c" (names: a, b)');
    expect(() => setPath(o, 'operators[5].margin', 1)).toThrow('operators has 2 entries, so there is no entry [5]');
    expect(() => setPath(o, 'mechanisms[0].params.x', 1)).toThrow(/mechanisms\[0\] is a string/);
  });
});

describe('seeds and run order', () => {
  it('derives seeds from (master seed, run index) only, as documented', () => {
    // sha256("pmsim-sweep-seed/11/0")[:6] big-endian (reproducible in Python, docs/sweeps.md).
    expect(deriveSeed(11, 0)).toBe(222132354024463);
    expect(deriveSeed(11, 0)).toBe(deriveSeed(11, 0));
    expect(deriveSeed(11, 1)).not.toBe(deriveSeed(11, 0));
    expect(deriveSeed(12, 0)).not.toBe(deriveSeed(11, 0));
    const seeds = new Set(Array.from({ length: 2000 }, (_, i) => deriveSeed(1, i)));
    expect(seeds.size).toBe(2000);
    for (const s of seeds) expect(Number.isSafeInteger(s) && s >= 0 && s < 2 ** 48).toBe(true);
  });

  it('orders runs by grid point (first key slowest, zip groups last) then replicate', () => {
    const plan = parseSweep(
      {
        scenario: `${FIX}base.yaml`,
        seed: 4,
        replicates: 2,
        grid: { 'requesters[0].redundancy': [1, 2], duration: ['3h', '6h', '9h'] },
        zip: { 'operators[gpu].margin': [0.1, 0.2], 'operators[gpu].failure_prob': [0.01, 0.02] },
      },
      `${FIX}inline.yaml`,
    );
    expect(plan.points).toBe(12);
    expect(plan.runsTotal).toBe(24);
    expect(plan.params).toEqual(['requesters[0].redundancy', 'duration', 'operators[gpu].margin', 'operators[gpu].failure_prob']);
    expect(runSpec(plan, 0)).toEqual({
      index: 0,
      point: 0,
      replicate: 0,
      seed: deriveSeed(4, 0),
      overrides: [
        ['requesters[0].redundancy', 1],
        ['duration', '3h'],
        ['operators[gpu].margin', 0.1],
        ['operators[gpu].failure_prob', 0.01],
      ],
    });
    const r = runSpec(plan, 3);
    expect([r.point, r.replicate]).toEqual([1, 1]);
    expect(r.overrides.map(([, v]) => v)).toEqual([1, '3h', 0.2, 0.02]);
    expect(runSpec(plan, 23).overrides.map(([, v]) => v)).toEqual([2, '9h', 0.2, 0.02]);
    expect(runSpec(plan, 12).overrides.map(([, v]) => v)).toEqual([2, '3h', 0.1, 0.01]);
  });

  it('the sweep hash ignores file names but not values', () => {
    const a = parseSweep({ scenario: `${FIX}base.yaml`, grid: { duration: ['3h'] } }, '/x/a.yaml');
    const b = parseSweep({ scenario: `${FIX}base.yaml`, grid: { duration: ['3h'] }, name: 'other' }, '/y/b.yaml');
    const c = parseSweep({ scenario: `${FIX}base.yaml`, grid: { duration: ['4h'] } }, '/x/a.yaml');
    expect(a.hash).toBe(b.hash);
    expect(a.hash).not.toBe(c.hash);
    expect(a.masterSeed).toBe(3); // the base scenario's seed when the sweep gives none
  });

  it('a run reproduces with `pmsim run` semantics: base + overrides, the derived seed, engine run 0', async () => {
    const plan = loadSweepFile(`${FIX}small.yaml`);
    const out = join(tmp, 'repro');
    await runSweep(plan, { out, workers: 0 });
    const spec = runSpec(plan, 7);
    const s = buildScenario(plan.definition.scenario, spec.overrides, plan.scenarioPath, plan.file);
    const direct = runScenario(s, { seed: spec.seed });
    const line = readFileSync(join(out, 'runs.csv'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('7,'));
    expect(line).toHaveLength(2);
    expect(line[0]).toContain(`,${spec.seed},${direct.summary[0]!.jobs_submitted},${direct.summary[0]!.jobs_delivered},`);
  });
});

describe('sweep file errors name the file and the path', () => {
  const bad = (obj: unknown) => {
    try {
      parseSweep(obj, 'bad.yaml');
    } catch (e) {
      expect(e).toBeInstanceOf(SweepError);
      return (e as SweepError).format();
    }
    throw new Error('expected an error');
  };
  it('schema errors', () => {
    expect(bad({ scenario: `${FIX}base.yaml`, replicates: 0 })).toBe('bad.yaml: replicates: expected a whole number of replicates ≥ 1');
    expect(bad({ scenario: `${FIX}base.yaml`, grid: { duration: [] } })).toBe('bad.yaml: grid.duration: expected at least one value');
    expect(bad({ scenario: `${FIX}base.yaml`, grid: { duration: '3h' } })).toBe('bad.yaml: grid.duration: expected a list of values');
    expect(bad({ scenario: `${FIX}base.yaml`, gird: {} })).toMatch(/^bad\.yaml: unrecognized key|^bad\.yaml: .*gird/);
    expect(bad({ scenario: `${FIX}base.yaml`, zip: [{ a: [1, 2], b: [1] }] })).toBe(
      'bad.yaml: zip[0]: lists of a zip group must be equally long (a: 2, b: 1)',
    );
    expect(bad({ scenario: `${FIX}base.yaml`, grid: { seed: [1, 2] } })).toMatch(/^bad\.yaml: grid\.seed: each run's seed is derived/);
    expect(bad({ scenario: `${FIX}missing.yaml` })).toMatch(/missing\.yaml: file not found/);
  });
  it('an override that makes the scenario invalid is caught before any run', async () => {
    const plan = parseSweep({ scenario: `${FIX}base.yaml`, grid: { 'requesters[0].redundancy': [1, 4] } }, 'bad.yaml');
    await expect(runSweep(plan, { out: join(tmp, 'never'), workers: 0 })).rejects.toThrow(
      /bad\.yaml: grid\.requesters\[0\]\.redundancy: requesters\[0\]\.redundancy: expected 1, 2 or 3 \(grid point 1\)/,
    );
  });
});

describe('statistics', () => {
  it('t quantiles match tables', () => {
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.7062, 4);
    expect(tQuantile(0.975, 2)).toBeCloseTo(4.3027, 4);
    expect(tQuantile(0.975, 9)).toBeCloseTo(2.2622, 4);
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.0423, 4);
    expect(tQuantile(0.975, 1000)).toBeCloseTo(1.9623, 4);
  });
  it('summaries: mean, sample sd, t CI; undefined parts are NaN', () => {
    const s = summarize([1, 2, 3, 4]);
    expect(s.mean).toBe(2.5);
    expect(s.sd).toBeCloseTo(1.290994, 6);
    expect(s.hi - s.mean).toBeCloseTo((3.182446 * 1.290994) / 2, 5);
    expect(summarize([5])).toMatchObject({ n: 1, mean: 5 });
    expect(Number.isNaN(summarize([5]).sd)).toBe(true);
    expect(Number.isNaN(summarize([]).mean)).toBe(true);
  });
});

describe('shards', () => {
  it('blocks cover every run exactly once', () => {
    for (const [n, k] of [
      [12, 4],
      [10, 3],
      [3, 5],
      [1, 1],
    ] as const) {
      const seen: number[] = [];
      for (let i = 0; i < k; i++) {
        const r = shardRange(n, { index: i, count: k });
        for (let j = r.first; j < r.end; j++) seen.push(j);
      }
      expect(seen).toEqual(Array.from({ length: n }, (_, j) => j));
    }
  });
  it('takes the index from scheduler variables when the count is known', () => {
    expect(resolveShard({}, {})).toBeNull();
    expect(resolveShard({}, { JOB_COMPLETION_INDEX: '2' })).toBeNull();
    expect(resolveShard({ shard: '1/4' }, {})).toEqual({ index: 1, count: 4 });
    expect(resolveShard({ shards: 4 }, { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 3, count: 4 });
    expect(resolveShard({}, { PMSIM_SHARDS: '8', SLURM_ARRAY_TASK_ID: '5' })).toEqual({ index: 5, count: 8 });
    expect(resolveShard({}, { PMSIM_SHARDS: '2', AWS_BATCH_JOB_ARRAY_INDEX: '1' })).toEqual({ index: 1, count: 2 });
    expect(() => resolveShard({ shards: 4 }, {})).toThrow(ShardError);
    expect(() => resolveShard({ shards: 4 }, { SLURM_ARRAY_TASK_ID: '4' })).toThrow(/0 to 3/);
    expect(() => resolveShard({ shard: '4/4' }, {})).toThrow(/0 to 3/);
    expect(() => resolveShard({ shard: 'x' }, {})).toThrow(/i\/N/);
  });
});

describe('journal, failures and resume (in-process, workers: 0)', () => {
  it('a failing run is recorded and the sweep goes on', async () => {
    const out = join(tmp, 'failing');
    const r = await runSweep(`${FIX}failing.yaml`, { out, workers: 0 });
    expect(r.exitCode).toBe(1);
    expect([r.done, r.failed, r.total]).toEqual([4, 2, 6]);
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      counts: { failed: number };
      runs: { run: number; status: string; error?: string }[];
    };
    expect(m.counts.failed).toBe(2);
    expect(m.runs.filter((x) => x.status === 'failed').map((x) => x.run)).toEqual([2, 3]);
    expect(m.runs[2]!.error).toMatch(/no mechanism of the scenario matches random/);
    const runIdx = readFileSync(join(out, 'runs.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => Number(l.split(',')[0]));
    expect([...new Set(runIdx)]).toEqual([0, 1, 4, 5]);
  });

  it('ignores a torn last line, resumes, and refuses another sweep in the same directory', async () => {
    const full = join(tmp, 'full');
    const part = join(tmp, 'part');
    await runSweep(`${FIX}small.yaml`, { out: full, workers: 0 });
    // Simulate a process killed after 5 runs, in the middle of writing the 6th record.
    const lines = readFileSync(join(full, JOURNAL_FILE), 'utf8').split('\n');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(part, { recursive: true });
    writeFileSync(join(part, JOURNAL_FILE), `${lines.slice(0, 6).join('\n')}\n`);
    appendFileSync(join(part, JOURNAL_FILE), lines[6]!.slice(0, 40));
    const scanned = scanJournal(join(part, JOURNAL_FILE))!;
    expect(scanned.index.counts()).toEqual({ done: 5, failed: 0, missing: 7 });
    expect(scanned.tornBytes).toBe(40);
    const r = await runSweep(`${FIX}small.yaml`, { out: part, workers: 0 });
    expect([r.resumed, r.executed, r.done]).toEqual([5, 7, 12]);
    for (const f of ['runs.csv', 'aggregate.csv']) expect(readFileSync(join(part, f), 'utf8')).toBe(readFileSync(join(full, f), 'utf8'));
    const records = readFileSync(join(part, JOURNAL_FILE), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => (JSON.parse(l) as { run: number }).run);
    expect(records.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    // A finished sweep run again does nothing but re-render the same files.
    const again = await runSweep(`${FIX}small.yaml`, { out: part, workers: 0 });
    expect([again.resumed, again.executed]).toEqual([12, 0]);
    await expect(runSweep(`${FIX}failing.yaml`, { out: part, workers: 0 })).rejects.toThrow(/holds results of a different sweep/);
  });

  it('stops on abort, keeping finished runs, and merges shards in-process', async () => {
    const out = join(tmp, 'abort');
    const ac = new AbortController();
    const r = await runSweep(`${FIX}small.yaml`, {
      out,
      workers: 0,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.done >= 3) ac.abort();
      },
    });
    expect(r.interrupted).toBe(true);
    expect(r.exitCode).toBe(130);
    expect(r.done).toBeGreaterThanOrEqual(3);
    expect(r.done).toBeLessThan(12);
    const a = join(tmp, 'shard-a');
    const b = join(tmp, 'shard-b');
    await runSweep(`${FIX}small.yaml`, { out: a, workers: 0, shard: '0/2' });
    const m1 = mergeShards([a], { out: join(tmp, 'm1') });
    expect([m1.done, m1.missing, m1.missingRanges, m1.exitCode]).toEqual([6, 6, ['6-11'], 1]);
    await runSweep(`${FIX}small.yaml`, { out: b, workers: 0, shard: { index: 1, count: 2 } });
    const m2 = mergeShards([b, a], { out: join(tmp, 'm2') });
    expect([m2.done, m2.missing, m2.exitCode]).toEqual([12, 0, 0]);
    const whole = join(tmp, 'whole');
    await runSweep(`${FIX}small.yaml`, { out: whole, workers: 0 });
    for (const f of ['runs.csv', 'aggregate.csv'])
      expect(readFileSync(join(tmp, 'm2', f), 'utf8')).toBe(readFileSync(join(whole, f), 'utf8'));
    expect(() => mergeShards([a, a], { out: join(tmp, 'm3') })).toThrow(/overlap/);
    expect(() => mergeShards([a, join(tmp, 'failing')], { out: join(tmp, 'm4') })).toThrow(/different sweep/);
  });
});

describe('directory lock', () => {
  it('refuses a live holder, takes over a dead one on this host or a stale one elsewhere', async () => {
    const { acquireLock, LOCK_FILE, LOCK_STALE_MS } = await import('../src/sweep/journal.js');
    const { hostname } = await import('node:os');
    const { mkdirSync, utimesSync, existsSync } = await import('node:fs');
    const dir = join(tmp, 'lock');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, LOCK_FILE);
    const l = acquireLock(dir);
    expect(() => acquireLock(dir)).toThrow(/in use by another pmsim sweep \(pid \d+ on /);
    l.release();
    expect(existsSync(path)).toBe(false);
    // A process on this host that no longer exists (kill -9).
    writeFileSync(path, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname() }));
    acquireLock(dir).release();
    // Another machine: alive while refreshed, stale after LOCK_STALE_MS.
    writeFileSync(path, JSON.stringify({ pid: 1, host: 'elsewhere' }));
    expect(() => acquireLock(dir)).toThrow(/elsewhere.*until the lock goes stale/);
    const old = (Date.now() - LOCK_STALE_MS - 1000) / 1000;
    utimesSync(path, old, old);
    acquireLock(dir).release();
  });
});
