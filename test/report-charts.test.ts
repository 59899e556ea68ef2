import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser } from 'linkedom';
import { describe, expect, it } from 'vitest';
import {
  comparisonChart,
  costBreakdownChart,
  latencyCdfChart,
  marketShareChart,
  parseCsv,
  priceOverTimeChart,
  sweepChart,
  type ReportRow as Row,
} from '../src/report/index.js';
import { textWidth } from '../src/report/format.js';
import { count, fixture } from './fixtures/report/helpers.js';

function csv(dir: string, name: string): Row[] {
  const p = join(fixture(dir), `${name}.csv`);
  return existsSync(p) ? parseCsv(readFileSync(p, 'utf8')) : [];
}

const multi = {
  summary: csv('run-multi', 'summary'),
  timeseries: csv('run-multi', 'timeseries'),
  shares: csv('run-multi', 'shares'),
  latency: csv('run-multi', 'latency'),
};
const single = {
  summary: csv('run-single', 'summary'),
  timeseries: csv('run-single', 'timeseries'),
  latency: csv('run-single', 'latency'),
};
const aggregate = csv('sweep', 'aggregate');

type El = { tagName: string; getAttribute(n: string): string | null; parentNode: El | null; textContent: string | null };

/** Absolute x of a text element: the sum of its ancestors' translate(x, …) plus its own x. */
function absX(el: El): number {
  let x = Number(el.getAttribute('x') ?? 0);
  for (let n: El | null = el; n && n.tagName?.toLowerCase() !== 'svg'; n = n.parentNode) {
    const m = /translate\(([-\d.]+)/.exec(n.getAttribute('transform') ?? '');
    if (m) x += Number(m[1]);
  }
  return x;
}

/** Texts whose estimated extent leaves the chart's width (rotated texts skipped). */
function outOfBounds(svg: string): string[] {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement as unknown as El & { querySelectorAll(s: string): El[] };
  const width = Number(root.getAttribute('width'));
  const bad: string[] = [];
  for (const t of root.querySelectorAll('text')) {
    if (/rotate/.test(t.getAttribute('transform') ?? '')) continue;
    const size = Number(t.getAttribute('font-size') ?? 12);
    const w = textWidth(t.textContent ?? '', size);
    const x = absX(t);
    const anchor = t.getAttribute('text-anchor') ?? 'start';
    const [a, b] = anchor === 'middle' ? [x - w / 2, x + w / 2] : anchor === 'end' ? [x - w, x] : [x, x + w];
    if (a < -1 || b > width + 1) bad.push(`${t.textContent} [${a.toFixed(0)}, ${b.toFixed(0)}]`);
  }
  return bad;
}

function commonChecks(svg: string, name: string, legend = true): void {
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
  expect(svg).toContain(`data-chart="${name}"`);
  expect(svg).toMatch(/<title>[^<]+<\/title>/);
  expect(svg).toMatch(/class="chart-title"[^>]*>[^<]+</);
  // Small multiples name their series in panel titles instead of a legend.
  if (legend) expect(svg).toContain('class="legend"');
  else expect(svg).toContain('class="panel-title"');
  expect(svg).toContain('class="axis-title"');
  expect(svg).toContain('width="720"');
  expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  expect(outOfBounds(svg)).toEqual([]);
}

describe('comparison chart', () => {
  it('draws a bar per mechanism and metric with 95% CI whiskers when there are several seeds', () => {
    const svg = comparisonChart(multi.summary);
    commonChecks(svg, 'comparison');
    expect(count(svg, 'rect') - 1).toBeGreaterThanOrEqual(9); // minus the background
    expect((svg.match(/class="bar"/g) ?? []).length).toBe(9);
    expect((svg.match(/class="ci"/g) ?? []).length).toBe(9);
    expect(svg).toContain('95% CI over 3 seeds');
    for (const m of ['random', 'order-book', 'race']) expect(svg).toContain(`>${m}</text>`);
    expect(svg).toContain('total cost per job (USD)');
    expect((svg.match(/class="value-label"/g) ?? []).length).toBe(9);
    expect(svg).toContain('not on time (%)');
  });

  it('counts protocol emission as a cost: a mechanism whose requesters pay nothing gets a hatched bar of its emission per job', () => {
    const rows = multi.summary.map((r) => (r.mechanism === 'race' ? { ...r, requester_cost_usd: '0', emission_usd: '5000' } : r));
    const svg = comparisonChart(rows);
    expect((svg.match(/class="bar-emission"/g) ?? []).length).toBe(1); // race's bar (its mean over 3 seeds)
    expect(svg).toContain('of which emission');
    const label = [...svg.matchAll(/class="bar"><title>race: \$([\d.,k]+)/g)].map((m) => m[1]);
    expect(label.length).toBe(1);
    expect(label[0]).not.toBe('0');
  });

  it('shows liveness as its shortfall, with value labels that tell 0.3% from 0%', () => {
    const rows = multi.summary.map((r) => ({ ...r, liveness: r.mechanism === 'race' ? '1' : '0.997' }));
    const svg = comparisonChart(rows);
    const labels = [...svg.matchAll(/class="value-label"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(labels).toContain('0%');
    expect(labels).toContain('0.3%');
  });

  it('never cuts a mechanism label of up to 40 characters', () => {
    const rows = multi.summary.map((r) => (r.mechanism === 'order-book' ? { ...r, mechanism: 'reverse-dutch:boundless' } : r));
    expect(comparisonChart(rows)).toContain('>reverse-dutch:boundless</text>');
  });

  it('draws no whiskers for a single seed, and works with one mechanism', () => {
    const svg = comparisonChart(single.summary);
    commonChecks(svg, 'comparison');
    expect((svg.match(/class="bar"/g) ?? []).length).toBe(3);
    expect(svg).not.toContain('class="ci"');
    expect(svg).toContain('seed 7');
  });

  it('falls back to requester cost when neither delivered jobs nor a price per job are reported', () => {
    const rows = multi.summary.map((r) => ({ ...r, price_per_job_mean_usd: '', jobs_delivered: '' }));
    expect(comparisonChart(rows)).toContain('requester cost (USD)');
  });
});

describe('time, latency, cost and share charts', () => {
  it('price over time: a panel per mechanism on a shared axis, the others as grey context, time axis in hours', () => {
    const svg = priceOverTimeChart(multi.timeseries);
    commonChecks(svg, 'price-over-time', false);
    expect((svg.match(/class="series"/g) ?? []).length).toBe(3);
    expect((svg.match(/class="context"/g) ?? []).length).toBe(3 * 2);
    expect(svg).toContain('time (h)');
    expect(svg).toContain('USD/Mcycle');
  });

  it('price over time: a log axis when prices span more than a decade, linear otherwise', () => {
    const spread = multi.timeseries.map((r) =>
      r.mechanism === 'race' && r.price_per_mcycle_mean_usd !== ''
        ? { ...r, price_per_mcycle_mean_usd: String(Number(r.price_per_mcycle_mean_usd) * 50) }
        : r,
    );
    expect(priceOverTimeChart(spread)).toContain('data-scale="log"');
    expect(priceOverTimeChart(multi.timeseries)).not.toContain('data-scale="log"');
  });

  it('latency CDF: a log time axis when latencies span more than a decade', () => {
    const long = multi.latency.map((r) => (r.mechanism === 'race' ? { ...r, latency_s: String(Number(r.latency_s) * 100) } : r));
    const svg = latencyCdfChart(long);
    expect(svg).toMatch(/<g[^>]*class="axis axis-x"[^>]*data-scale="log"|<g[^>]*data-scale="log"[^>]*class="axis axis-x"/);
    expect(svg).toContain('log scale');
  });

  it('latency CDF: one curve per mechanism reaching 100%', () => {
    const svg = latencyCdfChart(multi.latency);
    commonChecks(svg, 'latency-cdf');
    expect((svg.match(/class="series"/g) ?? []).length).toBe(3);
    expect(svg).toContain('>100%<');
  });

  it('cost breakdown: five stacked components, a requester-cost marker per mechanism, negative profit left of zero', () => {
    const svg = costBreakdownChart(multi.summary);
    commonChecks(svg, 'cost-breakdown');
    for (const l of ['useful compute', 'wasted compute', 'operator profit', 'protocol revenue', 'burned'])
      expect(svg).toContain(`>${l}</text>`);
    expect((svg.match(/class="marker"/g) ?? []).length).toBe(3);
    expect(svg).toContain('class="zero"'); // the race fixture has an operator loss
  });

  it('cost breakdown: keeps a mechanism:preset label whole and inside the chart', () => {
    const rows = multi.summary.map((r) => (r.mechanism === 'order-book' ? { ...r, mechanism: 'reverse-dutch:boundless' } : r));
    const svg = costBreakdownChart(rows);
    expect(svg).toContain('>reverse-dutch:boundless</text>');
    expect(outOfBounds(svg)).toEqual([]);
  });

  it('market share: a panel per mechanism with stacked areas and the active-operators line', () => {
    const svg = marketShareChart(multi.shares, multi.timeseries);
    commonChecks(svg, 'market-share');
    expect((svg.match(/class="panel"/g) ?? []).length).toBe(3);
    expect((svg.match(/class="area"/g) ?? []).length).toBe(3 * 6); // 5 entities + others
    expect((svg.match(/class="operators"/g) ?? []).length).toBe(3);
    expect(svg).toContain('>attacker-1</text>');
    expect(svg).toContain('seed 1 of 3');
  });

  it('market share without a time series draws no operators line', () => {
    const svg = marketShareChart(multi.shares);
    expect(svg).not.toContain('class="operators"');
    expect(svg).toContain('class="area"');
  });
});

describe('sweep chart', () => {
  it('draws liveness against the first grid parameter with CI bands, one panel per value of the other grid parameter', () => {
    const svg = sweepChart(aggregate);
    commonChecks(svg, 'sweep-liveness');
    // 2 values of requesters.load × 3 mechanisms × 4 redundancy values: every grid point is drawn.
    expect((svg.match(/class="series"/g) ?? []).length).toBe(2 * 3);
    expect((svg.match(/class="band"/g) ?? []).length).toBe(2 * 3);
    expect(count(svg, 'circle')).toBe(2 * 3 * 4);
    expect(svg).toContain('>market.redundancy</text>');
    expect(svg).toContain('>load = low</text>');
    expect(svg).toContain('>load = high</text>');
    expect(svg).toContain('one panel per load');
  });

  it('facets every grid dimension: a 3 × 3 grid with a third parameter held fixed shows all nine points per mechanism', () => {
    const base = aggregate.filter((r) => r['market.redundancy'] === '1' && r['requesters.load'] === 'low');
    const rows = [1, 2, 3].flatMap((a) =>
      [0.05, 0.2, 0.4].flatMap((b) =>
        base.map((r) => ({
          'p.a': String(a),
          'p.b': String(b),
          'p.c': 'x',
          mechanism: r.mechanism,
          n: r.n,
          liveness_mean: String(0.5 + a / 10 - b),
          liveness_ci95_lo: String(0.4 + a / 10 - b),
          liveness_ci95_hi: String(0.6 + a / 10 - b),
        })),
      ),
    );
    const svg = sweepChart(rows, { gridColumns: ['p.a', 'p.b', 'p.c'] });
    expect(count(svg, 'circle')).toBe(9 * 3);
    expect((svg.match(/class="panel-title"/g) ?? []).length).toBe(3);
  });

  it('clips CI bands at the metric bounds: a CV or a cost never below 0, a share never above 100%', () => {
    const rows = aggregate.map((r) => ({ ...r, price_cv_ci95_lo: '-0.5', liveness_ci95_hi: '1.4' }));
    for (const metric of ['price_cv', 'liveness']) {
      const svg = sweepChart(rows, { metric });
      const ticks = [...svg.matchAll(/class="axis axis-y"[\s\S]*?<\/g>/g)][0]![0];
      expect(ticks, metric).not.toMatch(/>−/); // no negative tick
      expect(ticks, metric).not.toMatch(/>1[1-9]0%</);
    }
  });

  it('takes another metric, parameter and slice', () => {
    const svg = sweepChart(aggregate, { metric: 'price_per_job_mean_usd', param: 'requesters.load', fixed: { 'market.redundancy': '3' } });
    commonChecks(svg, 'sweep-price_per_job_mean_usd');
    expect(svg).toContain('price per job (USD)');
    expect(svg).toContain('>low</text>');
    expect(svg).toContain('>high</text>');
    expect(svg).toContain('redundancy = 3');
  });

  it('rotates long category labels instead of overlapping them', () => {
    const template = aggregate.filter((r) => r['market.redundancy'] === '1' && r['requesters.load'] === 'low');
    const rows = Array.from({ length: 8 }, (_, i) =>
      template.map((r) => ({ 'workload.profile': `a-long-workload-profile-${i}`, ...r })),
    ).flat();
    const svg = sweepChart(rows, { gridColumns: ['workload.profile'] });
    expect(count(svg, 'circle')).toBe(8 * 3);
    expect(svg).toContain('rotated');
    expect(svg).toContain('rotate(-30)');
  });

  it('has no band with a single seed per point', () => {
    const svg = sweepChart(csv('sweep-single', 'aggregate'));
    expect(svg).not.toContain('class="band"');
    expect(svg).toContain('One seed per point');
    expect(count(svg, 'circle')).toBe(3);
  });
});

describe('determinism and robustness', () => {
  it('renders byte-identical SVG for the same input', () => {
    const a = [
      comparisonChart(multi.summary),
      priceOverTimeChart(multi.timeseries),
      latencyCdfChart(multi.latency),
      costBreakdownChart(multi.summary),
      marketShareChart(multi.shares, multi.timeseries),
      sweepChart(aggregate),
    ];
    const b = [
      comparisonChart(multi.summary),
      priceOverTimeChart(multi.timeseries),
      latencyCdfChart(multi.latency),
      costBreakdownChart(multi.summary),
      marketShareChart(multi.shares, multi.timeseries),
      sweepChart(aggregate),
    ];
    expect(b).toEqual(a);
    // in-memory rows (numbers, nulls) draw the same as CSV strings
    const numeric = multi.summary.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === '' ? null : Number.isFinite(Number(v)) ? Number(v) : v])),
    );
    expect(comparisonChart(numeric)).toBe(a[0]);
  });

  it('keeps a mechanism colour fixed across charts through the mechanisms option', () => {
    const order = ['random', 'order-book', 'race'];
    const onlyRace = multi.timeseries.filter((r) => r.mechanism === 'race');
    const svg = priceOverTimeChart(onlyRace, { mechanisms: order });
    expect(svg).toContain('stroke="#009E73"'); // third mechanism colour
    expect(svg).not.toContain('stroke="#0072B2"');
  });

  it('draws valid charts from empty inputs', () => {
    for (const svg of [
      comparisonChart([]),
      priceOverTimeChart([]),
      latencyCdfChart([]),
      costBreakdownChart([]),
      marketShareChart([]),
      sweepChart([]),
    ]) {
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    }
  });

  it('tolerates empty cells: a mechanism with no delivered job', () => {
    const s = csv('run-nojson', 'summary');
    const svg = comparisonChart(s);
    expect(svg).toContain('>n/a</text>');
    expect(svg).not.toMatch(/NaN/);
    expect(priceOverTimeChart(csv('run-nojson', 'timeseries'))).not.toMatch(/NaN/);
  });
});
