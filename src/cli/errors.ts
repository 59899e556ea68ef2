import { ScenarioError } from '../scenario/errors.js';

/** An error the user can fix: printed without a stack trace, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Prints an error for a person and sets the exit status: 2 for bad input (scenario files, usage),
 * 1 for anything else (a bug: the stack is printed then, because it is needed to fix it).
 */
export function reportError(e: unknown): void {
  if (e instanceof ScenarioError) {
    process.stderr.write(`error: invalid scenario\n${e.format()}\n`);
    process.exitCode = 2;
  } else if (e instanceof UsageError) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  }
}
