import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, pmsim } from './cli.js';
import { baseScenario } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'pmsim-kill-'));
const FILES = ['jobs.csv', 'latency.csv', 'run.json', 'shares.csv', 'summary.csv', 'summary.json', 'timeseries.csv'];

/** A small LCG: the kill moments are random but reproducible. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/**
 * The reader's check: `out` is absent, or holds exactly the files of one run, all of one seed
 * (run.json's seed, every summary row's and every jobs.csv row's).
 */
function checkWholeOrNone(out: string): number | undefined {
  if (!existsSync(out)) return undefined;
  expect(readdirSync(out).sort()).toEqual(FILES);
  const seed = (JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { seeds: number[] }).seeds[0]!;
  const summary = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
  const col = summary[0]!.split(',').indexOf('seed');
  for (const row of summary.slice(1)) expect(Number(row.split(',')[col])).toBe(seed);
  const jobs = readFileSync(join(out, 'jobs.csv'), 'utf8').trim().split('\n');
  expect(jobs.length).toBeGreaterThan(1);
  for (const row of [jobs[1]!, jobs[jobs.length - 1]!]) expect(Number(row.split(',')[1])).toBe(seed);
  return seed;
}

function runAndKill(args: string[], afterMs: number): Promise<void> {
  return new Promise((done) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: 'ignore' });
    const t = setTimeout(() => p.kill('SIGKILL'), afterMs);
    p.on('exit', () => {
      clearTimeout(t);
      done();
    });
  });
}

describe('kill -9 of `pmsim run` at random moments, the write phase included', () => {
  it('leaves the output directory with one whole run or none, never a mix; the next run cleans up', async () => {
    const scenario = join(dir, 's.yaml');
    writeFileSync(scenario, stringify(baseScenario({ duration: '2d', mechanisms: ['random', 'order-book', 'race'] })));
    const out = join(dir, 'out');
    const t0 = Date.now();
    expect(pmsim(['run', scenario, '--out', out, '--jobs', '--seed', '1000', '--quiet']).status).toBe(0);
    const full = Date.now() - t0;
    expect(checkWholeOrNone(out)).toBe(1000);
    const rand = lcg(18);
    const seen = new Set<string>();
    for (let k = 0; k < 16; k++) {
      // Moments from the start-up to past the end, weighted towards the end, where the files are written.
      const at = Math.round(full * (k % 3 === 0 ? rand() : 0.6 + 0.5 * rand()));
      await runAndKill(['run', scenario, '--out', out, '--jobs', '--seed', String(k + 1), '--quiet'], at);
      const seed = checkWholeOrNone(out);
      seen.add(seed === undefined ? 'none' : seed === k + 1 ? 'new' : 'old');
    }
    // Some kills come too late to matter: at least the old and the new whole set were both seen.
    expect(seen.has('old') || seen.has('none')).toBe(true);
    expect(pmsim(['run', scenario, '--out', out, '--jobs', '--seed', '77', '--quiet']).status).toBe(0);
    expect(checkWholeOrNone(out)).toBe(77);
    expect(readdirSync(dir).sort()).toEqual(['out', 's.yaml']);
  });
});

describe('two runs into one --out at once', () => {
  it('one writes, the other is refused with exit 2 (both exited 0 before)', async () => {
    const scenario = join(dir, 'long.yaml');
    writeFileSync(scenario, stringify(baseScenario({ duration: '14d', mechanisms: ['random', 'order-book', 'race', 'sealed-bid'] })));
    const out = join(dir, 'shared');
    const start = () =>
      new Promise<{ code: number | null; stderr: string }>((done) => {
        const p = spawn(process.execPath, [BIN, 'run', scenario, '--out', out, '--quiet'], {
          cwd: ROOT,
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        p.stderr.on('data', (d) => (stderr += d));
        p.on('close', (code) => done({ code, stderr }));
      });
    const [a, b] = await Promise.all([start(), start()]);
    expect([a.code, b.code].sort()).toEqual([0, 2]);
    expect((a.code === 2 ? a : b).stderr).toMatch(/^error: --out .* is in use by another pmsim run \(pid \d+/);
    expect(readdirSync(out).sort()).toEqual(FILES.filter((f) => f !== 'jobs.csv'));
  });
});
