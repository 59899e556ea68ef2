#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { VERSION } from '../version.js';
import { commands } from './commands/index.js';
import { UsageError, reportError } from './errors.js';

/**
 * A reader that went away (`pmsim list | head -1`) is not an error: stop quietly, as a Unix tool
 * does on SIGPIPE. Without this, the next write throws EPIPE with a stack trace.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

/** The `pmsim` command line: yargs over the public API. Each command loads its modules lazily. */
async function main(argv: string[]): Promise<void> {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  const cli = yargs(hideBin(argv))
    .scriptName('pmsim')
    .version(VERSION)
    .strict()
    .demandCommand(1, 'Give a command: run, validate, list, ... (see --help)')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      throw err ?? new UsageLike(msg);
    })
    .help();
  for (const c of commands) cli.command(c);
  await cli.parseAsync();
}

class UsageLike extends Error {}

main(process.argv).catch((e: unknown) => {
  if (e instanceof UsageLike) reportError(new UsageError(`${e.message}\nRun 'pmsim --help' for usage.`));
  else reportError(e);
});
