import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from './cli.js';

/** The shell block between `<!-- example:start -->` and `<!-- example:end -->` of a markdown file. */
function example(file: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const m = /<!-- example:start -->\s*```sh\n([\s\S]*?)```\s*<!-- example:end -->/.exec(text);
  if (!m) throw new Error(`${file}: no example block`);
  return m[1]!;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** Runs an example as written, with the built CLI for `pmsim`, another port, in a temp directory. */
async function runExample(file: string): Promise<{ status: number; out: string }> {
  const port = await freePort();
  const script = example(file)
    .replace(/^pmsim /gm, `node ${BIN} `)
    .replace(/ scenarios\//g, ` ${ROOT}scenarios/`)
    .replace(/8787/g, String(port));
  const wrapped = `set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n${script}`;
  const r = spawnSync('bash', ['-c', wrapped], { cwd: mkdtempSync(join(tmpdir(), 'pmsim-doc-')), encoding: 'utf8', timeout: 60_000 });
  return { status: r.status ?? -1, out: `${r.stdout}\n${r.stderr}` };
}

describe('the coordinator examples run as written', () => {
  for (const file of ['docs/coordinator.md', 'README.md']) {
    it(`${file}: start, register two operators, submit a job, see its allocation, deliver, audit`, async () => {
      const r = await runExample(file);
      expect(r.status, r.out).toBe(0);
      expect(r.out).toMatch(/"operator":0,/);
      expect(r.out).toMatch(/"operator":1,/);
      expect(r.out).toMatch(/"job_id":0/);
      expect(r.out).toMatch(/"type":"assign","jobId":0,"operator":[01]/);
      expect(r.out).toMatch(/"status":"closed","outcome":"delivered"/);
      expect(r.out).toMatch(/"beacon_matches":true,"ok":true}\],"ok":true}/);
      expect(r.out).toMatch(/random: 1 random selections, 1 match\n/);
    });
  }
});
