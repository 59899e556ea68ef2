import type { CommandModule } from 'yargs';
import { UsageError } from '../errors.js';

interface ServeArgs {
  scenario: string;
  mechanism: string;
  host: string;
  port: number;
  db: string;
  clock: 'wall' | 'manual';
  sync: 'full' | 'normal';
  'max-body': number;
}

/** `pmsim serve`: the live coordinator, a JSON HTTP API over one mechanism of a scenario. */
const command: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'Run a live coordinator: a JSON HTTP API over one mechanism of a scenario, with an SQLite input log',
  builder: (y) =>
    y
      .option('scenario', { type: 'string', demandOption: true, describe: 'Scenario file: its mechanism entry gives the parameters' })
      .option('mechanism', { type: 'string', demandOption: true, describe: "Label (or id) of one of the scenario's mechanisms" })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to listen on (loopback by default)' })
      .option('port', { type: 'number', default: 8787, describe: 'Port (0 picks a free one)' })
      .option('db', { type: 'string', default: 'pmsim-coordinator.db', describe: 'SQLite input log (":memory:" keeps nothing)' })
      .option('clock', {
        choices: ['wall', 'manual'] as const,
        default: 'wall' as const,
        describe: 'wall time, or manual (time moves only on request: replay, tests)',
      })
      .option('sync', {
        choices: ['full', 'normal'] as const,
        default: 'full' as const,
        describe: 'full: fsync every commit (survives power loss); normal: survives a killed process',
      })
      .option('max-body', { type: 'number', default: 65536, describe: 'Largest request body in bytes' })
      .example('$0 serve --scenario scenarios/default.yaml --mechanism random --port 8787', 'random allocation on wall time')
      .example('$0 serve --scenario s.yaml --mechanism race --clock manual --db :memory:', 'for `pmsim replay`'),
  handler: async (a) => {
    // Loaded here, not at the top: the scenario schema pulls in zod and every mechanism, which `pmsim --help` never needs.
    const { loadScenarioFile } = await import('../../scenario/load.js');
    const scenario = loadScenarioFile(a.scenario);
    if (!Number.isInteger(a.port) || a.port < 0 || a.port > 65535) throw new UsageError(`--port: expected a port 0-65535, got ${a.port}`);
    // Loaded on demand: the native SQLite module is only needed by `serve`.
    const { ServiceConfigError, startService } = await import('../../service/index.js');
    let svc: Awaited<ReturnType<typeof startService>>;
    try {
      svc = await startService({
        scenario,
        mechanism: a.mechanism,
        host: a.host,
        port: a.port,
        db: a.db,
        clock: a.clock,
        sync: a.sync,
        maxBody: a['max-body'],
      });
    } catch (e) {
      if (e instanceof ServiceConfigError) throw new UsageError(e.message);
      throw e;
    }
    process.stdout.write(
      `pmsim serve: ${svc.coordinator.core.config.label} on ${svc.url} (clock ${a.clock}, db ${a.db}, ${svc.restored} log entries replayed)\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void svc.close().then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  },
};

export default command;
