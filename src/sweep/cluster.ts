/**
 * `pmsim sweep --slurm`: write the sbatch script, submit the shards that are not done yet, follow
 * the job and gather the shards. Running it again after a task failed or was cancelled submits only
 * the unfinished shards (each resumes from its journal); shards still in the queue are waited for,
 * not submitted twice.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { VERSION } from '../version.js';
import { jobName } from './emit.js';
import { describeUnfinished, gatherShards, readClusterRecord, shardCount, shardDone, shardState, type GatherResult } from './gather.js';
import { SweepStateError } from './journal.js';
import type { SweepPlan } from './plan.js';
import { CLI_MAIN, ClusterOptionError, arraySpec, checkSlurmOptions, sbatchScript } from './slurm.js';
import { describeSnapshot, ensureLogDir, followJobs, logTail, queuedTasks, recordJob, submitArray } from './slurm-submit.js';
import { writeAtomic } from '../output/atomic.js';

/** Options of {@link slurmSweep}. */
export interface SlurmSweepOptions {
  readonly sweepFile: string;
  readonly out: string;
  readonly shards: number;
  readonly cpusPerTask: number;
  readonly partition?: string;
  readonly time?: string;
  readonly sbatchArgs?: readonly string[];
  /** Follow the job and gather the shards when it has ended. */
  readonly wait: boolean;
  /** Only write the script. */
  readonly dryRun: boolean;
  /** Milliseconds between squeue polls while waiting. */
  readonly pollMs: number;
  /** The command line, for the script's header. */
  readonly command?: string;
  /** The Node binary and CLI the tasks run (default: this process's node, this checkout's dist/cli/main.js). */
  readonly node?: string;
  readonly main?: string;
}

/** Where {@link slurmSweep} writes what it says (stdout: results; stderr: progress). */
export interface ClusterIO {
  out(line: string): void;
  err(line: string): void;
}

/** The sbatch script's path in the output directory. */
export function scriptPath(out: string, plan: SweepPlan): string {
  return join(out, `${jobName(plan.definition.name || 'sweep')}.sbatch`);
}

function checkDirectory(out: string, plan: SweepPlan, shards: number): void {
  const n = shardCount(out);
  if (n !== undefined && n !== shards)
    throw new ClusterOptionError(`${out} holds ${n} shards of a sweep, not ${shards}: use --array-size ${n}, or another --out directory`);
  for (let i = 0; i < shards; i++) {
    const s = shardState(out, i);
    if (s.sweepHash !== null && s.sweepHash !== plan.hash) {
      throw new SweepStateError(
        `${s.dir} holds results of a different sweep (hash ${s.sweepHash.slice(0, 12)}, this sweep's is ${plan.hash.slice(0, 12)}): use another --out directory, or delete that one`,
      );
    }
  }
}

/**
 * Writes `<out>/<job name>.sbatch`, submits the shards that are neither done nor queued, and with
 * `wait` follows the job and gathers. Returns the exit status: 0 submitted (or, waiting, every run
 * done), 1 some runs failed or shards unfinished. Throws ClusterOptionError / SweepStateError on bad
 * input and SlurmError when Slurm refuses.
 */
export async function slurmSweep(plan: SweepPlan, o: SlurmSweepOptions, io: ClusterIO): Promise<0 | 1> {
  checkSlurmOptions(o);
  if (o.out.includes('{shard}'))
    throw new ClusterOptionError(
      `--out ${o.out}: with --slurm, --out is the sweep's directory; shard i writes <out>/shard-i/ (no {shard})`,
    );
  const out = resolve(o.out);
  if (/\s/.test(out))
    throw new ClusterOptionError(`--out ${o.out}: sbatch directives cannot hold a path with spaces; choose another directory`);
  const main = o.main ?? CLI_MAIN;
  if (!existsSync(main))
    throw new ClusterOptionError(`${main} does not exist: build pmsim first (npm run build); the Slurm tasks run the compiled CLI`);
  checkDirectory(out, plan, o.shards);

  mkdirSync(out, { recursive: true });
  ensureLogDir(out);
  const script = scriptPath(out, plan);
  const text = sbatchScript({
    node: o.node ?? process.execPath,
    main,
    sweepFile: resolve(o.sweepFile),
    out,
    shards: o.shards,
    jobName: jobName(plan.definition.name || 'sweep'),
    cpusPerTask: o.cpusPerTask,
    // Every path in the script is absolute; the working directory only matters to a user's --sbatch-arg.
    workdir: /\s/.test(process.cwd()) ? out : process.cwd(),
    partition: o.partition,
    time: o.time,
    sbatchArgs: o.sbatchArgs,
    version: VERSION,
    command: o.command,
  });
  writeAtomic(script, text);
  if (o.dryRun) {
    io.out(`wrote ${script}`);
    io.out(`submit it with: sbatch ${script}`);
    io.out(`then merge the shards with: pmsim gather ${out}`);
    return 0;
  }

  const record = readClusterRecord(out);
  const known = record && record.sweep_hash === plan.hash && record.shards === o.shards ? record.jobs.map((j) => j.id) : [];
  const queued = known.length ? queuedTasks(known) : [];
  const queuedIdx = new Set(queued.map((t) => t.index));
  const states = Array.from({ length: o.shards }, (_, i) => shardState(out, i));
  const toSubmit = states.filter((s) => !shardDone(s) && !queuedIdx.has(s.index)).map((s) => s.index);
  const follow = [...new Set(queued.map((t) => t.job))];
  if (toSubmit.length > 0) {
    const id = submitArray(script, toSubmit);
    recordJob(out, { pmsim_cluster: 1, sweep_hash: plan.hash, shards: o.shards, script }, { id, array: arraySpec(toSubmit) });
    follow.push(id);
    const resumed = states.filter((s) => toSubmit.includes(s.index) && s.state !== 'absent').map((s) => s.index);
    io.out(`submitted slurm job ${id}: shard${toSubmit.length === 1 ? '' : 's'} ${arraySpec(toSubmit)} of ${o.shards} (${script})`);
    if (resumed.length)
      io.err(
        resumed.length === 1 ? `shard ${resumed[0]} resumes from its journal` : `shards ${arraySpec(resumed)} resume from their journals`,
      );
  } else {
    const done = states.filter(shardDone).map((s) => s.index);
    io.out(
      `nothing to submit: ${done.length ? `shards ${arraySpec(done)} done` : 'no shard done'}${queuedIdx.size ? `, shards ${arraySpec([...queuedIdx])} still queued (job ${follow.join(', ')})` : ''}`,
    );
  }
  if (!o.wait) {
    io.out(`follow it with: squeue -j ${follow.join(',') || '<job id>'}; merge the shards with: pmsim gather ${out}`);
    return 0;
  }
  if (follow.length) {
    await followJobs(follow, out, o.shards, plan.runsTotal, { pollMs: o.pollMs, onChange: (s) => io.err(`slurm: ${describeSnapshot(s)}`) });
  }
  const g = gatherShards(out, { shards: o.shards, command: o.command });
  reportGather(g, io, true);
  if (g.unfinished.length) io.err('run the same command again to resubmit the unfinished shards (each resumes from its journal)');
  return g.exitCode;
}

/** Prints what a gather found: the merge's counts on stdout, unfinished shards on stderr. */
export function reportGather(g: GatherResult, io: ClusterIO, withLogs = false): void {
  const lines = describeUnfinished(g);
  g.unfinished.forEach((index, k) => {
    io.err(lines[k]!);
    const tail = withLogs ? logTail(g.out, index) : undefined;
    if (tail)
      io.err(`  logs/${tail.name}${tail.exit === undefined ? '' : ` (exit ${tail.exit})`}:\n    ${tail.text.replaceAll('\n', '\n    ')}`);
  });
  const m = g.merge;
  if (!m) {
    io.out(`gathered nothing: no shard of ${g.shards.length} has started`);
    return;
  }
  for (const f of m.failures.slice(0, 5)) io.err(`run ${f.run} failed: ${f.error}`);
  if (m.missing > 0)
    io.err(`missing ${m.missing} of ${m.total} runs: ${m.missingRanges.join(', ')}${m.missingRanges.length >= 50 ? ', ...' : ''}`);
  const complete = g.shards.length - g.unfinished.length;
  io.out(
    `gathered ${complete} of ${g.shards.length} shards complete: ${m.done} of ${m.total} runs done, ${m.failed} failed, ${m.missing} missing`,
  );
  io.out(`wrote ${g.out}/runs.csv, aggregate.csv, manifest.json`);
}
