import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, pmsim } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'pmsim-svc-cli-'));
const scenarioFile = join(dir, 's.json');
const record = join(dir, 'events.jsonl');
const children: ChildProcess[] = [];

writeFileSync(
  scenarioFile,
  JSON.stringify({
    name: 'cli',
    seed: 11,
    duration: '12h',
    window: '6h',
    mechanisms: ['random', 'sealed-bid'],
    operators: [{ name: 'g', entities: 6, hardware: 'gpu-rtx4090', margin: 0.2, failure_prob: 0.05 }],
    requesters: [
      {
        name: 'a',
        arrival: { dist: 'exponential', mean: '4m' },
        size_mcycles: { dist: 'lognormal', median: 300, sigma: 0.8 },
        deadline: '2h',
        max_price_usd_per_mcycle: 0.001,
        redundancy: 2,
      },
    ],
  }),
);

/** `pmsim serve --clock manual --db :memory:` on a free port. */
function serve(mechanism: string): Promise<string> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--scenario', scenarioFile, '--mechanism', mechanism, '--clock', 'manual', '--db', ':memory:', '--port', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

/** The record with one line changed by `edit` (the first line it changes). */
function tampered(name: string, edit: (line: string) => string | undefined): string {
  const lines = readFileSync(record, 'utf8').split('\n');
  const i = lines.findIndex((l) => edit(l) !== undefined);
  lines[i] = edit(lines[i]!)!;
  const f = join(dir, name);
  writeFileSync(f, lines.join('\n'));
  return f;
}

beforeAll(() => {
  const r = pmsim(['run', scenarioFile, '--out', join(dir, 'out'), '--record', record, '--quiet']);
  expect(r.status, r.stderr).toBe(0);
});

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

describe('pmsim run --record, pmsim replay, pmsim audit', () => {
  it('--record leaves the run outputs byte-identical', () => {
    const r = pmsim(['run', scenarioFile, '--out', join(dir, 'plain'), '--quiet']);
    expect(r.status).toBe(0);
    for (const f of ['summary.csv', 'timeseries.csv', 'shares.csv', 'latency.csv'])
      expect(readFileSync(join(dir, 'plain', f), 'utf8')).toBe(readFileSync(join(dir, 'out', f), 'utf8'));
  });

  it('replay exits 0 when the coordinator decides the same, byte for byte', async () => {
    for (const m of ['random', 'sealed-bid']) {
      const url = await serve(m);
      const r = pmsim(['replay', record, '--against', url]);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^identical: \d+ steps, \d+ decisions/);
    }
  });

  it('replay exits 1 with the first difference when a recorded decision was changed', async () => {
    const f = tampered('changed.jsonl', (l) =>
      l.includes('"type":"settle"') ? l.replace(/"amount":(\d+)/, (_, a) => `"amount":${Number(a) + 1}`) : undefined,
    );
    const r = pmsim(['replay', f, '--against', await serve('random')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^different at step \d+ \(seq \d+, t=[\d.]+ s, input \{"type":"deliver"/);
    expect(r.stdout).toMatch(/expected .*"type":"settle"/);
  });

  it('audit exits 0 when every random selection matches its published beacon', () => {
    const r = pmsim(['audit', record, '--quiet']);
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/random: (\d+) random selections, \1 match\n/);
    expect(r.stdout).toMatch(/sealed-bid: 0 random selections/);
  });

  it('audit exits 1 when one byte of a beacon was changed', () => {
    // One byte of the first submitted job's beacon (two hex digits), in the record's input.
    const f = tampered('beacon.jsonl', (l) =>
      l.includes('"type":"submit"')
        ? l.replace(/"beacon":"([0-9a-f]{2})/, (_, b) => `"beacon":"${((parseInt(b, 16) + 1) % 256).toString(16).padStart(2, '0')}`)
        : undefined,
    );
    const r = pmsim(['audit', f, '--quiet']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/MISMATCH|differ/);
  });

  it("audit checks a coordinator's export, and exits 1 when an eligible set was changed", async () => {
    const url = await serve('random');
    expect(pmsim(['replay', record, '--against', url]).status).toBe(0);
    const exported = join(dir, 'export.jsonl');
    writeFileSync(exported, await (await fetch(`${url}/v1/record`)).text());
    expect(pmsim(['audit', exported, '--quiet']).status).toBe(0);
    const lines = readFileSync(exported, 'utf8').split('\n');
    // Take the chosen operator out of one eligible set: the beacon can then not have chosen it.
    const i = lines.findIndex((l) => /"eligible":\[\d+,\d+/.test(l));
    const step = JSON.parse(lines[i]!);
    const sel = step.selections.find((x: { eligible: number[] }) => x.eligible.length > 1);
    sel.eligible = sel.eligible.filter((o: number) => o !== sel.operator);
    lines[i] = JSON.stringify(step);
    writeFileSync(exported, lines.join('\n'));
    const r = pmsim(['audit', exported, '--quiet']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/MISMATCH/);
  });

  it('a malformed record is bad input: exit 2 with the file and line', () => {
    const f = join(dir, 'bad.jsonl');
    writeFileSync(f, '{"kind":"header"}\nnot json\n');
    const r = pmsim(['audit', f]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.jsonl: line 2: expected a JSON object/);
  });
});
