import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newOperatorKey, startService, type RunningService } from '../src/service/index.js';
import { ServiceClient } from '../src/service/client.js';
import { SIGNATURE_HEADER } from '../src/service/auth.js';
import { scenario } from './helpers.js';

const s = scenario({ mechanisms: ['race'] });
let svc: RunningService;
let c: ServiceClient;
const k0 = newOperatorKey();
const k1 = newOperatorKey();
const capacity = { cpus: 16, gpus: 1, memory_gb: 64 };

/** Everything observable: the record export, the ledger and the log position. */
async function snapshot(): Promise<string> {
  const [rec, ledger, health] = await Promise.all([c.get('/v1/record'), c.get('/v1/ledger'), c.get('/health')]);
  return `${rec.text}\n${ledger.text}\n${health.text}`;
}

beforeAll(async () => {
  svc = await startService({ scenario: s, mechanism: 'race', db: ':memory:', clock: 'manual', maxBody: 4096 });
  c = new ServiceClient(svc.url);
  expect((await c.post('/v1/operators', { id: 'r0', public_key: k0.publicKey, capacity }, k0)).status).toBe(201);
  expect((await c.post('/v1/operators', { id: 'r1', public_key: k1.publicKey, capacity }, k1)).status).toBe(201);
  const sub = await c.post('/v1/jobs', { id: 'j0', at: 0, mcycles: 300, deadline_s: 7200, max_price_micros: 500_000 });
  expect(sub.status).toBe(201);
  // The race's join window: operator 0 joins in time and delivers once. (The race's solicitation
  // is open until the job's deadline, 7,200 s: a join or lock after it is late.)
  expect((await c.post('/v1/jobs/0/join', { id: 'l0', operator: 0 }, k0)).body.steps[0].decisions[0].type).toBe('assign');
  expect((await c.post('/v1/clock', { id: 'c0', to: 0 })).status).toBe(200);
  expect((await c.post('/v1/jobs/0/deliver', { id: 'd0', at: 100, operator: 0, proof: 'AAEC' }, k0)).status).toBe(200);
});

afterAll(async () => {
  c.close();
  await svc.close();
});

// biome-ignore lint/suspicious/noExplicitAny: the error bodies of different endpoints
type Case = { name: string; status: number; field: string; send: () => Promise<{ status: number; body: any }> };
const cases: Case[] = [
  {
    name: 'a request signed by another key',
    status: 401,
    field: 'signature',
    send: () => c.post('/v1/jobs/0/fail', { id: 'x1', operator: 1 }, k0),
  },
  {
    name: 'an unsigned operator request',
    status: 401,
    field: 'signature',
    send: () => c.post('/v1/jobs/0/fail', { id: 'x2', operator: 1 }),
  },
  {
    name: 'a registration not signed by the key it registers',
    status: 401,
    field: 'signature',
    send: () => c.post('/v1/operators', { id: 'x3', public_key: newOperatorKey().publicKey, capacity }, k0),
  },
  { name: 'an unknown job', status: 404, field: 'job_id', send: () => c.post('/v1/jobs/99/deliver', { id: 'x4', operator: 0 }, k0) },
  { name: 'an unknown operator', status: 404, field: 'operator', send: () => c.post('/v1/jobs/0/deliver', { id: 'x5', operator: 7 }, k0) },
  {
    name: 'an unknown operator (node input)',
    status: 404,
    field: 'operator',
    send: () => c.post('/v1/operators/7/available', { id: 'x6' }, k0),
  },
  {
    name: 'a duplicate delivery (a new id, the same job and operator)',
    status: 409,
    field: 'job_id',
    send: () => c.post('/v1/jobs/0/deliver', { id: 'x7', operator: 0 }, k0),
  },
  {
    name: 'a join after its window',
    status: 409,
    field: 'job_id',
    send: () => c.post('/v1/jobs/0/join', { id: 'x8', at: 8000, operator: 1 }, k1),
  },
  {
    name: 'a lock after its window',
    status: 409,
    field: 'job_id',
    send: () => c.post('/v1/jobs/0/lock', { id: 'x9', at: 8000, operator: 1 }, k1),
  },
  {
    name: 'a body over the size limit',
    status: 413,
    field: 'body',
    send: () => c.post('/v1/jobs', { id: 'x10', mcycles: 1, deadline_s: 9, max_price_micros: 1, kind: 'k'.repeat(5000) }),
  },
  {
    name: 'a wrong content type',
    status: 415,
    field: 'content-type',
    send: () => c.send('POST', '/v1/jobs', '{"id":"x11"}', { 'content-type': 'text/plain' }),
  },
  {
    name: 'a body that is not JSON',
    status: 400,
    field: 'body',
    send: () => c.send('POST', '/v1/jobs', '{"id":', { 'content-type': 'application/json' }),
  },
  {
    name: 'a missing field',
    status: 400,
    field: 'mcycles',
    send: () => c.post('/v1/jobs', { id: 'x13', deadline_s: 60, max_price_micros: 1 }),
  },
  {
    name: 'a field of the wrong type',
    status: 400,
    field: 'capacity.gpus',
    send: () => c.post('/v1/operators', { id: 'x14', public_key: k0.publicKey, capacity: { gpus: 'one' } }, k0),
  },
  {
    name: 'an unknown key',
    status: 400,
    field: 'body',
    send: () => c.post('/v1/jobs', { id: 'x15', mcycles: 1, deadline_s: 60, max_price_micros: 1, colour: 'red' }),
  },
  {
    name: 'a time before the clock',
    status: 409,
    field: 'at',
    send: () => c.post('/v1/jobs', { id: 'x16', at: 5, mcycles: 1, deadline_s: 60, max_price_micros: 1 }),
  },
  {
    name: 'a malformed signature header',
    status: 401,
    field: 'signature',
    send: () =>
      c.send('POST', '/v1/jobs/0/fail', '{"id":"x17","operator":1}', { 'content-type': 'application/json', [SIGNATURE_HEADER]: '!!' }),
  },
  { name: 'an unknown endpoint', status: 404, field: 'path', send: () => c.post('/v1/nothing', { id: 'x18' }) },
];

describe('malformed requests get a 4xx with a JSON error naming the field, and change nothing', () => {
  for (const k of cases) {
    it(`${k.name}: ${k.status}, field ${k.field}`, async () => {
      const before = await snapshot();
      const r = await k.send();
      expect(r.status).toBe(k.status);
      expect(r.body.field).toBe(k.field);
      expect(r.body.error).toMatch(new RegExp(`^${k.field.replace('.', '\\.')}: `));
      expect(await snapshot()).toBe(before);
    });
  }

  it('a repeated input id is a no-op that says so', async () => {
    const before = await snapshot();
    const r = await c.post('/v1/jobs/0/deliver', { id: 'd0', at: 100, operator: 0, proof: 'AAEC' }, k0);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, duplicate: true, id: 'd0' });
    expect(await snapshot()).toBe(before);
  });

  it("an input the core itself refuses (a second join by the same operator) gets its 4xx naming the field; jobs and ledger are unchanged and the core's refusal is logged as its step", async () => {
    expect((await c.post('/v1/jobs', { id: 'j1', at: 200, mcycles: 300, deadline_s: 7200, max_price_micros: 500_000 })).status).toBe(201);
    expect((await c.post('/v1/jobs/1/join', { id: 'l1', operator: 1 }, k1)).status).toBe(200);
    const before = [(await c.get('/v1/jobs/1')).text, (await c.get('/v1/ledger')).text, (await c.get('/v1/operators/1')).text];
    const r = await c.post('/v1/jobs/1/join', { id: 'l2', operator: 1 }, k1);
    expect(r.status).toBe(409);
    expect(r.body.field).toBe('job_id');
    expect(r.body.error).toBe('job_id: the core refused the input: already');
    expect(r.body.steps[0].decisions).toEqual([
      { type: 'refused', inputId: r.body.steps[0].input.id, input: 'join-race', reason: 'already' },
    ]);
    expect([(await c.get('/v1/jobs/1')).text, (await c.get('/v1/ledger')).text, (await c.get('/v1/operators/1')).text]).toEqual(before);
  });

  it('the refusals are counted in the metrics', async () => {
    const m = await c.get('/metrics');
    expect(m.text).toMatch(/pmsim_refused_total [1-9]/);
  });
});

describe('the pluggable verify hook', () => {
  it('a proof the hook rejects gets 422 naming `proof` and changes nothing; the hook sees the job, the operator and the blob', async () => {
    const seen: string[] = [];
    const v = await startService({
      scenario: s,
      mechanism: 'race',
      db: ':memory:',
      clock: 'manual',
      verify: (job, op, proof) => {
        seen.push(`${job}/${op}/${proof.toString()}`);
        return proof.toString() === 'good';
      },
    });
    const cl = new ServiceClient(v.url);
    try {
      await cl.post('/v1/operators', { id: 'r0', public_key: k0.publicKey, capacity }, k0);
      await cl.post('/v1/jobs', { id: 'j0', at: 0, mcycles: 300, deadline_s: 7200, max_price_micros: 500_000 });
      expect((await cl.post('/v1/jobs/0/join', { id: 'l0', operator: 0 }, k0)).status).toBe(200);
      const before = (await cl.get('/v1/record')).text;
      const bad = await cl.post('/v1/jobs/0/deliver', { id: 'd0', operator: 0, proof: Buffer.from('bad').toString('base64') }, k0);
      expect(bad.status).toBe(422);
      expect(bad.body.field).toBe('proof');
      expect((await cl.get('/v1/record')).text).toBe(before);
      const good = await cl.post('/v1/jobs/0/deliver', { id: 'd1', operator: 0, proof: Buffer.from('good').toString('base64') }, k0);
      expect(good.status).toBe(200);
      expect(good.body.steps[0].decisions.some((d: { type: string }) => d.type === 'done')).toBe(true);
      expect(seen).toEqual(['0/0/bad', '0/0/good']);
    } finally {
      cl.close();
      await v.close();
    }
  });
});
