import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  attackChart,
  frontierChart,
  paretoFront,
  parseCsv,
  priceDistributionChart,
  writeReport,
  type ReportRow as Row,
} from '../src/report/index.js';
import { deltaE, ENTITY_COLORS, MECHANISM_COLORS, seriesColor } from '../src/report/palette.js';
import { fixture, tmp } from './fixtures/report/helpers.js';

function csv(dir: string, name: string): Row[] {
  const p = join(fixture(dir), `${name}.csv`);
  return existsSync(p) ? parseCsv(readFileSync(p, 'utf8')) : [];
}
const summary = csv('run-multi', 'summary');
const timeseries = csv('run-multi', 'timeseries');

describe('palette', () => {
  it('gives 12 mechanisms 12 different colours, every pair at least ΔE76 = 20 apart', () => {
    const cs = Array.from({ length: 12 }, (_, i) => seriesColor(i));
    expect(new Set(cs).size).toBe(12);
    for (let i = 0; i < cs.length; i++)
      for (let j = i + 1; j < cs.length; j++) expect(deltaE(cs[i]!, cs[j]!), `${cs[i]} vs ${cs[j]}`).toBeGreaterThanOrEqual(20);
  });

  it('colours entities with a scheme of their own, sharing no colour with the mechanisms', () => {
    for (const e of ENTITY_COLORS) expect(MECHANISM_COLORS as readonly string[]).not.toContain(e);
    expect(new Set(ENTITY_COLORS).size).toBe(ENTITY_COLORS.length);
  });
});

describe('cost–liveness frontier', () => {
  it('draws one point per mechanism with CI bars over seeds and joins the undominated ones', () => {
    const svg = frontierChart(summary);
    expect(svg).toContain('data-chart="frontier"');
    expect((svg.match(/class="point"/g) ?? []).length).toBe(3);
    expect((svg.match(/class="ci"/g) ?? []).length).toBe(3);
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('keeps on the front exactly the points that no other is cheaper and at least as live than', () => {
    const e = (mean: number) => ({ n: 1, mean, sd: 0, lo: mean, hi: mean });
    const pts = [
      { name: 'cheap-dead', cost: e(1), live: e(0.5) },
      { name: 'mid', cost: e(2), live: e(0.9) },
      { name: 'dominated', cost: e(3), live: e(0.8) },
      { name: 'dear-live', cost: e(4), live: e(1) },
    ];
    expect(paretoFront(pts).map((p) => p.name)).toEqual(['cheap-dead', 'mid', 'dear-live']);
  });
});

describe('price distribution', () => {
  it('draws a box per mechanism from the time series when there is no jobs.csv', () => {
    const svg = priceDistributionChart([], timeseries);
    expect((svg.match(/class="box"/g) ?? []).length).toBe(3);
    expect(svg).toContain('one value per window');
  });

  it('uses one value per delivered job from jobs.csv, and the median is the median job price per Mcycle', () => {
    const jobs = [1, 2, 3, 4, 5].map((p) => ({ mechanism: 'race', outcome: 'delivered', price_usd: String(p), mcycles: '1000' }));
    const svg = priceDistributionChart(
      jobs,
      timeseries.filter((r) => r.mechanism === 'race'),
    );
    expect(svg).toContain('one value per delivered job');
    expect(svg).toContain('race: median $0.003/Mcycle');
  });
});

describe('attack panel', () => {
  it("draws the attackers' share and the price per mechanism, with the dominance line where reached", () => {
    const svg = attackChart(timeseries, summary);
    expect((svg.match(/class="attacker-share"/g) ?? []).length).toBe(3);
    expect((svg.match(/class="series"/g) ?? []).length).toBe(3);
    const reached = new Set(summary.filter((r) => String(r.time_to_dominance_s ?? '') !== '').map((r) => r.mechanism));
    expect((svg.match(/class="dominance"/g) ?? []).length).toBe(reached.size);
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });
});

describe('report --metrics', () => {
  it('charts any summary column, three per figure', async () => {
    const out = tmp('metrics');
    await writeReport(fixture('run-multi'), out, {
      formats: ['md'],
      metrics: ['hhi', 'top1_share', 'wasted_compute_usd', 'attack_cost_usd'],
    });
    const figs = readdirSync(join(out, 'figures'));
    expect(figs).toContain('metrics-1.svg');
    expect(figs).toContain('metrics-2.svg');
    const a = readFileSync(join(out, 'figures', 'metrics-1.svg'), 'utf8');
    expect(a).toContain('HHI (0–10,000)');
    expect(a).toContain('top-1 share (%)');
    expect(readFileSync(join(out, 'figures', 'metrics-2.svg'), 'utf8')).toContain('attack cost (USD)');
  });

  it('refuses a column the results do not have', async () => {
    await expect(writeReport(fixture('run-multi'), tmp('metrics-bad'), { formats: ['md'], metrics: ['nope'] })).rejects.toThrow(
      /--metrics: no column "nope" in summary.csv/,
    );
  });

  it('replaces the default metrics of a sweep report', async () => {
    const out = tmp('metrics-sweep');
    await writeReport(fixture('sweep'), out, { formats: ['md'], metrics: ['hhi'] });
    expect(readdirSync(join(out, 'figures'))).toEqual(['sweep-hhi.svg']);
  });
});
