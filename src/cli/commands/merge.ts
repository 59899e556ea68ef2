import type { CommandModule } from 'yargs';

interface MergeArgs {
  dirs: string[];
  out: string;
  quiet: boolean;
}

/**
 * `pmsim merge <dir>... --out DIR`: combines shard directories of one sweep into one runs.csv,
 * aggregate.csv and manifest.json. Exit status 0: complete; 1: runs failed or missing; 2: bad input
 * (different sweeps, overlapping shards, not a sweep directory).
 */
const command: CommandModule<object, MergeArgs> = {
  command: 'merge <dirs..>',
  describe: 'Merge the shard directories of a sweep into one (checks the sweep hash, overlaps, missing runs)',
  builder: (y) =>
    y
      .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'Shard output directories' })
      .option('out', { type: 'string', demandOption: true, describe: 'Output directory for the merged results' })
      .option('quiet', { type: 'boolean', default: false, describe: 'Print nothing but problems' })
      .example('$0 merge results/x/shard-0 results/x/shard-1 --out results/x/all', 'combine two shards')
      .epilog('Exit status: 0 every run done, 1 runs failed or missing, 2 bad input (different sweeps, overlapping shards).'),
  handler: async (a) => {
    const { mergeShards } = await import('../../sweep/merge.js');
    const r = mergeShards(a.dirs, { out: a.out, command: `pmsim ${process.argv.slice(2).join(' ')}` });
    for (const f of r.failures.slice(0, 5)) process.stderr.write(`run ${f.run} failed: ${f.error}\n`);
    if (r.missing > 0)
      process.stderr.write(
        `missing ${r.missing} of ${r.total} runs: ${r.missingRanges.join(', ')}${r.missingRanges.length >= 50 ? ', ...' : ''}\n`,
      );
    if (!a.quiet)
      process.stdout.write(
        `merged ${a.dirs.length} director${a.dirs.length === 1 ? 'y' : 'ies'}: ${r.done} of ${r.total} runs done, ${r.failed} failed, ${r.missing} missing\nwrote ${a.out}/runs.csv, aggregate.csv, manifest.json\n`,
      );
    process.exitCode = r.exitCode;
  },
};

export default command;
