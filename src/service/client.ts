import { Agent, request } from 'node:http';
import { SIGNATURE_HEADER, type OperatorKey } from './auth.js';

/** A response: status, parsed JSON body (or undefined) and the raw text. */
export interface ClientResponse {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  // biome-ignore lint/suspicious/noExplicitAny: the parsed JSON of any endpoint; callers read the fields they asked for
  readonly body: any;
  readonly text: string;
}

/**
 * A small HTTP client for the coordinator (replay, audit, tests, the load benchmark): keep-alive
 * connections on loopback, JSON bodies, and Ed25519 signatures for operator requests.
 */
export class ServiceClient {
  private readonly base: URL;
  private readonly agent: Agent;

  constructor(baseUrl: string, maxSockets = 8) {
    this.base = new URL(baseUrl);
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  get(path: string): Promise<ClientResponse> {
    return this.send('GET', path, undefined, {});
  }

  /** POSTs a JSON body; with `key`, signs it (method, path, exact body bytes). */
  post(path: string, body: unknown, key?: OperatorKey): Promise<ClientResponse> {
    const text = JSON.stringify(body);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key) headers[SIGNATURE_HEADER] = key.sign('POST', path, text);
    return this.send('POST', path, text, headers);
  }

  /** Sends raw bytes with the given headers (for tests of malformed requests). */
  send(method: string, path: string, body: string | Buffer | undefined, headers: Record<string, string>): Promise<ClientResponse> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.base.hostname,
          port: this.base.port,
          method,
          path,
          agent: this.agent,
          headers: body !== undefined ? { ...headers, 'content-length': String(Buffer.byteLength(body)) } : headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (b: Buffer) => chunks.push(b));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = (res.headers['content-type'] ?? '').startsWith('application/json') ? JSON.parse(text) : undefined;
            } catch {
              parsed = undefined;
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, text });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
