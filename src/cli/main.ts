#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { VERSION } from '../version.js';
import { commands } from './commands/index.js';
import { reportError } from './errors.js';

/** The `pmsim` command line: yargs over the public API. */
async function main(argv: string[]): Promise<void> {
  const cli = yargs(hideBin(argv))
    .scriptName('pmsim')
    .version(VERSION)
    .strict()
    .demandCommand(1, 'Give a command: run, validate, list, ... (see --help)')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      throw err ?? new UsageErrorLike(msg);
    })
    .help();
  for (const c of commands) cli.command(c);
  await cli.parseAsync();
}

class UsageErrorLike extends Error {}

main(process.argv).catch(async (e: unknown) => {
  if (e instanceof UsageErrorLike) {
    const { UsageError } = await import('./errors.js');
    reportError(new UsageError(`${e.message}\nRun 'pmsim --help' for usage.`));
  } else reportError(e);
});
