import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodType } from 'zod';
import type { Reply } from './coordinator.js';
import { RequestError, fromZod } from './errors.js';

// The HTTP API's small I/O helpers: parsing a body, a path id or a query number into a clear 4xx, and writing replies.

/** The body checked against its schema, or the schema's first error as a 400. */
export function parse<T>(schema: ZodType<T>, json: unknown): T {
  const r = schema.safeParse(json);
  if (!r.success) throw fromZod(r.error);
  return r.data;
}

/** A path segment that must be a whole number. */
export function pathId(text: string, field: string): number {
  if (!/^\d{1,15}$/.test(text)) throw new RequestError(400, field, `expected a whole number ≥ 0, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** A query parameter that must be a whole number, or its default. */
export function queryInt(url: URL, name: string, dflt: number): number {
  const v = url.searchParams.get(name);
  if (v === null) return dflt;
  if (!/^\d{1,15}$/.test(v)) throw new RequestError(400, name, `expected a whole number ≥ 0, got ${JSON.stringify(v)}`);
  return Number(v);
}

/** The 404 of a GET to no known endpoint. */
export function notFound(path: string): RequestError {
  return new RequestError(404, 'path', `expected a known endpoint (see docs/coordinator.md), got GET ${path}`);
}

/** Replies with `v`, or a 404 naming the field when there is none. */
export function found(res: ServerResponse, v: unknown, field: string, idText: string): void {
  if (v === undefined) throw new RequestError(404, field, `expected an existing ${field}, got ${idText}`);
  json(res, v);
}

/** The request's body, refused with a 413 past `max` bytes (declared or sent). */
export function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
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

/** Writes a coordinator reply (status and JSON). */
export function send(res: ServerResponse, r: Reply): void {
  res.writeHead(r.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(r.json) });
  res.end(r.json);
}

/** Replies 200 with `v` as JSON. */
export function json(res: ServerResponse, v: unknown): void {
  send(res, { status: 200, json: JSON.stringify(v) });
}

/** Replies 200 with a text body of the given content type. */
export function text(res: ServerResponse, body: string, type: string): void {
  res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
