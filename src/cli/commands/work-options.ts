import type { Argv } from 'yargs';

/** Flags of the work estimate (validate, run). */
export interface WorkArgs {
  force: boolean;
  'max-events'?: number;
}

/** Adds `--force` and `--max-events` (see docs/outputs.md, "Work estimate"). */
export function workOptions<T>(y: Argv<T>): Argv<T & WorkArgs> {
  return y
    .option('force', { type: 'boolean', default: false, describe: 'Run even when the work estimate exceeds the limits' })
    .option('max-events', {
      type: 'number',
      describe: 'Refuse a scenario estimated above this many events (default 2e9)',
    }) as unknown as Argv<T & WorkArgs>;
}
