import type { CommandModule } from 'yargs';
import { UsageError } from '../errors.js';
import { asUsageError } from './sweep.js';

interface GatherArgs {
  dir: string;
  shards?: number;
  quiet: boolean;
}

/**
 * `pmsim gather <out-dir>`: merges the shards found in `<out-dir>/shard-<i>/` (written by a Slurm
 * array, a Kubernetes Indexed Job or an AWS Batch array job) into `<out-dir>`, and says which shards
 * are missing or unfinished. Exit status 0: every run done; 1: shards missing or runs failed;
 * 2: bad input.
 */
const command: CommandModule<object, GatherArgs> = {
  command: 'gather <dir>',
  describe: 'Merge the finished shards of a cluster sweep (<dir>/shard-<i>/) into <dir>; lists the missing ones',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'The sweep output directory holding shard-0, shard-1, ...' })
      .option('shards', { type: 'number', describe: 'Number of shards (default: from the shard journals or cluster.json)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'Print nothing but problems' })
      .example('$0 gather results/liveness', 'merge results/liveness/shard-*/ into results/liveness/runs.csv, ...')
      .epilog('Exit status: 0 every run done, 1 shards missing or runs failed, 2 bad input. Run it again once more shards have finished.'),
  handler: async (a) => {
    const { reportGather } = await import('../../sweep/cluster.js');
    const { gatherShards } = await import('../../sweep/gather.js');
    if (a.shards !== undefined && (!Number.isInteger(a.shards) || a.shards < 1))
      throw new UsageError(`--shards expects a whole number ≥ 1, got ${a.shards}`);
    let g;
    try {
      g = gatherShards(a.dir, { shards: a.shards, command: `pmsim ${process.argv.slice(2).join(' ')}` });
    } catch (e) {
      throw asUsageError(e);
    }
    reportGather(
      g,
      { out: (l) => (a.quiet ? undefined : process.stdout.write(`${l}\n`)), err: (l) => process.stderr.write(`${l}\n`) },
      true,
    );
    process.exitCode = g.exitCode;
  },
};

export default command;
