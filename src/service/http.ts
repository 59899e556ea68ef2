import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ZodType } from 'zod';
import { SIGNATURE_HEADER, importPublicKey, verifySignature } from './auth.js';
import type { Command, Coordinator, JobInputType, NodeInputType, Reply } from './coordinator.js';
import { stepJson } from './coordinator.js';
import { RequestError, fromZod } from './errors.js';
import { clockSchema, jobInputSchema, nodeInputSchema, registerSchema, submitSchema } from './schemas.js';
import { auditView, beaconView, firstAfter, jobSteps, jobView, metricsText, operatorView, recordLines } from './views.js';

/** Options of {@link createHttpServer}. */
export interface HttpOptions {
  readonly coordinator: Coordinator;
  readonly scenario: string;
  readonly seed: number;
  /** Largest accepted request body, in bytes (default 64 KiB). */
  readonly maxBody?: number;
}

const JOB_INPUTS: readonly JobInputType[] = ['decline', 'bid', 'lock', 'join', 'deliver', 'fail'];
const NODE_INPUTS: readonly NodeInputType[] = ['ask', 'cancel-ask', 'available', 'join', 'leave'];
const MAX_WAIT_MS = 30_000;

/**
 * The coordinator's JSON HTTP API on node:http. Write endpoints are POSTs with a JSON body (an
 * `id` in each); operators sign theirs (header `x-pmsim-signature`). Every refusal is a 4xx with
 * `{"error": "field: …", "field", "message"}` and changes nothing. See docs/coordinator.md.
 */
export function createHttpServer(o: HttpOptions): Server {
  const c = o.coordinator;
  const maxBody = o.maxBody ?? 65536;
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const err = e instanceof RequestError ? e : undefined;
      if (!err) process.stderr.write(`pmsim serve: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      if (!res.headersSent)
        send(
          res,
          err
            ? { status: err.status, json: JSON.stringify(err) }
            : { status: 500, json: '{"error":"internal error","field":"","message":"internal error"}' },
        );
      else res.end();
    });
  });
  server.keepAliveTimeout = 10_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean);
    if (req.method === 'GET') return get(parts, url, req, res);
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
    const cmd = command(parts, url.pathname, json, raw, req);
    send(res, await c.enqueue(cmd));
  }

  /** Validates a POST and checks its signature; the coordinator checks the rest. */
  function command(parts: string[], path: string, json: unknown, raw: Buffer, req: IncomingMessage): Command {
    const sig = req.headers[SIGNATURE_HEADER] as string | undefined;
    const [v1, what, idText, verb] = parts;
    if (v1 === 'v1' && what === 'jobs' && parts.length === 2) return { kind: 'submit', body: parse(submitSchema, json) };
    if (v1 === 'v1' && what === 'clock' && parts.length === 2) return { kind: 'clock', body: parse(clockSchema, json) };
    if (v1 === 'v1' && what === 'operators' && parts.length === 2) {
      const body = parse(registerSchema, json);
      let key;
      try {
        key = importPublicKey(body.public_key);
      } catch {
        throw new RequestError(400, 'public_key', 'expected an Ed25519 public key, got bytes that are not one');
      }
      if (!verifySignature(key, 'POST', path, raw, sig))
        throw new RequestError(
          401,
          'signature',
          'expected a signature of the request by the key being registered, got none or a wrong one',
        );
      return { kind: 'register', body };
    }
    if (v1 === 'v1' && what === 'jobs' && parts.length === 4 && JOB_INPUTS.includes(verb as JobInputType)) {
      const jobId = pathId(idText!, 'job_id');
      const body = parse(jobInputSchema, json);
      authenticate(body.operator, path, raw, sig);
      return { kind: 'job', type: verb as JobInputType, jobId, operator: body.operator, body };
    }
    if (v1 === 'v1' && what === 'operators' && parts.length === 4 && NODE_INPUTS.includes(verb as NodeInputType)) {
      const operator = pathId(idText!, 'operator');
      const body = parse(nodeInputSchema, json);
      authenticate(operator, path, raw, sig);
      return { kind: 'node', type: verb as NodeInputType, operator, body };
    }
    throw new RequestError(404, 'path', `expected a known endpoint (see docs/coordinator.md), got POST ${path}`);
  }

  function authenticate(operator: number, path: string, raw: Buffer, sig: string | undefined): void {
    const op = c.operators[operator];
    if (!op) throw new RequestError(404, 'operator', `expected a registered operator, got ${operator} (${c.operators.length} registered)`);
    if (!verifySignature(op.key, 'POST', path, raw, sig))
      throw new RequestError(401, 'signature', `expected a signature by operator ${operator}'s registered key, got none or a wrong one`);
  }

  function get(parts: string[], url: URL, req: IncomingMessage, res: ServerResponse): void {
    const [v1, what, idText, sub] = parts;
    if (parts.length === 1 && v1 === 'health')
      return json(res, {
        ok: true,
        mechanism: c.core.config.label,
        mechanism_id: c.core.config.id,
        clock: c.clockMode,
        now: c.now,
        seq: c.lastSeq,
        started: c.core.isStarted,
      });
    if (parts.length === 1 && v1 === 'metrics') return text(res, metricsText(c), 'text/plain; version=0.0.4');
    if (v1 !== 'v1') throw notFound(url.pathname);
    if (what === 'ledger' && parts.length === 2) return json(res, { accounts: c.ledger.accounts(), reconcile: c.ledger.reconcile() });
    if (what === 'record' && parts.length === 2)
      return text(res, `${[...recordLines(c, o.scenario, o.seed)].join('\n')}\n`, 'application/x-ndjson');
    if (what === 'decisions' && parts.length === 2) return longPoll(url, res);
    if (what === 'stream' && parts.length === 2) return stream(url, req, res);
    if (what === 'inputs' && parts.length === 3) {
      const seq = c.seqOf(decodeURIComponent(idText!));
      if (seq === undefined) throw new RequestError(404, 'id', `expected an acknowledged input id, got ${JSON.stringify(idText)}`);
      return json(res, { id: decodeURIComponent(idText!), seq });
    }
    if (what === 'beacon' && parts.length === 3) return found(res, beaconView(c, pathId(idText!, 'seq')), 'seq', idText!);
    if (what === 'operators' && parts.length === 3) return found(res, operatorView(c, pathId(idText!, 'operator')), 'operator', idText!);
    if (what === 'jobs' && (parts.length === 3 || parts.length === 4)) {
      const id = pathId(idText!, 'job_id');
      if (!c.jobs[id]) throw new RequestError(404, 'job_id', `expected a submitted job, got ${id} (${c.jobs.length} jobs so far)`);
      if (sub === undefined) return json(res, jobView(c, id));
      if (sub === 'decisions')
        return text(res, `{"job_id":${id},"steps":[${jobSteps(c, id).map(stepJson).join(',')}]}`, 'application/json');
      if (sub === 'settlement') return json(res, { job_id: id, settlement: c.ledger.settlement(id) });
      if (sub === 'audit') return json(res, auditView(c, id));
    }
    throw notFound(url.pathname);
  }

  /** `GET /v1/decisions?after=SEQ&limit=N&wait_ms=T`: steps after SEQ, waiting up to T ms for one. */
  function longPoll(url: URL, res: ServerResponse): void {
    const after = queryInt(url, 'after', 0);
    const limit = Math.min(10_000, queryInt(url, 'limit', 1000));
    const wait = Math.min(MAX_WAIT_MS, queryInt(url, 'wait_ms', 0));
    const reply = (): void => {
      const i = firstAfter(c.steps, after);
      const steps = c.steps.slice(i, i + limit);
      const last = steps.length > 0 ? steps[steps.length - 1]!.seq : after;
      text(res, `{"after":${after},"last":${last},"steps":[${steps.map(stepJson).join(',')}]}`, 'application/json');
    };
    if (wait === 0 || firstAfter(c.steps, after) < c.steps.length) return reply();
    let timer: NodeJS.Timeout | undefined;
    const stop = c.subscribe(() => {
      stop();
      clearTimeout(timer);
      reply();
    });
    timer = setTimeout(() => {
      stop();
      reply();
    }, wait);
    res.on('close', () => {
      stop();
      clearTimeout(timer);
    });
  }

  /** `GET /v1/stream?after=SEQ`: server-sent events, one `step` event per core step. */
  function stream(url: URL, req: IncomingMessage, res: ServerResponse): void {
    const last = req.headers['last-event-id'];
    const after = last !== undefined ? Number(last) || 0 : queryInt(url, 'after', 0);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    const write = (s: { seq: number }, body: string): void => void res.write(`id: ${s.seq}\nevent: step\ndata: ${body}\n\n`);
    for (let i = firstAfter(c.steps, after); i < c.steps.length; i++) write(c.steps[i]!, stepJson(c.steps[i]!));
    const stop = c.subscribe((s) => write(s, stepJson(s)));
    res.on('close', stop);
  }

  return server;
}

function parse<T>(schema: ZodType<T>, json: unknown): T {
  const r = schema.safeParse(json);
  if (!r.success) throw fromZod(r.error);
  return r.data;
}

function pathId(text: string, field: string): number {
  if (!/^\d{1,15}$/.test(text)) throw new RequestError(400, field, `expected a whole number ≥ 0, got ${JSON.stringify(text)}`);
  return Number(text);
}

function queryInt(url: URL, name: string, dflt: number): number {
  const v = url.searchParams.get(name);
  if (v === null) return dflt;
  if (!/^\d{1,15}$/.test(v)) throw new RequestError(400, name, `expected a whole number ≥ 0, got ${JSON.stringify(v)}`);
  return Number(v);
}

function notFound(path: string): RequestError {
  return new RequestError(404, 'path', `expected a known endpoint (see docs/coordinator.md), got GET ${path}`);
}

function found(res: ServerResponse, v: unknown, field: string, idText: string): void {
  if (v === undefined) throw new RequestError(404, field, `expected an existing ${field}, got ${idText}`);
  json(res, v);
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > max) {
    req.resume();
    return Promise.reject(new RequestError(413, 'body', `expected at most ${max} bytes, got ${declared}`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (b: Buffer) => {
      size += b.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.resume();
        reject(new RequestError(413, 'body', `expected at most ${max} bytes, got more`));
      } else chunks.push(b);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, r: Reply): void {
  res.writeHead(r.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(r.json) });
  res.end(r.json);
}

function json(res: ServerResponse, v: unknown): void {
  send(res, { status: 200, json: JSON.stringify(v) });
}

function text(res: ServerResponse, body: string, type: string): void {
  res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
