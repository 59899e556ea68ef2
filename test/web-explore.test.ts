/**
 * `pmsim explore`: serves the built explorer on 127.0.0.1 only, hands the page the scenario given on
 * the command line (with its trace files), serves nothing outside dist/web, and rejects bad input
 * like every other command (one line, exit 2).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, pmsim } from './cli.js';

function start(args: string[]): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, [BIN, 'explore', '--port', '0', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((ok, fail) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) ok({ proc, url: m[0] });
    });
    proc.on('exit', (c) => fail(new Error(`exited ${c}: ${out}`)));
  });
}

describe('pmsim explore', () => {
  let proc: ChildProcess;
  let url = '';

  beforeAll(async () => {
    ({ proc, url } = await start(['scenarios/demand/trace-replay.yaml']));
  });
  afterAll(() => {
    proc?.kill('SIGTERM');
  });

  it('listens on 127.0.0.1 and serves the built page', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const r = await fetch(`${url}index.html`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    expect(await r.text()).toBe(readFileSync(join(ROOT, 'dist/web/index.html'), 'utf8'));
  });

  it('sends the browser to the scenario it was given, served with its trace files', async () => {
    const r = await fetch(url, { redirect: 'manual' });
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe('/?scenario=scenario.json');
    const s = (await (await fetch(`${url}scenario.json`)).json()) as { file: string; text: string; traces: Record<string, string> };
    expect(s.file).toBe('scenarios/demand/trace-replay.yaml');
    expect(s.text).toBe(readFileSync(join(ROOT, s.file), 'utf8'));
    expect(s.traces).toEqual({ 'trace.csv': readFileSync(join(ROOT, 'scenarios/demand/trace.csv'), 'utf8') });
  });

  it('serves nothing outside dist/web', async () => {
    for (const p of ['/../package.json', '/%2e%2e/package.json', '/..%2f..%2fpackage.json', '/nope.js']) {
      expect((await fetch(`${url}${p.slice(1)}`)).status, p).toBe(404);
    }
    expect((await fetch(url, { method: 'POST' })).status).toBe(405);
  });

  it('rejects a broken scenario and a bad port with one line and exit status 2', () => {
    const bad = pmsim(['explore', 'test/fixtures/does-not-exist.yaml', '--port', '0']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('error: invalid scenario\ntest/fixtures/does-not-exist.yaml: file not found\n');
    const port = pmsim(['explore', '--port', '70000']);
    expect(port.status).toBe(2);
    expect(port.stderr).toBe('error: --port expects a whole number from 0 to 65535, got 70000\n');
  });
});
