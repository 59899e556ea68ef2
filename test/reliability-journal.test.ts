import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootId, processStart } from '../src/output/lock.js';
import { JOURNAL_FILE, LOCK_FILE, scanJournal } from '../src/sweep/journal.js';
import { runSweep } from '../src/sweep/run.js';
import { pmsim } from './cli.js';

const FIX = new URL('./fixtures/sweep/', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'pmsim-journal-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let lines: string[] = [];
let reference: Record<string, string> = {};
beforeAll(async () => {
  const full = join(tmp, 'full');
  await runSweep(`${FIX}small.yaml`, { out: full, workers: 0 });
  lines = readFileSync(join(full, JOURNAL_FILE), 'utf8').trimEnd().split('\n');
  reference = Object.fromEntries(['runs.csv', 'aggregate.csv'].map((f) => [f, readFileSync(join(full, f), 'utf8')]));
});

/** A sweep directory whose journal is the header and the given lines. */
function damaged(name: string, body: string[]): string {
  const d = join(tmp, name);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, JOURNAL_FILE), `${body.join('\n')}\n`);
  return d;
}

async function resumeMatchesReference(d: string): Promise<{ resumed: number; executed: number }> {
  const r = await runSweep(`${FIX}small.yaml`, { out: d, workers: 0 });
  for (const [f, text] of Object.entries(reference)) expect(readFileSync(join(d, f), 'utf8')).toBe(text);
  return { resumed: r.resumed, executed: r.executed };
}

describe('damaged sweep journals: recover what can be, say what was dropped, refuse what cannot', () => {
  it('a record with broken JSON inside is dropped and re-run (it was an internal error on every rerun)', async () => {
    const broken = lines[3]!.replace(/"status":"done",/, '"status":"done",,BROKEN');
    expect(broken).toMatch(/^\{"run":\d+,"status":"done"/);
    const d = damaged('broken-json', [lines[0]!, lines[1]!, lines[2]!, broken, ...lines.slice(4)]);
    const j = scanJournal(join(d, JOURNAL_FILE))!;
    expect([j.droppedCount, j.droppedLines]).toEqual([1, [4]]);
    expect(await resumeMatchesReference(d)).toEqual({ resumed: 11, executed: 1 });
  });

  it('garbage in the middle drops only itself: the later records are kept', async () => {
    const d = damaged('garbage', [
      lines[0]!,
      lines[1]!,
      '\u0000\u0000garbage}',
      lines[2]!,
      '{"run":999,"status":"done"}',
      ...lines.slice(3, 8),
    ]);
    const j = scanJournal(join(d, JOURNAL_FILE))!;
    expect(j.index.counts().done).toBe(7);
    expect(j.droppedCount).toBe(2);
    expect(await resumeMatchesReference(d)).toEqual({ resumed: 7, executed: 5 });
  });

  it('the CLI names the dropped lines on stderr and exits 0', () => {
    const d = damaged('garbage-cli', [lines[0]!, 'not json', ...lines.slice(1)]);
    const r = pmsim(['sweep', `${FIX}small.yaml`, '--out', d, '--workers', '0', '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: ${join(d, JOURNAL_FILE)}: dropped 1 damaged line (line 2); their runs are run again`);
  });

  it('a destroyed header is refused with a way out, instead of silently restarting the sweep', async () => {
    const d = damaged('header', ['{"pmsim_sweep_jou', ...lines.slice(1)]);
    await expect(runSweep(`${FIX}small.yaml`, { out: d, workers: 0 })).rejects.toThrow(
      /line 1 is not a pmsim sweep journal header.*mv .*journal\.jsonl.*\.damaged/,
    );
    expect(readFileSync(join(d, JOURNAL_FILE), 'utf8').split('\n').length).toBe(lines.length + 1); // untouched
    const r = pmsim(['sweep', `${FIX}small.yaml`, '--out', d, '--workers', '0']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: .*not a pmsim sweep journal header/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('sweep lock and pid reuse', () => {
  it('resumes after kill -9 in a fresh PID namespace (same pid, same host and boot, another start time)', async () => {
    const d = damaged('pid-reuse', lines.slice(0, 6));
    // The lock a container's process left: it had our pid (pids restart at 1 in a new namespace).
    writeFileSync(join(d, LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname(), boot_id: bootId(), start: '1' }));
    expect(await resumeMatchesReference(d)).toEqual({ resumed: 5, executed: 7 });
    // An old-format lock (pid and host only) naming our pid is a reused pid too.
    writeFileSync(join(d, LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname() }));
    expect(await resumeMatchesReference(d)).toEqual({ resumed: 12, executed: 0 });
  });

  it('a live holder with the recorded start time is refused; the same pid with another start time is not', async () => {
    const holder = spawn('sleep', ['30']);
    await new Promise((r) => setTimeout(r, 100));
    try {
      const d = damaged('live', lines.slice(0, 3));
      const lock = { pid: holder.pid, host: hostname(), boot_id: bootId(), start: processStart(holder.pid!) };
      writeFileSync(join(d, LOCK_FILE), JSON.stringify(lock));
      await expect(runSweep(`${FIX}small.yaml`, { out: d, workers: 0 })).rejects.toThrow(/in use by another pmsim sweep \(pid \d+/);
      if (lock.start !== undefined) {
        writeFileSync(join(d, LOCK_FILE), JSON.stringify({ ...lock, start: String(Number(lock.start) + 1) }));
        expect((await resumeMatchesReference(d)).resumed).toBe(2);
      }
      // Another boot of this host: the holder is dead whatever its pid.
      writeFileSync(join(d, LOCK_FILE), JSON.stringify({ ...lock, boot_id: 'another-boot' }));
      await runSweep(`${FIX}small.yaml`, { out: d, workers: 0 });
    } finally {
      holder.kill();
    }
  });
});

describe('sweep plans', () => {
  it('refuse a grid point beyond the work limits before any run starts', async () => {
    const { parseSweep, validatePlan } = await import('../src/sweep/plan.js');
    const plan = parseSweep(
      { scenario: `${FIX}base.yaml`, grid: { duration: ['6h', '52w'], 'requesters[0].arrival': ['10m', '1ms'] } },
      'big.yaml',
    );
    expect(() => validatePlan(plan)).toThrow(/grid: grid point 1: the scenario asks for too much work: .*--max-events N or --force/);
  });
});
