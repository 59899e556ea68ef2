import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Coordinator } from './coordinator.js';
import { RequestError } from './errors.js';
import { getRoute } from './http-get.js';
import { readBody, send } from './http-io.js';
import { postCommand } from './http-post.js';

/** Options of {@link createHttpServer}. */
export interface HttpOptions {
  readonly coordinator: Coordinator;
  readonly scenario: string;
  readonly seed: number;
  /** Largest accepted request body, in bytes (default 64 KiB). */
  readonly maxBody?: number;
}

/**
 * The coordinator's JSON HTTP API on node:http. Write endpoints are POSTs with a JSON body (an
 * `id` in each); operators sign theirs (header `x-pmsim-signature`). Every refusal is a 4xx with
 * `{"error": "field: …", "field", "message"}` and changes nothing. See docs/coordinator.md.
 * Reads are routed in http-get.ts, writes checked in http-post.ts.
 */
export function createHttpServer(o: HttpOptions): Server {
  const maxBody = o.maxBody ?? 65536;
  const get = { c: o.coordinator, scenario: o.scenario, seed: o.seed };
  const server = createServer((req, res) => {
    handle(o.coordinator, get, maxBody, req, res).catch((e: unknown) => refuse(res, e));
  });
  server.keepAliveTimeout = 10_000;
  return server;
}

/** One request: a GET is read at once; a POST's JSON body becomes a command the coordinator queues. */
async function handle(
  c: Coordinator,
  get: Parameters<typeof getRoute>[0],
  maxBody: number,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const parts = url.pathname.split('/').filter(Boolean);
  if (req.method === 'GET') return getRoute(get, parts, url, req, res);
  if (req.method !== 'POST') throw new RequestError(405, 'method', `expected GET or POST, got ${req.method}`);
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type))
    throw new RequestError(415, 'content-type', `expected application/json, got ${type || 'nothing'}`);
  const raw = await readBody(req, maxBody);
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new RequestError(400, 'body', `expected a JSON object, got ${JSON.stringify(raw.subarray(0, 30).toString('utf8'))}…`);
  }
  send(res, await c.enqueue(postCommand(c, parts, url.pathname, json, raw, req)));
}

/** A request's error as its reply: a RequestError's 4xx, or a logged 500 that names nothing internal. */
function refuse(res: ServerResponse, e: unknown): void {
  const err = e instanceof RequestError ? e : undefined;
  if (!err) process.stderr.write(`pmsim serve: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  if (res.headersSent) return void res.end();
  send(
    res,
    err
      ? { status: err.status, json: JSON.stringify(err) }
      : { status: 500, json: '{"error":"internal error","field":"","message":"internal error"}' },
  );
}
