/**
 * `pmsim sweep` / `pmsim merge` as separate processes (the compiled CLI in dist/: npm test builds it).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, pmsim } from './cli.js';

const FIX = 'test/fixtures/sweep';
const tmp = mkdtempSync(join(tmpdir(), 'pmsim-sweep-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/sweep/worker.js')) || !existsSync(BIN)) {
    spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: ROOT,
      stdio: 'ignore',
    });
  }
});

const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

/** Runs the CLI asynchronously (for shards in parallel). */
function pmsimAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

describe('pmsim sweep: results do not depend on workers or shards', () => {
  it('runs.csv and aggregate.csv are byte-identical for --workers 1, --workers 2 and 4 merged shards', async () => {
    const w1 = join(tmp, 'w1');
    const w2 = join(tmp, 'w2');
    const r1 = pmsim(['sweep', `${FIX}/small.yaml`, '--out', w1, '--workers', '1']);
    expect(r1.status, r1.stderr).toBe(0);
    expect(r1.stdout).toContain('12 runs: 12 done, 0 failed');
    // Without a TTY, progress is plain lines on stderr.
    expect(r1.stderr).toMatch(/^sweep: 12\/12 runs \(100\.0%\), 0 failed, .* elapsed, ETA/m);
    const r2 = pmsim(['sweep', `${FIX}/small.yaml`, '--out', w2, '--workers', '2', '--quiet']);
    expect(r2.status, r2.stderr).toBe(0);

    // Four shards as separate processes: two by --shard i/N, two by scheduler variables.
    const shards = await Promise.all([
      pmsimAsync(['sweep', `${FIX}/small.yaml`, '--out', join(tmp, 'sh/{shard}'), '--workers', '1', '--shard', '0/4', '--quiet']),
      pmsimAsync(['sweep', `${FIX}/small.yaml`, '--out', join(tmp, 'sh/{shard}'), '--workers', '1', '--shard', '1/4', '--quiet']),
      pmsimAsync(['sweep', `${FIX}/small.yaml`, '--out', join(tmp, 'sh/{shard}'), '--workers', '1', '--shards', '4', '--quiet'], {
        JOB_COMPLETION_INDEX: '2',
      }),
      pmsimAsync(['sweep', `${FIX}/small.yaml`, '--out', join(tmp, 'sh/{shard}'), '--workers', '1', '--quiet'], {
        PMSIM_SHARDS: '4',
        SLURM_ARRAY_TASK_ID: '3',
      }),
    ]);
    for (const s of shards) expect(s.status, s.stderr).toBe(0);
    const merged = join(tmp, 'merged');
    const m = pmsim(['merge', ...[3, 1, 0, 2].map((i) => join(tmp, `sh/${i}`)), '--out', merged]);
    expect(m.status, m.stderr).toBe(0);
    expect(m.stdout).toContain('12 of 12 runs done, 0 failed, 0 missing');

    for (const f of ['runs.csv', 'aggregate.csv']) {
      expect(read(w2, f)).toBe(read(w1, f));
      expect(read(merged, f)).toBe(read(w1, f));
    }
    // The content is what the contract says: run_index, grid columns, summary columns; 12 runs x 2 mechanisms.
    const runs = read(w1, 'runs.csv').trim().split('\n');
    expect(runs[0]!.startsWith('run_index,requesters[0].redundancy,operators[gpu].failure_prob,scenario,mechanism,')).toBe(true);
    expect(runs).toHaveLength(1 + 24);
    expect(runs.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(Array.from({ length: 24 }, (_, i) => Math.floor(i / 2)));
    const agg = read(w1, 'aggregate.csv').trim().split('\n');
    expect(
      agg[0]!.startsWith(
        'requesters[0].redundancy,operators[gpu].failure_prob,mechanism,n,jobs_submitted_mean,jobs_submitted_sd,jobs_submitted_ci95_lo,jobs_submitted_ci95_hi,',
      ),
    ).toBe(true);
    expect(agg).toHaveLength(1 + 4 * 2);
    expect(agg[1]!.split(',').slice(0, 4)).toEqual(['1', '0.01', 'random', '3']);
    const man = JSON.parse(read(merged, 'manifest.json')) as { sweep_hash: string; counts: { done: number }; runs: { status: string }[] };
    const man1 = JSON.parse(read(w1, 'manifest.json')) as { sweep_hash: string };
    expect(man.sweep_hash).toBe(man1.sweep_hash);
    expect(man.counts.done).toBe(12);
    expect(man.runs.every((r) => r.status === 'done')).toBe(true);
  });

  it('merge reports missing runs and refuses overlapping shards or different sweeps', () => {
    const part = pmsim(['merge', join(tmp, 'sh/0'), join(tmp, 'sh/2'), '--out', join(tmp, 'partial')]);
    expect(part.status).toBe(1);
    expect(part.stderr).toContain('missing 6 of 12 runs: 3-5, 9-11');
    const m = JSON.parse(read(join(tmp, 'partial'), 'manifest.json')) as { complete: boolean; runs: { run: number; status: string }[] };
    expect(m.complete).toBe(false);
    expect(m.runs.filter((r) => r.status === 'missing').map((r) => r.run)).toEqual([3, 4, 5, 9, 10, 11]);
    const over = pmsim(['merge', join(tmp, 'sh/0'), join(tmp, 'w1'), '--out', join(tmp, 'over')]);
    expect(over.status).toBe(2);
    expect(over.stderr).toMatch(/overlap/);
    const other = pmsim(['sweep', `${FIX}/failing.yaml`, '--out', join(tmp, 'other'), '--quiet']);
    expect(other.status).toBe(1);
    const diff = pmsim(['merge', join(tmp, 'sh/0'), join(tmp, 'other'), '--out', join(tmp, 'diff')]);
    expect(diff.status).toBe(2);
    expect(diff.stderr).toMatch(/different sweep/);
  });
});

describe('pmsim sweep: interruption, failures and bad input', () => {
  it('SIGKILL partway, then the same command: the results equal an uninterrupted run', async () => {
    const sweep = `${FIX}/resume.yaml`;
    const full = join(tmp, 'resume-full');
    const ref = pmsim(['sweep', sweep, '--out', full, '--workers', '2', '--quiet']);
    expect(ref.status, ref.stderr).toBe(0);
    const total = 24;

    const out = join(tmp, 'resume-killed');
    const journal = join(out, 'journal.jsonl');
    const child = spawn(process.execPath, [BIN, 'sweep', sweep, '--out', out, '--workers', '1', '--quiet'], { cwd: ROOT, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    // Wait until at least one run (but not all) is in the journal, then kill -9.
    let records = 0;
    for (let t = 0; t < 2000; t++) {
      await new Promise((r) => setTimeout(r, 10));
      if (!existsSync(journal)) continue;
      records = readFileSync(journal, 'utf8').split('\n').length - 2;
      if (records >= 1) break;
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    records = readFileSync(journal, 'utf8').split('\n').length - 2;
    expect(records).toBeGreaterThanOrEqual(1);
    expect(records).toBeLessThan(total);
    expect(existsSync(join(out, 'runs.csv'))).toBe(false);

    const again = pmsim(['sweep', sweep, '--out', out, '--workers', '2']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`${total} runs: ${total} done, 0 failed \\(\\d+ resumed\\)`));
    for (const f of ['runs.csv', 'aggregate.csv']) expect(read(out, f)).toBe(read(full, f));
    // No duplicate rows: every run index appears once per mechanism.
    const idx = read(out, 'runs.csv')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => Number(l.split(',')[0]));
    expect(idx).toEqual(Array.from({ length: 2 * total }, (_, i) => Math.floor(i / 2)));
  });

  it('a run that throws is recorded in manifest.json, the others finish, exit status 1', () => {
    const out = join(tmp, 'failing');
    const r = pmsim(['sweep', `${FIX}/failing.yaml`, '--out', out, '--workers', '2']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('6 runs: 4 done, 2 failed');
    expect(r.stderr).toMatch(/run 2 failed: no mechanism of the scenario matches random/);
    const m = JSON.parse(read(out, 'manifest.json')) as {
      counts: { done: number; failed: number };
      runs: { run: number; status: string; error?: string }[];
    };
    expect(m.counts).toMatchObject({ done: 4, failed: 2 });
    expect(m.runs.map((x) => x.status)).toEqual(['done', 'done', 'failed', 'failed', 'done', 'done']);
  });

  it('a bad sweep file exits 2 naming the file and the path, without a stack', () => {
    const r = pmsim(['sweep', `${FIX}/bad-override.yaml`, '--out', join(tmp, 'bad')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${FIX}/bad-override.yaml: grid.requesters[0].redundancy: requesters[0].redundancy: expected 1, 2 or 3`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const s = pmsim(['sweep', `${FIX}/bad-schema.yaml`]);
    expect(s.status).toBe(2);
    expect(s.stderr).toContain(`${FIX}/bad-schema.yaml: replicates: expected a whole number of replicates ≥ 1`);
    const p = pmsim(['sweep', `${FIX}/bad-path.yaml`]);
    expect(p.status).toBe(2);
    expect(p.stderr).toContain(
      `${FIX}/bad-path.yaml: grid.operators[nobody].margin: cannot apply 0.1 (grid point 0): operators has no entry named "nobody" (names: gpu, big)`,
    );
    const sh = pmsim(['sweep', `${FIX}/small.yaml`, '--shard', '4/4']);
    expect(sh.status).toBe(2);
    expect(sh.stderr).toContain('the shard index must be 0 to 3');
    expect(existsSync(join(tmp, 'bad'))).toBe(false);
  });
});
