import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startService } from '../src/service/index.js';
import { ServiceClient } from '../src/service/client.js';
import { scenario } from './helpers.js';

const s = scenario({ mechanisms: ['random'] });
const job = (id: string, extra: Record<string, unknown> = {}) => ({ id, mcycles: 300, max_price_micros: 500_000, ...extra });

/** Reads server-sent events from `path` until `n` events came; returns their data. */
function sse(url: string, path: string, n: number): Promise<{ id: string; data: string }[]> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path, headers: { accept: 'text/event-stream' } }, (res) => {
      expect(res.headers['content-type']).toBe('text/event-stream');
      let buf = '';
      const events: { id: string; data: string }[] = [];
      res.on('data', (b: Buffer) => {
        buf += b.toString();
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          events.push({ id: /^id: (.*)$/m.exec(block)![1]!, data: /^data: (.*)$/m.exec(block)![1]! });
          if (events.length === n) {
            req.destroy();
            resolve(events);
          }
        }
      });
    });
    req.on('error', (e) => (e.message.includes('aborted') || e.message.includes('socket hang up') ? undefined : reject(e)));
    req.end();
  });
}

describe('the clock, the timers and the decision stream', () => {
  it('on wall time the coordinator fires a due timer itself (a job nobody can take expires at its deadline)', async () => {
    const svc = await startService({ scenario: s, mechanism: 'random', db: ':memory:' });
    const c = new ServiceClient(svc.url);
    try {
      expect((await c.post('/v1/jobs', job('j0', { deadline_s: 0.3 }))).status).toBe(201);
      expect((await c.get('/v1/jobs/0')).body.status).toBe('open');
      let status = '';
      for (let i = 0; i < 50 && status !== 'closed'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        status = (await c.get('/v1/jobs/0')).body.status;
      }
      expect(status).toBe('closed');
      expect((await c.get('/v1/jobs/0')).body.outcome).toBe('expired');
    } finally {
      c.close();
      await svc.close();
    }
  });

  it('on the manual clock, time moves only on request: timers due before `to` fire, `fire` bounds those due at it, and the clock never goes back', async () => {
    const svc = await startService({ scenario: s, mechanism: 'random', db: ':memory:', clock: 'manual' });
    const c = new ServiceClient(svc.url);
    try {
      await c.post('/v1/jobs', job('a', { deadline_at: 100 }));
      await c.post('/v1/jobs', job('b', { deadline_at: 100 }));
      await c.post('/v1/jobs', job('c', { deadline_at: 50 }));
      const one = await c.post('/v1/clock', { id: 't1', to: 100, fire: 1 });
      expect(one.body.steps.map((x: { input: { jobId: number } }) => x.input.jobId)).toEqual([2, 0]);
      const rest = await c.post('/v1/clock', { id: 't2', to: 100 });
      expect(rest.body.steps.map((x: { input: { jobId: number } }) => x.input.jobId)).toEqual([1]);
      const back = await c.post('/v1/clock', { id: 't3', to: 99 });
      expect(back.status).toBe(409);
      expect(back.body.field).toBe('to');
      expect((await c.get('/health')).body.now).toBe(100);
    } finally {
      c.close();
      await svc.close();
    }
  });

  it('operators can follow the decisions by long polling and by server-sent events, from any position', async () => {
    const svc = await startService({ scenario: s, mechanism: 'random', db: ':memory:', clock: 'manual' });
    const c = new ServiceClient(svc.url);
    try {
      const waiting = c.get('/v1/decisions?after=0&wait_ms=5000');
      const events = sse(svc.url, '/v1/stream?after=0', 3);
      await new Promise((r) => setTimeout(r, 50));
      await c.post('/v1/jobs', job('a', { deadline_s: 60 }));
      const first = await waiting;
      expect(first.body.steps.length).toBeGreaterThan(0);
      await c.post('/v1/jobs', job('b', { deadline_s: 60 }));
      const all = await c.get('/v1/decisions?after=0');
      expect(all.body.steps.map((x: { seq: number }) => x.seq)).toEqual((await events).map((e) => Number(e.id)));
      const later = await c.get(`/v1/decisions?after=${all.body.steps[1].seq}`);
      expect(later.body.steps).toEqual(all.body.steps.slice(2));
      const resumed = await sse(svc.url, `/v1/stream?after=${all.body.steps[0].seq}`, 2);
      expect(resumed.map((e) => JSON.parse(e.data))).toEqual(all.body.steps.slice(1));
      const nothing = await c.get(`/v1/decisions?after=${all.body.last}&wait_ms=20`);
      expect(nothing.body.steps).toEqual([]);
    } finally {
      c.close();
      await svc.close();
    }
  });
});
