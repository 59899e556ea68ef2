/**
 * Renders report.html in a real headless Chromium (Debian's `chromium`, driven by playwright-core)
 * at a blog's width: no console errors, every chart has marks and a readable axis, tick labels do
 * not overlap, no horizontal overflow; on the default scenario, no two price series lie within
 * 2 px of each other over most of their length, axes are logarithmic where the data span more
 * than two decades, and 12 mechanisms get 12 colours. Keeps full-page and per-chart screenshots in
 * test-artifacts/ (CI keeps them as artifacts).
 *
 * Without /usr/bin/chromium the test is skipped, unless PMSIM_REQUIRE_BROWSER=1 (CI), which makes
 * it fail instead. Install with scripts/ci-setup.sh.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { writeReport } from '../src/report/index.js';
import { parse, stringify } from 'yaml';
import { fixture, tmp } from './fixtures/report/helpers.js';
import { pmsim } from './cli.js';

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

interface ChartFacts {
  name: string;
  marks: number;
  width: number;
  overlaps: string[];
  outside: string[];
  /** Tick labels per axis, with the axis's data-scale. */
  axes: Array<{ scale: string; orient: string; labels: string[] }>;
  /** Each `path.series` as page-coordinate samples, with its stroke colour. */
  series: Array<{ name: string; color: string; pts: Array<[number, number]> }>;
  /** Legend swatch colours (fill or stroke), in order. */
  legend: string[];
}

interface PageFacts {
  charts: ChartFacts[];
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
        const axes = [...svg.querySelectorAll('g.axis')].map((a) => ({
          scale: a.getAttribute('data-scale') ?? '',
          orient: a.classList.contains('axis-x') ? 'x' : 'y',
          labels: [...a.querySelectorAll(':scope > text:not(.axis-title)')]
            .map((t) => (t.textContent ?? '').trim())
            .filter((t) => t !== ''),
        }));
        // Series paths sampled along their length, in page coordinates (what the reader sees).
        const series = [...svg.querySelectorAll('path.series')].map((p) => {
          const path = p as SVGPathElement;
          const len = path.getTotalLength();
          const m = path.getScreenCTM();
          const pts: Array<[number, number]> = [];
          for (let i = 0; i <= 200 && len > 0; i++) {
            const q = path.getPointAtLength((len * i) / 200);
            pts.push(m ? [m.a * q.x + m.c * q.y + m.e, m.b * q.x + m.d * q.y + m.f] : [q.x, q.y]);
          }
          return {
            name: p.getAttribute('data-series') ?? p.querySelector('title')?.textContent ?? '',
            color: getComputedStyle(p).stroke,
            pts,
          };
        });
        const legend = [...svg.querySelectorAll('g.legend-item')].map((it) => {
          const sw = it.querySelector('rect, path, circle');
          if (!sw) return '';
          const st = getComputedStyle(sw);
          return sw.tagName === 'path' ? st.stroke : st.fill;
        });
        return { name: svg.getAttribute('data-chart') ?? '', marks, width: sr.width, overlaps, outside, axes, series, legend };
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
    // One screenshot per chart, for reviewing the figures themselves.
    const stem = shot.replace(/\.png$/, '');
    for (const el of await page.$$('svg.pmsim-chart')) {
      const name = await el.getAttribute('data-chart');
      await el.screenshot({ path: join(ARTIFACTS, `${stem}-${name}.png`) });
    }
    await page.close();
    return { facts, errors, requests };
  }

  function check(r: { facts: PageFacts; errors: string[]; requests: string[] }, expected: string[]): void {
    expect(r.errors).toEqual([]);
    expect(r.requests.filter((u) => !u.startsWith('file:'))).toEqual([]); // self-contained
    expect(r.facts.charts.map((c) => c.name)).toEqual(expected);
    for (const c of r.facts.charts) {
      expect(c.marks, `${c.name} has marks`).toBeGreaterThan(0);
      // A readable axis: at least one axis with two or more tick labels (overlaps are checked below).
      expect(Math.max(0, ...c.axes.map((a) => a.labels.length)), `${c.name} has a labelled axis`).toBeGreaterThanOrEqual(2);
      expect(c.width, `${c.name} fits`).toBeLessThanOrEqual(WIDTH);
      expect(c.overlaps, `${c.name} overlapping labels`).toEqual([]);
      expect(c.outside, `${c.name} texts outside the chart`).toEqual([]);
    }
    expect(r.facts.scrollWidth).toBeLessThanOrEqual(WIDTH);
    expect(r.facts.tablesScrolling, 'key-figure tables fit without scrolling').toBe(0);
  }

  it('run report (3 mechanisms, 3 seeds, attack): renders cleanly at 720 px', async () => {
    const r = await inspect(fixture('run-multi'), 'report.png');
    check(r, [
      'comparison',
      'frontier',
      'cost-breakdown',
      'price-over-time',
      'price-distribution',
      'latency-cdf',
      'market-share',
      'attack',
    ]);
    expect(r.facts.title).toContain('cartel-attack');
  });

  it('single mechanism, single seed run report renders cleanly', async () => {
    const r = await inspect(fixture('run-single'), 'report-single.png');
    check(r, ['comparison', 'frontier', 'cost-breakdown', 'price-over-time', 'price-distribution', 'latency-cdf']);
  });

  it('sweep report renders cleanly', async () => {
    const r = await inspect(fixture('sweep'), 'report-sweep.png');
    check(r, ['sweep-liveness', 'sweep-price_per_job_mean_usd', 'sweep-price_cv']);
  });

  it('sweep report of liveness-vs-redundancy shows all nine grid points', async () => {
    const out = tmp('browser-sweep9');
    const sw = pmsim(['sweep', 'scenarios/sweeps/liveness-vs-redundancy.yaml', '--out', out, '--workers', '1', '--quiet']);
    expect(sw.status, sw.stderr).toBe(0);
    const r = await inspect(out, 'report-sweep-liveness-vs-redundancy.png');
    check(r, ['sweep-liveness', 'sweep-price_per_job_mean_usd', 'sweep-price_cv']);
    const live = r.facts.charts.find((c) => c.name === 'sweep-liveness')!;
    const points = live.series.reduce((a, s) => a + (s.pts.length > 0 ? 1 : 0), 0);
    expect(points, 'one line per (mechanism, failure_prob) panel').toBe(3);
  });

  describe('the default scenario', () => {
    let facts: PageFacts;
    let latency: number[];
    let prices: number[];

    beforeAll(async () => {
      const out = tmp('browser-default');
      const run = pmsim(['run', 'scenarios/default.yaml', '--out', out, '--quiet']);
      expect(run.status, run.stderr).toBe(0);
      facts = (await inspect(out, 'report-default.png')).facts;
      const col = (file: string, _c: string) =>
        readFileSync(join(out, file), 'utf8')
          .trim()
          .split('\n')
          .map((l) => l.split(','));
      const lat = col('latency.csv', 'latency_s');
      latency = lat
        .slice(1)
        .map((r) => Number(r[lat[0]!.indexOf('latency_s')]))
        .filter((v) => v > 0);
      const ts = col('timeseries.csv', 'price_per_mcycle_mean_usd');
      prices = ts
        .slice(1)
        .map((r) => Number(r[ts[0]!.indexOf('price_per_mcycle_mean_usd')]))
        .filter((v) => v > 0);
    });

    it('price chart: no two series within 2 px of each other over most of their length', () => {
      const chart = facts.charts.find((c) => c.name === 'price-over-time')!;
      expect(chart.series.length).toBe(6);
      for (let i = 0; i < chart.series.length; i++) {
        for (let j = i + 1; j < chart.series.length; j++) {
          const a = chart.series[i]!;
          const b = chart.series[j]!;
          // Share of a's samples that have a point of b within 2 px.
          const close = a.pts.filter(([x, y]) => b.pts.some(([u, v]) => Math.hypot(u - x, v - y) < 2)).length / a.pts.length;
          expect(close, `${a.name} / ${b.name}`).toBeLessThan(0.5);
        }
      }
    });

    it('log axes wherever the data span more than two decades', () => {
      const decades = (v: number[]) => Math.log10(Math.max(...v) / Math.min(...v));
      const cdf = facts.charts.find((c) => c.name === 'latency-cdf')!;
      expect(decades(latency)).toBeGreaterThan(2); // the case the log axis exists for
      expect(cdf.axes.find((a) => a.orient === 'x')!.scale).toBe('log');
      const price = facts.charts.find((c) => c.name === 'price-over-time')!;
      if (decades(prices) > 2) expect(price.axes.every((a) => a.orient === 'x' || a.scale === 'log')).toBe(true);
      // A chart with log axes labels at least one of them with two ticks or more (small multiples leave the inner ones bare).
      for (const c of facts.charts) {
        const logs = c.axes.filter((a) => a.scale === 'log');
        if (logs.length) expect(Math.max(...logs.map((a) => a.labels.length)), c.name).toBeGreaterThanOrEqual(2);
      }
    });
  });

  it('12 mechanisms get 12 different colours in every chart', async () => {
    const doc = parse(readFileSync('scenarios/default.yaml', 'utf8')) as Record<string, unknown>;
    doc.$schema = undefined;
    doc.duration = '2d';
    doc.mechanisms = [
      'random',
      { id: 'random', preset: 'zkcloud' },
      { id: 'random', preset: 'gevulot-2023' },
      'race',
      { id: 'race', preset: 'aleo' },
      'order-book',
      { id: 'order-book', preset: 'nil-proof-market' },
      { id: 'order-book', preset: 'mina-snarketplace' },
      { id: 'reverse-dutch', preset: 'boundless' },
      { id: 'sealed-bid', preset: 'succinct' },
      { id: 'sealed-bid', preset: 'brevis' },
      { id: 'self-hosted', params: { nodes: 4, devices: 8 } },
    ];
    const dir = tmp('browser-12');
    const file = join(dir, 'twelve.yaml');
    writeFileSync(file, stringify(doc));
    const run = pmsim(['run', file, '--out', join(dir, 'out'), '--quiet']);
    expect(run.status, run.stderr).toBe(0);
    const r = await inspect(join(dir, 'out'), 'report-12-mechanisms.png');
    const comparison = r.facts.charts.find((c) => c.name === 'comparison')!;
    const mech = comparison.legend.slice(0, 12);
    expect(new Set(mech).size).toBe(12);
    const price = r.facts.charts.find((c) => c.name === 'price-over-time')!;
    expect(new Set(price.series.map((s) => s.color)).size).toBe(price.series.length);
    expect(price.series.length).toBe(12);
    for (const name of ['latency-cdf']) {
      const c = r.facts.charts.find((x) => x.name === name)!;
      expect(new Set(c.series.map((s) => s.color)).size, name).toBe(c.series.length);
    }
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
