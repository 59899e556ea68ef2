import type { CommandModule } from 'yargs';
import list from './list.js';
import run from './run.js';
import sweep from './sweep.js';
import merge from './merge.js';
import report from './report.js';
import schema from './schema.js';
import validate from './validate.js';
import serve from './serve.js';
import replay from './replay.js';
import audit from './audit.js';

/** Every `pmsim` sub-command. Each command module adds one line here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [run, validate, list, schema, sweep, merge, report, serve, replay, audit];
