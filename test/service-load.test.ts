import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startService } from '../src/service/index.js';
import { checkAfterLoad, runLoad } from '../src/service/load.js';
import { ServiceClient } from '../src/service/client.js';
import { BIN } from './cli.js';
import { scenario } from './helpers.js';

const SCENARIO = {
  name: 'load',
  seed: 1,
  duration: '1d',
  window: '6h',
  mechanisms: ['random'],
  operators: [{ name: 'gpus', entities: 1, hardware: 'gpu-rtx4090' }],
  requesters: [{ name: 'apps', arrival: '5m', size_mcycles: 300, deadline: '2h', max_price_usd_per_mcycle: 0.001 }],
};
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Starts `pmsim serve` in a child process on a free loopback port; resolves with its URL. */
function serve(file: string, db: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--scenario', file, '--mechanism', 'random', '--db', db, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.on('exit', (code) => reject(new Error(`pmsim serve exited (${code}): ${out}`)));
  });
}

describe('the coordinator under load on loopback', () => {
  it('50 concurrent clients, 20,000 mixed requests: no acknowledged request lost, no job allocated twice, the ledger reconciles, and a restart rebuilds the same state', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'pmsim-load-')), 'log.db');
    const s = scenario(SCENARIO);
    const svc = await startService({ scenario: s, mechanism: 'random', db });
    const r = await runLoad({ url: svc.url, clients: 50, requests: 20_000, seed: 3 });
    expect(r.sent).toBe(20_000);
    expect(r.errors).toBe(0);
    expect(r.byKind.deliver).toBeGreaterThan(100);
    expect(r.refused).toBeGreaterThan(0);
    const check = await checkAfterLoad(svc.url, r.acked);
    expect(check.problems).toEqual([]);
    expect(check.delivered).toBeGreaterThan(100);
    const c = new ServiceClient(svc.url);
    const before = [(await c.get('/v1/record')).text, (await c.get('/v1/ledger')).text];
    c.close();
    await svc.close();
    const again = await startService({ scenario: s, mechanism: 'random', db });
    const c2 = new ServiceClient(again.url);
    expect(again.restored).toBeGreaterThan(r.acked.length - 1);
    expect([(await c2.get('/v1/record')).text, (await c2.get('/v1/ledger')).text]).toEqual(before);
    c2.close();
    await again.close();
  }, 180_000);

  it('a SIGKILL of the service in the middle of a load run, then a restart, loses no acknowledged request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmsim-kill-'));
    const file = join(dir, 'load.json');
    writeFileSync(file, JSON.stringify(SCENARIO));
    const db = join(dir, 'log.db');
    const first = await serve(file, db);
    let killed = false;
    const r = await runLoad({
      url: first.url,
      clients: 50,
      requests: 20_000,
      seed: 5,
      onAck: (n) => {
        if (n >= 3000 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      },
    });
    expect(killed).toBe(true);
    expect(r.errors).toBeGreaterThan(0);
    expect(r.acked.length).toBeGreaterThanOrEqual(3000);
    const second = await serve(file, db);
    const check = await checkAfterLoad(second.url, r.acked);
    expect(check.problems).toEqual([]);
    // And it keeps working after the restart.
    const more = await runLoad({ url: second.url, clients: 10, requests: 1000, seed: 6, tag: 'after' });
    expect(more.errors).toBe(0);
    expect((await checkAfterLoad(second.url, [...r.acked, ...more.acked])).problems).toEqual([]);
    second.child.kill('SIGTERM');
  }, 180_000);
});
