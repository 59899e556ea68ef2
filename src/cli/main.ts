#!/usr/bin/env node
import yargs, { type Argv } from 'yargs';
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

/**
 * yargs renders the running command's help text as its handler starts (`cacheHelpMessage`, kept in
 * case the handler fails and help is to be shown): for `pmsim validate` that is about a tenth of its
 * CPU (cliui's layout, string widths, ICU's segmenter). pmsim never shows that text: its `.fail()`
 * throws instead of printing help, and no handler calls `showHelp`. So the hook does nothing here;
 * `--help` builds its text as before. The hook is yargs' internal API, hence the guard: without it,
 * yargs runs as it did.
 */
function skipHelpCache(cli: Argv): void {
  type Internals = { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: unknown } } };
  const usage = (cli as unknown as Internals).getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
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
  skipHelpCache(cli);
  for (const c of commands) cli.command(c);
  await cli.parseAsync();
}

class UsageLike extends Error {}

main(process.argv).catch((e: unknown) => {
  if (e instanceof UsageLike) reportError(new UsageError(`${e.message}\nRun 'pmsim --help' for usage.`));
  else reportError(e);
});
