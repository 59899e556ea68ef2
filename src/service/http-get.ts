import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Coordinator } from './coordinator.js';
import { stepJson } from './coordinator.js';
import { RequestError } from './errors.js';
import { found, json, notFound, pathId, queryInt, text } from './http-io.js';
import { auditView, beaconView, firstAfter, jobSteps, jobView, metricsText, operatorView, recordLines } from './views.js';

const MAX_WAIT_MS = 30_000;

/** What a GET reads: the coordinator, and the scenario and seed its record names. */
export interface GetContext {
  readonly c: Coordinator;
  readonly scenario: string;
  readonly seed: number;
}

/** `GET /health`: the mechanism, the clock and how far the coordinator is. */
function health(c: Coordinator): unknown {
  return {
    ok: true,
    mechanism: c.core.config.label,
    mechanism_id: c.core.config.id,
    clock: c.clockMode,
    now: c.now,
    seq: c.lastSeq,
    started: c.core.isStarted,
  };
}

/** `GET /v1/jobs/ID[/decisions|settlement|audit]`. */
function getJob(c: Coordinator, idText: string, sub: string | undefined, url: URL, res: ServerResponse): void {
  const id = pathId(idText, 'job_id');
  if (!c.jobs[id]) throw new RequestError(404, 'job_id', `expected a submitted job, got ${id} (${c.jobs.length} jobs so far)`);
  if (sub === undefined) return json(res, jobView(c, id));
  if (sub === 'decisions') return text(res, `{"job_id":${id},"steps":[${jobSteps(c, id).map(stepJson).join(',')}]}`, 'application/json');
  if (sub === 'settlement') return json(res, { job_id: id, settlement: c.ledger.settlement(id) });
  if (sub === 'audit') return json(res, auditView(c, id));
  throw notFound(url.pathname);
}

/** Routes a GET: health, metrics, the ledger, the record, decisions (long poll or stream), inputs, beacons, operators, jobs. */
export function getRoute(g: GetContext, parts: string[], url: URL, req: IncomingMessage, res: ServerResponse): void {
  const c = g.c;
  const [v1, what, idText, sub] = parts;
  if (parts.length === 1 && v1 === 'health') return json(res, health(c));
  if (parts.length === 1 && v1 === 'metrics') return text(res, metricsText(c), 'text/plain; version=0.0.4');
  if (v1 !== 'v1') throw notFound(url.pathname);
  if (what === 'ledger' && parts.length === 2) return json(res, { accounts: c.ledger.accounts(), reconcile: c.ledger.reconcile() });
  if (what === 'record' && parts.length === 2)
    return text(res, `${[...recordLines(c, g.scenario, g.seed)].join('\n')}\n`, 'application/x-ndjson');
  if (what === 'decisions' && parts.length === 2) return longPoll(c, url, res);
  if (what === 'stream' && parts.length === 2) return stream(c, url, req, res);
  if (what === 'inputs' && parts.length === 3) {
    const seq = c.seqOf(decodeURIComponent(idText!));
    if (seq === undefined) throw new RequestError(404, 'id', `expected an acknowledged input id, got ${JSON.stringify(idText)}`);
    return json(res, { id: decodeURIComponent(idText!), seq });
  }
  if (what === 'beacon' && parts.length === 3) return found(res, beaconView(c, pathId(idText!, 'seq')), 'seq', idText!);
  if (what === 'operators' && parts.length === 3) return found(res, operatorView(c, pathId(idText!, 'operator')), 'operator', idText!);
  if (what === 'jobs' && (parts.length === 3 || parts.length === 4)) return getJob(c, idText!, sub, url, res);
  throw notFound(url.pathname);
}

/** `GET /v1/decisions?after=SEQ&limit=N&wait_ms=T`: steps after SEQ, waiting up to T ms for one. */
function longPoll(c: Coordinator, url: URL, res: ServerResponse): void {
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
function stream(c: Coordinator, url: URL, req: IncomingMessage, res: ServerResponse): void {
  const last = req.headers['last-event-id'];
  const after = last !== undefined ? Number(last) || 0 : queryInt(url, 'after', 0);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  const write = (s: { seq: number }, body: string): void => void res.write(`id: ${s.seq}\nevent: step\ndata: ${body}\n\n`);
  for (let i = firstAfter(c.steps, after); i < c.steps.length; i++) write(c.steps[i]!, stepJson(c.steps[i]!));
  const stop = c.subscribe((s) => write(s, stepJson(s)));
  res.on('close', stop);
}
