import { basename, join, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { VERSION } from '../../version.js';
import { UsageError } from '../errors.js';

/** The targets of --emit (as EMIT_TARGETS in sweep/emit.ts, not imported: the CLI loads modules lazily). */
type EmitTarget = 'k8s' | 'aws-batch';

interface SweepArgs {
  sweep: string;
  out?: string;
  workers?: number;
  shard?: string;
  shards?: number;
  quiet: boolean;
  slurm: boolean;
  'array-size'?: number;
  partition?: string;
  time?: string;
  'cpus-per-task': number;
  wait: boolean;
  'sbatch-arg'?: string[];
  'dry-run': boolean;
  emit?: EmitTarget;
  image?: string;
  'poll-interval': number;
}

/**
 * Maps the sweep module's input errors to the CLI's (exit 2, no stack): reportError knows most of
 * them by name; the cluster ones (bad --slurm/--emit flags, sbatch missing or refusing) are mapped here.
 */
export function asUsageError(e: unknown): unknown {
  if (e instanceof Error && (e.name === 'ClusterOptionError' || e.name === 'SlurmError')) return new UsageError(e.message);
  return e;
}

/** The flags of `--slurm` and `--emit` (docs/cluster.md). */
const clusterOptions = {
  slurm: { type: 'boolean', default: false, describe: 'Submit the shards as a Slurm job array (sbatch); prints the job id' },
  'array-size': { type: 'number', describe: 'Number of shards = array tasks (--slurm, --emit)' },
  partition: { type: 'string', describe: 'Slurm partition (--slurm)' },
  time: { type: 'string', describe: 'Slurm time limit per task, e.g. 02:00:00 (--slurm)' },
  'cpus-per-task': { type: 'number', default: 1, describe: 'CPUs per task = worker threads per shard (--slurm, --emit)' },
  wait: { type: 'boolean', default: false, describe: 'Follow the Slurm job, then gather the shards into --out (--slurm)' },
  'sbatch-arg': { type: 'string', array: true, describe: 'One more sbatch option, e.g. --sbatch-arg=--mem=4G (repeatable; --slurm)' },
  'dry-run': { type: 'boolean', default: false, describe: 'Only write the sbatch script into --out (--slurm)' },
  emit: {
    type: 'string',
    choices: ['k8s', 'aws-batch'] as const,
    describe: 'Print a Kubernetes Indexed Job or AWS Batch array job for the shards, and a gather step',
  },
  image: { type: 'string', describe: 'Container image with pmsim at /app (--emit; default registry.example.com/pmsim:<version>)' },
  'poll-interval': { type: 'number', default: 5, describe: 'Seconds between squeue polls (--slurm --wait)' },
} as const;

/** `--slurm` or `--emit`: the sweep goes to a cluster instead of this machine's worker pool. Returns the exit status. */
async function runClusterCommand(a: SweepArgs, command: string): Promise<number> {
  if (a.slurm && a.emit !== undefined) throw new UsageError('--slurm and --emit exclude each other: --emit only prints manifests');
  if (a.shard !== undefined)
    throw new UsageError('--shard runs one shard here; with --slurm or --emit give the number of shards as --array-size N');
  if (a.workers !== undefined) throw new UsageError('--workers: a cluster task runs as many workers as --cpus-per-task');
  const shards = a['array-size'] ?? a.shards;
  if (shards === undefined)
    throw new UsageError(`--${a.slurm ? 'slurm' : 'emit'} needs --array-size N, the number of shards (array tasks)`);
  if (a.shards !== undefined && a['array-size'] !== undefined && a.shards !== a['array-size'])
    throw new UsageError(`--shards ${a.shards} and --array-size ${a['array-size']} disagree`);
  const { checkSlurmOptions, CHECKOUT_ROOT } = await import('../../sweep/slurm.js');
  const { loadSweepFile } = await import('../../sweep/plan.js');
  const cpus = a['cpus-per-task'];
  checkSlurmOptions({ shards, cpusPerTask: cpus, partition: a.partition, time: a.time, sbatchArgs: a['sbatch-arg'] });
  if (!(a['poll-interval'] > 0)) throw new UsageError(`--poll-interval expects a number of seconds > 0, got ${a['poll-interval']}`);
  const plan = loadSweepFile(a.sweep);
  const name = plan.definition.name || basename(a.sweep);
  if (a.emit !== undefined) {
    const { defaultEmitOut, imagePath, renderEmit } = await import('../../sweep/emit.js');
    const text = renderEmit(a.emit, {
      sweepFile: imagePath(resolve(a.sweep), CHECKOUT_ROOT),
      shards,
      cpusPerTask: cpus,
      image: a.image ?? `registry.example.com/pmsim:${VERSION}`,
      out: a.out ?? defaultEmitOut(a.emit, name),
      name,
    });
    process.stdout.write(text);
    return 0;
  }
  const { slurmSweep } = await import('../../sweep/cluster.js');
  const io = { out: (l: string) => process.stdout.write(`${l}\n`), err: (l: string) => process.stderr.write(`${l}\n`) };
  return slurmSweep(
    plan,
    {
      sweepFile: a.sweep,
      out: a.out ?? `results/${name}`,
      shards,
      cpusPerTask: cpus,
      partition: a.partition,
      time: a.time,
      sbatchArgs: a['sbatch-arg'],
      wait: a.wait,
      dryRun: a['dry-run'],
      pollMs: a['poll-interval'] * 1000,
      command,
    },
    io,
  );
}

/**
 * `pmsim sweep <sweep.yaml>`: a parameter grid × replicates on a worker pool, streamed to a journal,
 * resumable, shardable. Exit status 0: all runs done; 1: some runs failed; 2: bad input; 130: interrupted.
 */
const command: CommandModule<object, SweepArgs> = {
  command: 'sweep <sweep>',
  describe: 'Run a parameter sweep (grid x replicates) in parallel; resumable and shardable (see docs/sweeps.md)',
  builder: (y) =>
    y
      .positional('sweep', { type: 'string', demandOption: true, describe: 'Sweep file (YAML or JSON)' })
      .option('out', {
        type: 'string',
        describe: 'Output directory; {shard} is replaced by the shard index (default results/<sweep name>)',
      })
      .option('workers', { type: 'number', describe: 'Worker threads (default: one per core; 0 runs in the main thread)' })
      .option('shard', { type: 'string', describe: 'Run only shard i of N (i/N, counting from 0)' })
      .option('shards', {
        type: 'number',
        describe:
          'Number of shards, the index taken from $JOB_COMPLETION_INDEX, $SLURM_ARRAY_TASK_ID or $AWS_BATCH_JOB_ARRAY_INDEX (or $PMSIM_SHARDS instead of this flag)',
      })
      .option('quiet', { type: 'boolean', default: false, describe: 'No progress output' })
      .options(clusterOptions)
      .example('$0 sweep scenarios/sweeps/liveness-vs-redundancy.yaml --out results/liveness', 'run a sweep on every core')
      .example('$0 sweep sweep.yaml --shard 2/8 --out results/x/shard-{shard}', 'run the third of 8 blocks of runs')
      .example('$0 merge results/x/shard-* --out results/x/all', 'then combine the shards')
      .example(
        '$0 sweep sweep.yaml --slurm --array-size 8 --cpus-per-task 4 --wait',
        'run 8 shards as a Slurm job array, wait, gather (docs/cluster.md)',
      )
      .example('$0 sweep sweep.yaml --emit k8s --array-size 8 > job.yaml', 'a Kubernetes Indexed Job of 8 shards and a gather Job')
      .epilog('Exit status: 0 every run done, 1 some runs failed, 2 bad input, 130 interrupted (run the same command again to resume).'),
  handler: async (a) => {
    const argv = process.argv.slice(2).join(' ');
    if (a.slurm || a.emit !== undefined) {
      try {
        process.exitCode = await runClusterCommand(a, `pmsim ${argv}`);
      } catch (e) {
        throw asUsageError(e);
      }
      return;
    }
    const { loadSweepFile } = await import('../../sweep/plan.js');
    const { createProgressReporter } = await import('../../sweep/progress.js');
    const { runSweep } = await import('../../sweep/run.js');
    const { resolveShard } = await import('../../sweep/shard.js');
    const { JOURNAL_FILE, scanJournal } = await import('../../sweep/journal.js');
    try {
      if (a.workers !== undefined && (!Number.isInteger(a.workers) || a.workers < 0))
        throw new UsageError(`--workers expects a whole number ≥ 0, got ${a.workers}`);
      if (a.shards !== undefined && (!Number.isInteger(a.shards) || a.shards < 1))
        throw new UsageError(`--shards expects a whole number ≥ 1, got ${a.shards}`);
      const plan = loadSweepFile(a.sweep);
      const shard = resolveShard({ shard: a.shard, shards: a.shards });
      const name = plan.definition.name || basename(a.sweep);
      let out = a.out ?? (shard ? `results/${name}/shard-{shard}` : `results/${name}`);
      out = out.replaceAll('{shard}', shard ? String(shard.index) : 'all');
      // Look at an existing journal first: a damaged header is refused here, damaged records are named.
      const old = scanJournal(join(out, JOURNAL_FILE));
      if (old && old.droppedCount > 0) {
        process.stderr.write(
          `warning: ${join(out, JOURNAL_FILE)}: dropped ${old.droppedCount} damaged line${old.droppedCount === 1 ? '' : 's'} (line${old.droppedCount === 1 ? '' : 's'} ${old.droppedLines.join(', ')}${old.droppedCount > old.droppedLines.length ? ', ...' : ''}); their runs are run again\n`,
        );
      }
      const reporter = a.quiet ? undefined : createProgressReporter({ label: shard ? `sweep ${shard.index}/${shard.count}` : 'sweep' });
      const ac = new AbortController();
      let signals = 0;
      const onSignal = (sig: NodeJS.Signals) => {
        signals++;
        // A second Ctrl-C quits at once. A repeated SIGTERM does not: a scheduler may signal both the
        // batch shell (which passes it on) and pmsim, and the stop must still release the lock.
        if (signals > 1) {
          if (sig === 'SIGINT') process.exit(130);
          return;
        }
        process.stderr.write(`\n${sig}: stopping; finished runs are kept in the journal (press Ctrl-C again to quit at once)\n`);
        ac.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      let result;
      try {
        result = await runSweep(plan, {
          out,
          workers: a.workers,
          shard,
          signal: ac.signal,
          onProgress: reporter?.update,
          command: `pmsim ${argv}`,
        });
      } finally {
        reporter?.stop();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      if (result.interrupted) {
        process.stderr.write(`interrupted: ${result.done} of ${result.total} runs done; run the same command again to resume\n`);
        process.exitCode = 130;
        return;
      }
      for (const f of result.failures.slice(0, 5)) process.stderr.write(`run ${f.run} failed: ${f.error}\n`);
      if (result.failed > 5) process.stderr.write(`... ${result.failed - 5} more failed runs: see ${out}/manifest.json\n`);
      if (!a.quiet) {
        const what = result.shard
          ? `shard ${result.shard.index}/${result.shard.count} (runs ${result.first}-${result.end - 1})`
          : `${result.total} runs`;
        process.stdout.write(
          `${what}: ${result.done} done, ${result.failed} failed${result.resumed ? ` (${result.resumed} resumed)` : ''}\nwrote ${out}/runs.csv, aggregate.csv, manifest.json\n`,
        );
      }
      process.exitCode = result.exitCode;
    } catch (e) {
      throw asUsageError(e);
    }
  },
};

export default command;
