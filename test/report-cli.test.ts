import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import yargs from 'yargs';
import report, { parseFormats } from '../src/cli/commands/report.js';
import { reportError, UsageError } from '../src/cli/errors.js';
import { fixture, tmp } from './fixtures/report/helpers.js';

/** Runs `pmsim <args>` in-process with only the report command, like src/cli/main.ts does. */
async function cli(args: string[]): Promise<unknown> {
  try {
    await yargs(args)
      .scriptName('pmsim')
      .strict()
      .fail((msg, err) => {
        throw err ?? new UsageError(msg);
      })
      .command(report)
      .parseAsync();
    return null;
  } catch (e) {
    return e;
  }
}

describe('pmsim report (in-process)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('writes the report into --out with the requested formats', async () => {
    const out = tmp('cli');
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await cli(['report', fixture('run-single'), '--out', out, '--format', 'html,md'])).toBeNull();
    expect(readdirSync(out).sort()).toEqual(['figures', 'report.html', 'report.md']);
    expect(readdirSync(join(out, 'figures')).every((f) => f.endsWith('.svg'))).toBe(true);
    expect(write.mock.calls.map((c) => String(c[0])).join('')).toContain(`wrote ${join(out, 'report.html')}`);
  });

  it('accepts repeated --format flags and rejects unknown formats', () => {
    expect(parseFormats(['html', 'png'])).toEqual(['html', 'png']);
    expect(parseFormats(['html,md,html'])).toEqual(['html', 'md']);
    expect(() => parseFormats(['pdf'])).toThrow(UsageError);
    expect(() => parseFormats([''])).toThrow(/at least one/);
  });

  it('a missing directory is a usage error: a clear message, exit status 2, no stack trace', async () => {
    const e = await cli(['report', '/nonexistent/results', '--format', 'html']);
    expect(e).toBeInstanceOf(UsageError);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    reportError(e);
    const text = err.mock.calls.map((c) => String(c[0])).join('');
    expect(text).toBe('error: results directory not found: /nonexistent/results\n');
    expect(process.exitCode).toBe(2);
  });

  it('--metrics charts the named summary columns; a column the results lack is a usage error', async () => {
    const out = tmp('cli-metrics');
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await cli(['report', fixture('run-multi'), '--out', out, '--format', 'md', '--metrics', 'hhi,top1_share'])).toBeNull();
    expect(readdirSync(join(out, 'figures'))).toContain('metrics-1.svg');
    const e = await cli(['report', fixture('run-multi'), '--out', tmp('cli-metrics-bad'), '--metrics', 'hhi,nope']);
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toMatch(/^--metrics: no column "nope" in summary.csv/);
  });

  it('a directory that holds no results is a usage error too', async () => {
    const e = await cli(['report', tmp('empty')]);
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toMatch(/is it a pmsim results directory\?/);
  });
});

// The built CLI, when `npm run build` has run (npm test builds first).
const MAIN = resolve('dist/cli/main.js');
const INDEX = resolve('dist/cli/commands/index.js');
const BUILT = existsSync(MAIN) && existsSync(INDEX) && readFileSync(INDEX, 'utf8').includes('./report.js');

describe.skipIf(!BUILT)('pmsim report (built CLI)', () => {
  it('exits with status 2 and a one-line message for a missing directory', () => {
    const r = spawnSync(process.execPath, [MAIN, 'report', '/nonexistent/results'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('results directory not found: /nonexistent/results');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('writes a report for a run directory', () => {
    const out = tmp('cli-built');
    const r = spawnSync(process.execPath, [MAIN, 'report', fixture('run-multi'), '--out', out, '--format', 'md'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(existsSync(join(out, 'report.md'))).toBe(true);
  });
});
