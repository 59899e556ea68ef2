import type { CommandModule } from 'yargs';
import list from './list.js';
import run from './run.js';
import sweep from './sweep.js';
import merge from './merge.js';
import gather from './gather.js';
import report from './report.js';
import validate from './validate.js';
import explore from './explore.js';
import serve from './serve.js';
import replay from './replay.js';
import audit from './audit.js';

/** `pmsim schema`, declared here so that zod's JSON-schema code loads only when it runs. */
const schema: CommandModule<object, { out?: string }> = {
  command: 'schema',
  describe: 'Print (or write with --out) the JSON Schema of scenario files',
  builder: (y) => y.option('out', { type: 'string', describe: 'Write to this file instead of stdout' }),
  handler: async (a) => {
    const m = await import('./schema.js');
    await m.default.handler(a as Parameters<typeof m.default.handler>[0]);
  },
};

/**
 * Every `pmsim` sub-command. Each command module adds one line here. The modules import nothing
 * heavy at the top: their handlers load what they need, so `pmsim --help` stays fast.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
// biome-ignore lint/suspicious/noExplicitAny: each command has its own argv type; yargs takes the list as CommandModule<any, any>
export const commands: CommandModule<any, any>[] = [
  run,
  validate,
  list,
  schema,
  sweep,
  merge,
  gather,
  report,
  explore,
  serve,
  replay,
  audit,
];
