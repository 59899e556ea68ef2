import { ScenarioError } from '../scenario/errors.js';

/** Where a pmsim bug is reported (printed with every internal error). */
export const REPORT_URL = 'https://github.com/pmsim/pmsim/issues';

/** An error the user can fix: printed without a stack trace, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Input errors of other modules that are the user's to fix (checked by name: no imports needed). */
const INPUT_ERRORS = new Set([
  'UsageError',
  'SweepStateError',
  'ShardError',
  'InputFileError',
  'ResultsDirError',
  'OutputDirError',
  'LockHeldError',
  'WorkLimitError',
]);

/**
 * Prints an error for a person and sets the exit status. Bad input (scenario and sweep files,
 * flags, output directories) is exit 2 with one line per problem, `file: field.path: message`, and
 * no stack. Anything else is a bug in pmsim: exit 1, a line saying where to report it, and the
 * stack only with PMSIM_DEBUG=1.
 */
export function reportError(e: unknown, env: NodeJS.ProcessEnv = process.env): void {
  if (e instanceof ScenarioError) {
    process.stderr.write(`${e.format()}\n`);
    process.exitCode = 2;
  } else if (e instanceof Error && INPUT_ERRORS.has(e.name)) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    process.stderr.write(`internal error (a bug in pmsim): ${msg}\n`);
    if (env.PMSIM_DEBUG === '1') process.stderr.write(`${e instanceof Error ? (e.stack ?? '') : ''}\n`);
    else
      process.stderr.write(`Please report it at ${REPORT_URL} with the command and input files; PMSIM_DEBUG=1 prints the stack trace.\n`);
    process.exitCode = 1;
  }
}
