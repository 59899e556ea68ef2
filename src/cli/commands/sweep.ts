import { basename, join } from 'node:path';
import type { CommandModule } from 'yargs';
import { UsageError } from '../errors.js';

interface SweepArgs {
  sweep: string;
  out?: string;
  workers?: number;
  shard?: string;
  shards?: number;
  quiet: boolean;
}

/** Maps the sweep module's input errors to the CLI's (exit 2, no stack): reportError knows them by name. */
export function asUsageError(e: unknown): unknown {
  return e;
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
      .option('out', { type: 'string', describe: 'Output directory; {shard} is replaced by the shard index (default results/<sweep name>)' })
      .option('workers', { type: 'number', describe: 'Worker threads (default: one per core; 0 runs in the main thread)' })
      .option('shard', { type: 'string', describe: 'Run only shard i of N (i/N, counting from 0)' })
      .option('shards', {
        type: 'number',
        describe: 'Number of shards, the index taken from $JOB_COMPLETION_INDEX, $SLURM_ARRAY_TASK_ID or $AWS_BATCH_JOB_ARRAY_INDEX (or $PMSIM_SHARDS instead of this flag)',
      })
      .option('quiet', { type: 'boolean', default: false, describe: 'No progress output' })
      .example('$0 sweep scenarios/sweeps/liveness-vs-redundancy.yaml --out results/liveness', 'run a sweep on every core')
      .example('$0 sweep sweep.yaml --shard 2/8 --out results/x/shard-{shard}', 'run the third of 8 blocks of runs')
      .example('$0 merge results/x/shard-* --out results/x/all', 'then combine the shards')
      .epilog('Exit status: 0 every run done, 1 some runs failed, 2 bad input, 130 interrupted (run the same command again to resume).'),
  handler: async (a) => {
    const argv = process.argv.slice(2).join(' ');
    const { loadSweepFile } = await import('../../sweep/plan.js');
    const { createProgressReporter } = await import('../../sweep/progress.js');
    const { runSweep } = await import('../../sweep/run.js');
    const { resolveShard } = await import('../../sweep/shard.js');
    const { JOURNAL_FILE, scanJournal } = await import('../../sweep/journal.js');
    try {
      if (a.workers !== undefined && (!Number.isInteger(a.workers) || a.workers < 0)) throw new UsageError(`--workers expects a whole number ≥ 0, got ${a.workers}`);
      if (a.shards !== undefined && (!Number.isInteger(a.shards) || a.shards < 1)) throw new UsageError(`--shards expects a whole number ≥ 1, got ${a.shards}`);
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
        if (signals > 1) process.exit(130);
        process.stderr.write(`\n${sig}: stopping; finished runs are kept in the journal (press Ctrl-C again to quit at once)\n`);
        ac.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      let result;
      try {
        result = await runSweep(plan, { out, workers: a.workers, shard, signal: ac.signal, onProgress: reporter?.update, command: `pmsim ${argv}` });
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
        const what = result.shard ? `shard ${result.shard.index}/${result.shard.count} (runs ${result.first}-${result.end - 1})` : `${result.total} runs`;
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
