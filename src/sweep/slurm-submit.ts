/**
 * Talking to Slurm: submit an array job with `sbatch --parsable`, list its queued tasks with
 * `squeue`, follow it until no task is left in the queue. The imperative shell around slurm.ts.
 *
 * Only squeue is polled (not sacct): a cluster without accounting storage (as the one-node cluster
 * of scripts/slurm-local.sh) has no sacct, and the shards' journals say what each task finished.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from '../output/atomic.js';
import { CLUSTER_FILE, readClusterRecord, runCounts, shardState, type ClusterRecord, type ShardState } from './gather.js';
import { arraySpec } from './slurm.js';

/** Slurm is missing or refused a command (the CLI prints the message, exit 2). */
export class SlurmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlurmError';
  }
}

function slurmCommand(cmd: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new SlurmError(
        `${cmd} not found: is Slurm installed here? (for a one-node cluster on this machine: scripts/slurm-local.sh start)`,
      );
    throw new SlurmError(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  }
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Submits `script` as an array job of the given task indices; returns the job id. */
export function submitArray(script: string, indices: readonly number[], extra: readonly string[] = []): string {
  const r = slurmCommand('sbatch', ['--parsable', `--array=${arraySpec(indices)}`, ...extra, script]);
  const id = /^(\d+)(;\S+)?\s*$/.exec(r.stdout.trim().split('\n').pop() ?? '')?.[1];
  if (r.status !== 0 || !id) throw new SlurmError(`sbatch failed (exit ${r.status}): ${(r.stderr || r.stdout).trim()}`);
  return id;
}

/** A task of an array job that is still in Slurm's queue. */
export interface QueuedTask {
  readonly job: string;
  readonly index: number;
  /** PENDING, RUNNING, COMPLETING, REQUEUED, SUSPENDED, ... */
  readonly state: string;
}

/**
 * The tasks of these array jobs still in the queue (pending, running, completing, suspended). A job
 * Slurm no longer knows (it ended and was purged) has none.
 */
export function queuedTasks(jobIds: readonly string[]): QueuedTask[] {
  const tasks: QueuedTask[] = [];
  for (const id of jobIds) {
    // -r: one line per array task, also for pending ones still in one record.
    const r = slurmCommand('squeue', ['-h', '-r', '-j', id, '-o', '%i|%T']);
    if (r.status !== 0) {
      if (/Invalid job id/i.test(r.stderr)) continue;
      throw new SlurmError(`squeue -j ${id} failed (exit ${r.status}): ${r.stderr.trim()}`);
    }
    for (const line of r.stdout.split('\n')) {
      const m = /^(\d+)_(\d+)\|(\S+)/.exec(line.trim());
      if (m && m[1] === id) tasks.push({ job: id, index: Number(m[2]), state: m[3]! });
    }
  }
  return tasks;
}

/** Records a submitted job in `<out>/cluster.json`. */
export function recordJob(out: string, base: Omit<ClusterRecord, 'jobs'>, job: { id: string; array: string }): ClusterRecord {
  const old = readClusterRecord(out);
  const jobs = old && old.sweep_hash === base.sweep_hash && old.shards === base.shards ? [...old.jobs, job] : [job];
  const rec: ClusterRecord = { ...base, jobs };
  writeAtomic(join(out, CLUSTER_FILE), `${JSON.stringify(rec, null, 2)}\n`);
  return rec;
}

/** Makes the log directory sbatch writes to (Slurm does not create it; a task without it fails unseen). */
export function ensureLogDir(out: string): string {
  const dir = join(out, 'logs');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A snapshot while following a job: the shards' journals and the queue. */
export interface FollowSnapshot {
  readonly shards: ShardState[];
  readonly queued: QueuedTask[];
  readonly done: number;
  readonly failed: number;
  readonly total: number;
}

/** One progress line: `4 shards: 2 done, 1 running, 1 pending | 21/36 runs done, 0 failed`. */
export function describeSnapshot(s: FollowSnapshot): string {
  const running = s.queued.filter((t) => t.state === 'RUNNING' || t.state === 'COMPLETING').map((t) => t.index);
  const waiting = s.queued.filter((t) => t.state !== 'RUNNING' && t.state !== 'COMPLETING').map((t) => t.index);
  const complete = s.shards.filter((x) => x.state === 'complete').length;
  const parts = [`${complete} complete`];
  if (running.length) parts.push(`running ${arraySpec(running)}`);
  if (waiting.length) parts.push(`queued ${arraySpec(waiting)}`);
  return `${s.shards.length} shards: ${parts.join(', ')} | ${s.done}/${s.total} runs done, ${s.failed} failed`;
}

/** Polls in a row that must see an empty queue before a sweep with missing runs is given up on. */
export const EMPTY_POLLS = 5;

/**
 * Polls squeue and the shard journals every `pollMs` until no task of `jobIds` is queued, calling
 * `onChange` whenever the picture changes. squeue failing a few times in a row (a busy or restarting
 * controller) is tolerated; ten in a row is an error. While runs are missing, an empty queue must be
 * seen on {@link EMPTY_POLLS} polls in a row: a task that Slurm is requeueing can drop out of
 * squeue's answer for a moment (seen in CI), and stopping then would gather a shard still to run.
 */
export async function followJobs(
  jobIds: readonly string[],
  out: string,
  shards: number,
  total: number,
  opts: { pollMs: number; onChange?: (s: FollowSnapshot) => void },
): Promise<FollowSnapshot> {
  let last = '';
  let failures = 0;
  let empty = 0;
  for (;;) {
    let queued: QueuedTask[];
    try {
      queued = queuedTasks(jobIds);
      failures = 0;
    } catch (e) {
      if (!(e instanceof SlurmError) || ++failures >= 10) throw e;
      await sleep(opts.pollMs);
      continue;
    }
    const states = Array.from({ length: shards }, (_, i) => shardState(out, i));
    const { done, failed } = runCounts(states);
    const snap: FollowSnapshot = { shards: states, queued, done, failed, total };
    const key = describeSnapshot(snap);
    if (key !== last) {
      last = key;
      opts.onChange?.(snap);
    }
    empty = queued.length === 0 ? empty + 1 : 0;
    if (empty > 0 && (done + failed >= total || empty >= EMPTY_POLLS)) return snap;
    await sleep(opts.pollMs);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * The end of shard `index`'s newest task log (`logs/<job>_<index>.out`): its last lines before the
 * CPU times the script prints, and the exit status it reports (undefined when the task was killed
 * before printing it).
 */
export function logTail(out: string, index: number, lines = 2): { name: string; exit: string | undefined; text: string } | undefined {
  const dir = join(out, 'logs');
  if (!existsSync(dir)) return undefined;
  const logs = readdirSync(dir)
    .filter((f) => f.endsWith(`_${index}.out`) && /^\d+_\d+\.out$/.test(f))
    .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  if (!logs.length) return undefined;
  const name = logs[0]!.f;
  const all = readFileSync(join(dir, name), 'utf8');
  const at = all.lastIndexOf('pmsim task times (exit ');
  const exit = at >= 0 ? /^pmsim task times \(exit (\d+)\)/.exec(all.slice(at))?.[1] : undefined;
  const body = (at >= 0 ? all.slice(0, at) : all).split('\n').filter((l) => l.trim() !== '');
  return { name, exit, text: body.slice(-lines).join('\n') };
}
