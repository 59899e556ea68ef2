/**
 * Helpers for the tests that talk to a real Slurm (test/slurm-sweep.test.ts): is a cluster up, run
 * the CLI, ask squeue/scontrol, wait without timing assertions.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT } from './cli.js';

/** PMSIM_REQUIRE_SLURM=1 (CI) makes a missing Slurm a failure instead of a skip. */
export const REQUIRE_SLURM = process.env.PMSIM_REQUIRE_SLURM === '1';

/** Whether `sinfo` answers and shows a node that can take jobs; the reason when not. */
export function slurmAvailable(): { ok: true } | { ok: false; why: string } {
  const r = spawnSync('sinfo', ['-h', '-N', '-o', '%T'], { encoding: 'utf8', timeout: 30_000 });
  if (r.error)
    return { ok: false, why: `sinfo: ${(r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not installed' : r.error.message}` };
  if (r.status !== 0) return { ok: false, why: `sinfo failed: ${(r.stderr || r.stdout).trim().split('\n').pop()}` };
  const states = r.stdout.trim().split('\n').filter(Boolean);
  if (!states.some((s) => /^(idle|mixed|allocated|completing)/.test(s)))
    return { ok: false, why: `no node takes jobs (sinfo: ${states.join(', ') || 'no nodes'})` };
  return { ok: true };
}

/** Runs a command to its end (no shell). */
export function sh(cmd: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Runs the compiled CLI asynchronously (a Slurm wait can take minutes on a loaded machine). */
export function pmsimAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every `everyMs` until it returns a value; throws `what` after `timeoutMs` (a generous bound, not a timing check). */
export async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 600_000, everyMs = 50): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** The run indices of a journal's records, in file order (repeats show a run recorded twice). */
export function journalRuns(dir: string): number[] {
  const path = join(dir, 'journal.jsonl');
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n').slice(1);
  // Only whole lines: the last one may be a torn write of a killed task.
  const runs: number[] = [];
  for (const l of lines) {
    try {
      runs.push((JSON.parse(l) as { run: number }).run);
    } catch {
      /* not a whole line yet */
    }
  }
  return runs;
}

/** The pid of the process holding a sweep directory's lock (this host), or undefined. */
export function lockHolder(dir: string): number | undefined {
  try {
    const pid = (JSON.parse(readFileSync(join(dir, 'sweep.lock'), 'utf8')) as { pid?: number }).pid;
    return typeof pid === 'number' ? pid : undefined;
  } catch {
    return undefined; // no lock yet, or its holder is still writing it
  }
}

/**
 * Whether no process holds a sweep directory any more: its lock file is gone (released on a clean
 * stop) or names a process that no longer exists (killed). Slurm marks a task CANCELLED at once,
 * while pmsim may still be finishing the run in flight.
 */
export function shardStopped(dir: string): boolean {
  const lock = join(dir, 'sweep.lock');
  if (!existsSync(lock)) return true;
  try {
    process.kill((JSON.parse(readFileSync(lock, 'utf8')) as { pid: number }).pid, 0);
    return false;
  } catch {
    return true;
  }
}

/** A task's state from scontrol (PENDING, RUNNING, CANCELLED, COMPLETED, ...), or undefined when Slurm has forgotten it. */
export function taskState(jobTask: string): string | undefined {
  const r = sh('scontrol', ['show', 'job', jobTask]);
  return r.status === 0 ? /JobState=(\S+)/.exec(r.stdout)?.[1] : undefined;
}

/** Whether any task of the job is still in the queue. */
export function jobQueued(job: string): boolean {
  const r = sh('squeue', ['-h', '-r', '-j', job, '-o', '%i']);
  return r.status === 0 && r.stdout.trim() !== '';
}

/** The job id in `pmsim sweep --slurm`'s output. */
export function submittedJob(stdout: string): string {
  const m = /submitted slurm job (\d+)/.exec(stdout);
  if (!m) throw new Error(`no "submitted slurm job" in: ${stdout}`);
  return m[1]!;
}
