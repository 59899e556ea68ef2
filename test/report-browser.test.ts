/**
 * Renders report.html in a real headless Chromium (Debian's `chromium`, driven by playwright-core)
 * at a blog's width: no console errors, every chart has marks, tick labels do not overlap, no
 * horizontal overflow. Keeps a screenshot in test-artifacts/.
 *
 * Without /usr/bin/chromium the test is skipped, unless PMSIM_REQUIRE_BROWSER=1 (CI), which makes
 * it fail instead. Install with scripts/ci-setup.sh.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { writeReport } from '../src/report/index.js';
import { fixture, tmp } from './fixtures/report/helpers.js';

const CHROMIUM = process.env.PMSIM_CHROMIUM ?? '/usr/bin/chromium';
const REQUIRE = process.env.PMSIM_REQUIRE_BROWSER === '1';
const HAVE = existsSync(CHROMIUM);
const ARTIFACTS = resolve('test-artifacts');
const WIDTH = 720;

if (!HAVE) {
  const msg = `report browser test: ${CHROMIUM} not found (install Debian's chromium, e.g. scripts/ci-setup.sh)`;
  if (REQUIRE) throw new Error(`${msg}; PMSIM_REQUIRE_BROWSER=1 requires it`);
  console.warn(`SKIPPED ${msg}`);
}

interface PageFacts {
  charts: Array<{ name: string; marks: number; width: number; overlaps: string[]; outside: string[] }>;
  scrollWidth: number;
  clientWidth: number;
  tablesScrolling: number;
  title: string;
}

describe.skipIf(!HAVE)('report.html in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function inspect(resultsDir: string, shot: string): Promise<{ facts: PageFacts; errors: string[]; requests: string[] }> {
    const out = tmp('browser');
    await writeReport(resultsDir, out, { formats: ['html'] });
    const page = await browser.newPage({ viewport: { width: WIDTH, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(join(out, 'report.html')).href;
    await page.goto(url, { waitUntil: 'load' });
    const facts = await page.evaluate(() => {
      const boxes = (els: Element[]) => els.map((e) => ({ e, r: e.getBoundingClientRect() })).filter((b) => b.r.width > 0);
      const charts = [...document.querySelectorAll('svg.pmsim-chart')].map((svg) => {
        const marks = svg.querySelectorAll('path, rect:not(.background), circle').length;
        const sr = svg.getBoundingClientRect();
        const overlaps: string[] = [];
        // Tick labels of one axis must not overlap each other (measured with the real font).
        for (const axis of svg.querySelectorAll('g.axis')) {
          const labels = boxes([...axis.querySelectorAll(':scope > text:not(.axis-title)')]);
          for (let i = 0; i < labels.length; i++)
            for (let j = i + 1; j < labels.length; j++) {
              const a = labels[i].r;
              const b = labels[j].r;
              if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
                overlaps.push(`${labels[i].e.textContent} / ${labels[j].e.textContent}`);
            }
        }
        // Legend entries must not overlap either.
        const items = boxes([...svg.querySelectorAll('g.legend-item')]);
        for (let i = 0; i < items.length; i++)
          for (let j = i + 1; j < items.length; j++) {
            const a = items[i].r;
            const b = items[j].r;
            if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
              overlaps.push(`legend ${items[i].e.textContent} / ${items[j].e.textContent}`);
          }
        // Every text stays inside its chart.
        const outside = boxes([...svg.querySelectorAll('text')])
          .filter((b) => b.r.left < sr.left - 1 || b.r.right > sr.right + 1 || b.r.top < sr.top - 1 || b.r.bottom > sr.bottom + 1)
          .map((b) => b.e.textContent ?? '');
        return { name: svg.getAttribute('data-chart') ?? '', marks, width: sr.width, overlaps, outside };
      });
      return {
        charts,
        tablesScrolling: [...document.querySelectorAll('.table-wrap')].filter((t) => t.scrollWidth > t.clientWidth).length,
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
        title: document.title,
      };
    });
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, shot), fullPage: true });
    await page.close();
    return { facts, errors, requests };
  }

  function check(r: { facts: PageFacts; errors: string[]; requests: string[] }, expected: string[]): void {
    expect(r.errors).toEqual([]);
    expect(r.requests.filter((u) => !u.startsWith('file:'))).toEqual([]); // self-contained
    expect(r.facts.charts.map((c) => c.name)).toEqual(expected);
    for (const c of r.facts.charts) {
      expect(c.marks, `${c.name} has marks`).toBeGreaterThan(0);
      expect(c.width, `${c.name} fits`).toBeLessThanOrEqual(WIDTH);
      expect(c.overlaps, `${c.name} overlapping labels`).toEqual([]);
      expect(c.outside, `${c.name} texts outside the chart`).toEqual([]);
    }
    expect(r.facts.scrollWidth).toBeLessThanOrEqual(WIDTH);
    expect(r.facts.tablesScrolling, 'key-figure tables fit without scrolling').toBe(0);
  }

  it('run report (3 mechanisms, 3 seeds, attack): renders cleanly at 720 px', async () => {
    const r = await inspect(fixture('run-multi'), 'report.png');
    check(r, ['comparison', 'cost-breakdown', 'price-over-time', 'latency-cdf', 'market-share']);
    expect(r.facts.title).toContain('cartel-attack');
  });

  it('single mechanism, single seed run report renders cleanly', async () => {
    const r = await inspect(fixture('run-single'), 'report-single.png');
    check(r, ['comparison', 'cost-breakdown', 'price-over-time', 'latency-cdf']);
  });

  it('sweep report renders cleanly', async () => {
    const r = await inspect(fixture('sweep'), 'report-sweep.png');
    check(r, ['sweep-liveness', 'sweep-price_per_job_mean_usd', 'sweep-price_cv']);
  });

  it('no horizontal overflow on a phone-sized viewport either', async () => {
    const out = tmp('browser-narrow');
    await writeReport(fixture('run-multi'), out, { formats: ['html'] });
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await page.goto(pathToFileURL(join(out, 'report.html')).href);
    const sw = await page.evaluate(() => document.documentElement.scrollWidth);
    await page.close();
    expect(sw).toBeLessThanOrEqual(375);
  });
});
