import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandModule } from 'yargs';
import { UsageError } from '../errors.js';

interface ExploreArgs {
  scenario?: string;
  port: number;
  'allow-outside-traces': boolean;
}

/** The built explorer (`npm run build:web`), beside the compiled CLI: dist/web. */
export const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** What the page fetches as ./scenario.json: the scenario given on the command line and its traces. */
export interface ServedScenario {
  readonly file: string;
  readonly text: string;
  readonly traces: Record<string, string>;
}

/**
 * Reads and validates a scenario file as `pmsim validate` does (same messages, same trace-folder
 * rule), keeping the text of every trace file it names so the browser gets them too. The parser is
 * loaded on demand, so that `pmsim --help` does not pay for it.
 */
export async function readServedScenario(file: string, allowOutsideTraces = false): Promise<ServedScenario> {
  const { readScenarioText, traceReaderFor } = await import('../../scenario/load.js');
  const { parseScenarioTextWith } = await import('../../scenario/parse.js');
  const text = readScenarioText(file);
  const read = traceReaderFor(file, { allowOutsideTraces });
  const traces: Record<string, string> = {};
  parseScenarioTextWith(text, file, (name) => {
    const t = read(name);
    traces[name] = t.text;
    return t;
  });
  return { file, text, traces };
}

/** A static server for `dir` on 127.0.0.1, plus ./scenario.json when a scenario is given. */
export function exploreServer(dir: string, scenario?: ServedScenario): Server {
  const root = resolve(dir);
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (url.pathname === '/scenario.json') {
      if (!scenario) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': TYPES['.json'], 'cache-control': 'no-store' }).end(JSON.stringify(scenario));
      return;
    }
    if (scenario && url.pathname === '/' && !url.searchParams.has('scenario')) {
      // Open the scenario given on the command line (the page reads ?scenario=).
      res.writeHead(302, { location: '/?scenario=scenario.json' }).end();
      return;
    }
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const path = normalize(join(root, rel));
    if (!path.startsWith(root + sep) || !existsSync(path) || path.endsWith(sep)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res
      .writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' })
      .end(req.method === 'HEAD' ? undefined : readFileSync(path));
  });
}

/** `pmsim explore [scenario]`: serves the in-browser explorer on 127.0.0.1 until interrupted. */
const command: CommandModule<object, ExploreArgs> = {
  command: 'explore [scenario]',
  describe: 'Serve the interactive explorer (the simulator running in your browser) on 127.0.0.1',
  builder: (y) =>
    y
      .positional('scenario', { type: 'string', describe: 'Scenario file to open (default: the bundled default scenario)' })
      .option('port', { type: 'number', default: 5317, describe: 'Port on 127.0.0.1 (0: any free port)' })
      .option('allow-outside-traces', { type: 'boolean', default: false, describe: "Let trace files lie outside the scenario's folder" })
      .example('$0 explore', 'open http://127.0.0.1:5317/ in a browser')
      .example('$0 explore scenarios/attacks/cartel.yaml --port 8080', 'start from a scenario file'),
  handler: async (a) => {
    if (!Number.isInteger(a.port) || a.port < 0 || a.port > 65535)
      throw new UsageError(`--port expects a whole number from 0 to 65535, got ${a.port}`);
    if (!existsSync(join(WEB_DIR, 'index.html')))
      throw new UsageError(`the explorer is not built (no ${join(WEB_DIR, 'index.html')}): run npm run build:web`);
    const scenario = a.scenario === undefined ? undefined : await readServedScenario(a.scenario, a['allow-outside-traces']);
    const server = exploreServer(WEB_DIR, scenario);
    await new Promise<void>((ok, fail) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        fail(e.code === 'EADDRINUSE' ? new UsageError(`port ${a.port} is in use (try --port 0 for a free one)`) : e),
      );
      server.listen(a.port, '127.0.0.1', ok);
    });
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : a.port;
    process.stdout.write(`pmsim explorer: http://127.0.0.1:${port}/  (Ctrl-C to stop)\n`);
    await new Promise<void>((done) => {
      const stop = (): void => {
        server.close(() => done());
        server.closeAllConnections();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
};

export default command;
