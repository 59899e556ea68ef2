/**
 * `pmsim sweep --slurm` against a real Slurm: the liveness sweep as an array of 4 shards, and the
 * same with one task cancelled mid-run and then requeued or resubmitted.
 *
 * Needs a running cluster that can reach this checkout (scripts/slurm-local.sh start gives a
 * one-node one) and the compiled CLI (npm test builds it). Without Slurm the tests are skipped,
 * unless PMSIM_REQUIRE_SLURM=1 (CI), which makes that a failure. Slurm schedules at its own pace on
 * a loaded machine: the timeouts are generous and nothing here asserts a duration.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, pmsim } from './cli.js';
import {
  REQUIRE_SLURM,
  jobQueued,
  journalRuns,
  lockHolder,
  pmsimAsync,
  sh,
  shardStopped,
  sleep,
  slurmAvailable,
  submittedJob,
  taskState,
  until,
} from './slurm-helpers.js';

const SWEEP = 'scenarios/sweeps/liveness-vs-redundancy.yaml';
const MINUTES = 60_000;

const avail = slurmAvailable();
if (!avail.ok) {
  const msg = `Slurm tests: ${avail.why} (start a one-node cluster with scripts/slurm-local.sh start)`;
  if (REQUIRE_SLURM) throw new Error(`${msg}; PMSIM_REQUIRE_SLURM=1 requires it`);
  console.warn(`SKIPPED ${msg}`);
}

const tmp = mkdtempSync(join(tmpdir(), 'pmsim-slurm-'));
const read = (dir: string, f: string) => readFileSync(join(dir, f));
const base = join(tmp, 'one-process');

describe.skipIf(!avail.ok)('pmsim sweep --slurm on a real Slurm cluster', () => {
  beforeAll(() => {
    const r = pmsim(['sweep', SWEEP, '--workers', '1', '--out', base, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
  }, 5 * MINUTES);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it(
    'a 4-task array, followed with --wait and gathered, gives runs.csv and aggregate.csv byte-identical to --workers 1',
    async () => {
      const out = join(tmp, 'array');
      const r = await pmsimAsync(['sweep', SWEEP, '--slurm', '--array-size', '4', '--out', out, '--wait', '--poll-interval', '1']);
      expect(r.status, r.stderr + r.stdout).toBe(0);
      const job = submittedJob(r.stdout);
      expect(r.stdout).toContain(`submitted slurm job ${job}: shards 0-3 of 4`);
      expect(r.stdout).toContain('gathered 4 of 4 shards complete: 36 of 36 runs done, 0 failed, 0 missing');
      expect(r.stderr).toMatch(/slurm: 4 shards: 4 complete \| 36\/36 runs done, 0 failed/);
      for (const f of ['runs.csv', 'aggregate.csv']) expect(read(out, f).equals(read(base, f)), f).toBe(true);

      // Each shard ran as its own array task, on the node, with the absolute node and CLI paths.
      const logs = readdirSync(join(out, 'logs')).sort();
      expect(logs).toEqual([0, 1, 2, 3].map((i) => `${job}_${i}.out`));
      for (let i = 0; i < 4; i++) {
        const log = readFileSync(join(out, 'logs', `${job}_${i}.out`), 'utf8');
        expect(log).toContain(`pmsim: shard ${i}/4 on `);
        expect(log).toContain(`shard ${i}/4 (runs ${i * 9}-${i * 9 + 8}): 9 done, 0 failed`);
        expect(log).toContain('pmsim task times (exit 0):');
        expect(journalRuns(join(out, `shard-${i}`))).toEqual(Array.from({ length: 9 }, (_, k) => i * 9 + k));
      }
      const script = readFileSync(join(out, 'pmsim-liveness-vs-redundancy.sbatch'), 'utf8');
      expect(script).toContain(`${process.execPath} ${BIN} sweep ${join(ROOT, SWEEP)} --shard "\${SLURM_ARRAY_TASK_ID}/4"`);
    },
    15 * MINUTES,
  );

  /**
   * Starts the array, holds shard 2's pmsim process with SIGSTOP as soon as it has taken its
   * directory's lock, lets it run in short bursts until it has recorded a run, and cancels task 2
   * there (a shard of this sweep takes well under a second: without the hold, it would be over before
   * scancel). Returns the job id and the runs shard 2 had finished.
   */
  async function cancelShard2MidRun(out: string): Promise<{ job: string; before: number[] }> {
    const r = await pmsimAsync(['sweep', SWEEP, '--slurm', '--array-size', '4', '--out', out]);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    const job = submittedJob(r.stdout);
    const shard2 = join(out, 'shard-2');
    const pid = await until('shard 2 to start', () => lockHolder(shard2), 10 * MINUTES, 5);
    process.kill(pid, 'SIGSTOP');
    while (journalRuns(shard2).length === 0) {
      process.kill(pid, 'SIGCONT');
      await sleep(25);
      process.kill(pid, 'SIGSTOP');
      await sleep(25);
    }
    const c = sh('scancel', [`${job}_2`]);
    expect(c.status, c.stderr).toBe(0);
    // Slurm sends SIGCONT before SIGTERM; continue it here too, in case it does not reach pmsim.
    process.kill(pid, 'SIGCONT');
    await until(`task ${job}_2 to be cancelled`, () => taskState(`${job}_2`) === 'CANCELLED', 5 * MINUTES, 200);
    await until('the cancelled task to stop writing shard 2', () => shardStopped(shard2), 5 * MINUTES, 200);
    const before = journalRuns(shard2);
    // Cancelled mid-run: some of shard 2's runs (18-26) were recorded, not all.
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThan(9);
    expect(before).toEqual(Array.from({ length: before.length }, (_, k) => 18 + k));
    return { job, before };
  }

  function expectWholeAndOnce(out: string): void {
    for (const f of ['runs.csv', 'aggregate.csv']) expect(read(out, f).equals(read(base, f)), f).toBe(true);
    // No run recorded twice: the second attempt appended only the runs the first had not finished.
    for (let i = 0; i < 4; i++) expect(journalRuns(join(out, `shard-${i}`))).toEqual(Array.from({ length: 9 }, (_, k) => i * 9 + k));
    const runIndex = read(out, 'runs.csv')
      .toString('utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => Number(l.split(',')[0]));
    expect(new Set(runIndex).size).toBe(36);
  }

  it(
    'a task cancelled mid-run (scancel JOBID_2) and requeued by Slurm resumes from its journal: the gathered result is byte-identical, no run twice',
    async () => {
      const out = join(tmp, 'requeue');
      const { job, before } = await cancelShard2MidRun(out);
      const q = sh('scontrol', ['requeue', `${job}_2`]);
      expect(q.status, q.stderr).toBe(0);
      // Slurm holds a requeued job back for a while before it is eligible again; let it start in a few
      // seconds. Not `now`: a launch within a second of the kill can reach slurmd while it still holds the
      // cancelled task's id as killed ("Job credential revoked": the task then exits 1 without running).
      sh('scontrol', ['update', `JobId=${job}_2`, 'StartTime=now+5']);

      // The same command again, with --wait: shard 2 is in the queue, so nothing is submitted twice.
      const r = await pmsimAsync(['sweep', SWEEP, '--slurm', '--array-size', '4', '--out', out, '--wait', '--poll-interval', '1']);
      expect(r.status, r.stderr + r.stdout).toBe(0);
      expect(r.stdout).not.toContain('submitted slurm job');
      expect(r.stdout).toContain('gathered 4 of 4 shards complete: 36 of 36 runs done, 0 failed, 0 missing');
      expectWholeAndOnce(out);
      const log = readFileSync(join(out, 'logs', `${job}_2.out`), 'utf8');
      expect(log).toContain('restart 1');
      expect(log).toContain(`shard 2/4 (runs 18-26): 9 done, 0 failed (${before.length} resumed)`);
    },
    20 * MINUTES,
  );

  it(
    'a task cancelled mid-run and not requeued: gather lists it as missing, the same command resubmits only that shard, and the result is byte-identical, no run twice',
    async () => {
      const out = join(tmp, 'resubmit');
      const { job, before } = await cancelShard2MidRun(out);
      await until(`job ${job} to leave the queue`, () => !jobQueued(job), 10 * MINUTES, 500);

      const g = pmsim(['gather', out]);
      expect(g.status).toBe(1);
      expect(g.stderr).toContain(`shard 2: ${before.length} of 9 runs done (runs 18-26)`);
      expect(g.stdout).toContain(
        `gathered 3 of 4 shards complete: ${27 + before.length} of 36 runs done, 0 failed, ${9 - before.length} missing`,
      );

      const r = await pmsimAsync(['sweep', SWEEP, '--slurm', '--array-size', '4', '--out', out, '--wait', '--poll-interval', '1']);
      expect(r.status, r.stderr + r.stdout).toBe(0);
      const again = submittedJob(r.stdout);
      expect(again).not.toBe(job);
      expect(r.stdout).toContain(`submitted slurm job ${again}: shard 2 of 4`);
      expect(r.stderr).toContain('shard 2 resumes from its journal');
      expect(r.stdout).toContain('gathered 4 of 4 shards complete: 36 of 36 runs done, 0 failed, 0 missing');
      expectWholeAndOnce(out);
      expect(readdirSync(join(out, 'logs'))).toContain(`${again}_2.out`);
      expect(readdirSync(join(out, 'logs'))).not.toContain(`${again}_0.out`);
      const log = readFileSync(join(out, 'logs', `${again}_2.out`), 'utf8');
      expect(log).toContain(`shard 2/4 (runs 18-26): 9 done, 0 failed (${before.length} resumed)`);
    },
    20 * MINUTES,
  );
});
