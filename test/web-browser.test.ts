/**
 * The explorer in a real headless Chromium (Debian's `chromium`, driven by playwright-core), served
 * by `pmsim explore` on 127.0.0.1: it runs the default scenario in a Web Worker and shows the same
 * numbers as `pmsim run`, offers byte-identical CSV downloads, puts the parser's error messages
 * beside the fields, reproduces a run from its share link, refuses unreadable `file:` traces until
 * the user picks them, and cancels. Screenshots go to test-artifacts/.
 *
 * Without /usr/bin/chromium the test is skipped, unless PMSIM_REQUIRE_BROWSER=1 (CI), which makes
 * it fail instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { runFigures } from '../src/report/figures.js';
import { parseCsv } from '../src/report/rows.js';
import { BIN, ROOT, pmsim } from './cli.js';
import { tmp } from './fixtures/report/helpers.js';

const CHROMIUM = process.env.PMSIM_CHROMIUM ?? '/usr/bin/chromium';
const REQUIRE = process.env.PMSIM_REQUIRE_BROWSER === '1';
const HAVE = existsSync(CHROMIUM);
const ARTIFACTS = resolve('test-artifacts');
const FILES = ['summary.csv', 'summary.json', 'timeseries.csv', 'shares.csv', 'latency.csv'];
const CHARTS = ['comparison', 'cost-breakdown', 'price-over-time', 'latency-cdf', 'market-share'];

if (!HAVE) {
  const msg = `explorer browser test: ${CHROMIUM} not found (install Debian's chromium, e.g. scripts/ci-setup.sh)`;
  if (REQUIRE) throw new Error(`${msg}; PMSIM_REQUIRE_BROWSER=1 requires it`);
  console.warn(`SKIPPED ${msg}`);
}

/** `pmsim run` of a scenario: its output files' texts. */
function cliRun(scenario: string, seed?: number): Map<string, string> {
  const out = tmp('web-cli');
  const r = pmsim(['run', scenario, '--out', out, '--quiet', ...(seed === undefined ? [] : ['--seed', String(seed)])]);
  expect(r.status, r.stderr).toBe(0);
  return new Map(FILES.map((f) => [f, readFileSync(join(out, f), 'utf8')]));
}

/** The page's key-figures table: mechanism → column → exact value (data-value). */
async function tableValues(page: Page): Promise<Record<string, Record<string, string>>> {
  return page.$$eval('#summary tbody tr', (rows) =>
    Object.fromEntries(
      rows.map((r) => [
        r.getAttribute('data-mechanism') ?? '',
        Object.fromEntries(
          [...r.querySelectorAll('td[data-column]')].map((td) => [
            td.getAttribute('data-column') ?? '',
            td.getAttribute('data-value') ?? '',
          ]),
        ),
      ]),
    ),
  );
}

/** Checks every table cell against the same cell of summary.csv; returns how many were compared. */
function expectTableMatches(table: Record<string, Record<string, string>>, summaryCsv: string): number {
  const rows = parseCsv(summaryCsv);
  expect(Object.keys(table)).toEqual(rows.map((r) => String(r.mechanism)));
  let n = 0;
  for (const r of rows) {
    const cells = table[String(r.mechanism)]!;
    expect(Object.keys(cells).length).toBeGreaterThanOrEqual(9);
    for (const [col, v] of Object.entries(cells)) {
      expect(v, `${String(r.mechanism)} ${col}`).toBe(String(r[col]));
      n++;
    }
  }
  return n;
}

async function waitRun(page: Page): Promise<void> {
  await page.waitForSelector('body[data-run="done"], body[data-run="error"]', { state: 'attached', timeout: 90_000 });
  expect(await page.getAttribute('body', 'data-run'), (await page.textContent('#status')) ?? '').toBe('done');
}

describe.skipIf(!HAVE)('the explorer in headless Chromium', () => {
  let browser: Browser;
  let server: ChildProcess;
  let url = '';
  const errors: string[] = [];

  beforeAll(async () => {
    server = spawn(process.execPath, [BIN, 'explore', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((ok, fail) => {
      let out = '';
      server.stdout!.on('data', (d: Buffer) => {
        out += String(d);
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (m) ok(m[0]);
      });
      server.stderr!.on('data', (d: Buffer) => (out += String(d)));
      server.on('exit', (c) => fail(new Error(`pmsim explore exited (${c}): ${out}`)));
    });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
  });

  async function open(at = url): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(at);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    return page;
  }

  it('runs the default scenario: charts, the summary table equal to pmsim run, byte-identical CSV downloads', async () => {
    const cli = cliRun('scenarios/default.yaml');
    const page = await open();
    expect(await page.inputValue('#bundled')).toBe('default');
    expect(await page.inputValue('#seed')).toBe('42');
    expect(await page.textContent('#cli')).toBe('pmsim run scenarios/default.yaml --seed 42');
    // Count the table's rows as they appear: the page draws each mechanism when it finishes.
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { seen: number[] }).seen = seen;
      new MutationObserver(() => seen.push(document.querySelectorAll('#summary tbody tr').length)).observe(
        document.getElementById('summary')!,
        { childList: true, subtree: true },
      );
    });
    await page.click('#run');
    await waitRun(page);
    const seen = await page.evaluate(() => (window as unknown as { seen: number[] }).seen);
    expect(seen.filter((n) => n > 0 && n < 6).length, 'partial results shown during the run').toBeGreaterThan(0);
    const charts = await page.$$eval('#charts svg.pmsim-chart', (s) =>
      s.map((x) => ({ name: x.getAttribute('data-chart'), marks: x.querySelectorAll('path, rect:not(.background), circle').length })),
    );
    // The report's run figures for the same files (src/report/figures.ts), in the same order.
    const tables = {
      summary: parseCsv(cli.get('summary.csv')!),
      timeseries: parseCsv(cli.get('timeseries.csv')!),
      shares: parseCsv(cli.get('shares.csv')!),
      latency: parseCsv(cli.get('latency.csv')!),
    };
    const mechanisms = tables.summary.map((r) => String(r.mechanism));
    expect(charts.map((c) => c.name)).toEqual(runFigures(tables, mechanisms).map((f) => f.name));
    expect(charts.map((c) => c.name)).toEqual(expect.arrayContaining(CHARTS));
    for (const c of charts) expect(c.marks, c.name ?? '').toBeGreaterThan(0);
    expect(expectTableMatches(await tableValues(page), cli.get('summary.csv')!)).toBeGreaterThanOrEqual(54);
    for (const f of FILES) {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`#downloads a[data-file="${f}"]`)]);
      expect(dl.suggestedFilename()).toBe(f);
      const got = readFileSync((await dl.path())!, 'utf8');
      expect(got === cli.get(f), `${f} is byte-identical to pmsim run's`).toBe(true);
    }
    const [yml] = await Promise.all([page.waitForEvent('download'), page.click('#dl-yaml')]);
    expect(readFileSync((await yml.path())!, 'utf8')).toBe(readFileSync(join(ROOT, 'scenarios/default.yaml'), 'utf8'));
    await page.screenshot({ path: join(ARTIFACTS, 'explorer.png'), fullPage: true });
    console.log(
      `explorer: default scenario simulated in ${await page.getAttribute('body', 'data-sim-ms')} ms in the browser (worker: parse + 6 mechanisms + CSV text)`,
    );
    await page.close();
    expect(errors).toEqual([]);
  });

  it('shows the parser’s message beside a field set to an invalid value, the same as pmsim validate', async () => {
    const page = await open();
    const field = '[data-path="operators[0].entities"]';
    await page.fill(field, '0');
    const span = page.locator('[data-error-for="operators[0].entities"]');
    await expect.poll(() => span.textContent()).not.toBe('');
    const message = (await span.textContent())!;
    expect(await page.locator(field).getAttribute('class')).toContain('invalid');
    expect(await page.isDisabled('#run')).toBe(true);
    // The same YAML through the CLI gives the same message for the same field.
    const file = join(tmp('web-invalid'), 'default.yaml');
    writeFileSync(file, await page.inputValue('#yaml'));
    const v = pmsim(['validate', file]);
    expect(v.status).toBe(2);
    expect(v.stderr).toContain(`${file}: operators[0].entities: ${message}\n`);
    expect(await page.textContent('#errors')).toContain(`scenarios/default.yaml: operators[0].entities: ${message}`);
    await page.screenshot({ path: join(ARTIFACTS, 'explorer-invalid.png') });
    await page.fill(field, '4');
    await expect.poll(() => span.textContent()).toBe('');
    expect(await page.isDisabled('#run')).toBe(false);
    await page.close();
    expect(errors).toEqual([]);
  });

  it('the form edits the YAML (operators, an attacker group, a burst, the mechanisms to run) and the run matches pmsim run on that YAML', async () => {
    const page = await open();
    await page.fill('[data-path="operators[1].entities"]', '10');
    await page.click('text=Add an attacker group');
    await page.click('#requesters button:has-text("Add a burst")');
    await page.fill('[data-path="requesters[0].bursts[0].factor"]', '6');
    await page.uncheck('[aria-label="run race"]');
    await page.uncheck('[aria-label="run self-hosted"]');
    const yaml = await page.inputValue('#yaml');
    expect(yaml).toContain('entities: 10');
    expect(yaml).toMatch(/name: attacker\n\s+entities: 1\n[\s\S]*strategy: predatory[\s\S]*attacker: true/);
    expect(yaml).toMatch(/bursts:\n\s+- at: 1d\n\s+duration: 2h\n\s+factor: 6/);
    expect(yaml).toContain('# Gevulot / ZkCloud: fixed price, random prover'); // comments survive
    expect(await page.textContent('#problems')).toBe('');
    const cmd = (await page.textContent('#cli'))!;
    expect(cmd).toBe(
      'pmsim run scenarios/default.yaml --seed 42 --mechanism random --mechanism order-book --mechanism reverse-dutch:boundless --mechanism sealed-bid:succinct',
    );
    await page.click('#run');
    await waitRun(page);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#downloads a[data-file="summary.csv"]')]);
    const got = readFileSync((await dl.path())!, 'utf8');
    const dir = tmp('web-form');
    writeFileSync(join(dir, 'edited.yaml'), yaml);
    const r = pmsim(['run', join(dir, 'edited.yaml'), '--out', join(dir, 'out'), '--quiet', ...cmd.split(' ').slice(3)]);
    expect(r.status, r.stderr).toBe(0);
    expect(
      got === readFileSync(join(dir, 'out', 'summary.csv'), 'utf8'),
      'summary.csv is byte-identical to pmsim run on the edited YAML',
    ).toBe(true);
    expect(parseCsv(got).length).toBe(4);
    expect(Number(parseCsv(got)[0]!.attacker_share_peak)).toBeGreaterThanOrEqual(0);
    await page.close();
    expect(errors).toEqual([]);
  });

  it('a share link opened in a new page runs the same scenario and seed and shows the same numbers', async () => {
    const cli = cliRun('scenarios/default.yaml', 7);
    const page = await open();
    await page.fill('#seed', '7');
    await page.click('#run');
    await waitRun(page);
    const first = await tableValues(page);
    const link = (await page.getAttribute('#share', 'href'))!;
    expect(link).toContain('#seed=7&');
    await page.close();
    const again = await open(link);
    await waitRun(again); // a share link runs on opening
    expect(await again.inputValue('#seed')).toBe('7');
    const second = await tableValues(again);
    expect(second).toEqual(first);
    expectTableMatches(second, cli.get('summary.csv')!);
    await again.screenshot({ path: join(ARTIFACTS, 'explorer-shared.png') });
    await again.close();
    expect(errors).toEqual([]);
  });

  it('refuses a file: trace it cannot read, beside the field, and reads it once the user picks the file', async () => {
    const page = await open();
    const yaml = readFileSync(join(ROOT, 'scenarios/demand/trace-replay.yaml'), 'utf8').replace('file: trace.csv', 'file: my-trace.csv');
    await page.click('#yaml-box summary');
    await page.fill('#yaml', yaml);
    const span = page.locator('[data-error-for="requesters[0].arrival"]');
    await expect.poll(() => span.textContent()).toContain('the browser cannot read "my-trace.csv"');
    expect(await page.isDisabled('#run')).toBe(true);
    await page.setInputFiles('#trace-files', {
      name: 'my-trace.csv',
      mimeType: 'text/csv',
      buffer: readFileSync(join(ROOT, 'scenarios/demand/trace.csv')),
    });
    await expect.poll(() => page.isDisabled('#run')).toBe(false);
    await page.click('#run');
    await waitRun(page);
    const cli = cliRun('scenarios/demand/trace-replay.yaml');
    expectTableMatches(await tableValues(page), cli.get('summary.csv')!);
    await page.close();
    expect(errors).toEqual([]);
  });

  it('opens the scenario given to pmsim explore, with its trace file, and runs it like pmsim run', async () => {
    const other = spawn(process.execPath, [BIN, 'explore', '--port', '0', 'scenarios/demand/trace-replay.yaml'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const at = await new Promise<string>((ok) =>
        other.stdout!.on('data', (d: Buffer) => {
          const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(String(d));
          if (m) ok(m[0]);
        }),
      );
      const page = await open(at);
      expect(page.url()).toBe(`${at}?scenario=scenario.json`);
      expect(await page.textContent('#cli')).toBe('pmsim run scenarios/demand/trace-replay.yaml --seed 1');
      await page.click('#run');
      await waitRun(page);
      expectTableMatches(await tableValues(page), cliRun('scenarios/demand/trace-replay.yaml').get('summary.csv')!);
      await page.close();
    } finally {
      other.kill('SIGTERM');
    }
    expect(errors).toEqual([]);
  });

  it('cancels a run: the worker stops, the page stays usable', async () => {
    const page = await open();
    await page.click('#yaml-box summary');
    await page.fill('#yaml', readFileSync(join(ROOT, 'scenarios/default.yaml'), 'utf8').replace('duration: 7d', 'duration: 70d'));
    await expect.poll(() => page.isDisabled('#run')).toBe(false);
    await page.click('#run');
    await expect
      .poll(() => page.evaluate(() => (document.getElementById('progress') as HTMLProgressElement).value), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await page.click('#cancel');
    expect(await page.getAttribute('body', 'data-run')).toBe('cancelled');
    expect(await page.textContent('#status')).toBe('cancelled');
    expect(await page.isDisabled('#run')).toBe(false);
    await page.close();
    expect(errors).toEqual([]);
  });
});
