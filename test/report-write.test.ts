import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport, loadResults, parseCsv, runHeadlines, writeReport } from '../src/report/index.js';
import { fmtPct } from '../src/report/format.js';
import { count, fixture, tmp } from './fixtures/report/helpers.js';

function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p, base));
    else out.push(relative(base, p));
  }
  return out.sort();
}

describe('writeReport on a run directory', () => {
  it('writes report.html, report.md and SVG + PNG figures, and returns their paths', async () => {
    const out = tmp('run');
    const files = await writeReport(fixture('run-multi'), out);
    const names = [
      'comparison',
      'frontier',
      'cost-breakdown',
      'price-over-time',
      'price-distribution',
      'latency-cdf',
      'market-share',
      'attack',
    ];
    expect(listFiles(out)).toEqual([...names.flatMap((n) => [`figures/${n}.png`, `figures/${n}.svg`]), 'report.html', 'report.md'].sort());
    expect(files.map((f) => relative(out, f)).sort()).toEqual(listFiles(out));
    const png = readFileSync(join(out, 'figures', 'comparison.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1440); // 2× the 720 px chart
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('![Mechanisms compared](figures/comparison.png)');
    expect(md).toContain('([SVG](figures/comparison.svg))');
  });

  it('states scenario, seeds, version, the command to reproduce and key figures', async () => {
    const out = tmp('run-text');
    await writeReport(fixture('run-multi'), out, { formats: ['html', 'md'] });
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    for (const text of [html, md]) {
      expect(text).toContain('cartel-attack');
      expect(text).toContain('3 seeds: 1, 2, 3');
      expect(text).toContain('pmsim 0.1.0');
      expect(text).toContain('pmsim run scenarios/cartel-attack.yaml');
      expect(text).toContain('pmsim report');
      expect(text).toContain('Key figures (means over 3 seeds)');
    }
    expect(md).toContain('![Mechanisms compared](figures/comparison.svg)'); // no PNG asked for
    expect(md).toMatch(/\| mechanism \| on time \| total cost \/ job \|/);
    // self-contained: inline SVG and CSS, no external resources
    expect(count(html, 'svg')).toBe(8);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|src="http|href="http|@import/);
  });

  it('writes headlines computed from the data, not fixed text', async () => {
    const summary = parseCsv(readFileSync(join(fixture('run-multi'), 'summary.csv'), 'utf8'));
    const mean = (m: string) => {
      const xs = summary.filter((r) => r.mechanism === m).map((r) => Number(r.liveness));
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    const r = buildReport(loadResults(fixture('run-multi')));
    expect(r.headlines[0]).toBe(
      `Random allocation delivered ${fmtPct(mean('random'))} of jobs on time vs ${fmtPct(mean('order-book'))} for the order book.`,
    );

    // Change the data: the order book becomes the most live; the headline follows.
    const dir = tmp('run-changed');
    cpSync(fixture('run-multi'), dir, { recursive: true });
    const csv = readFileSync(join(dir, 'summary.csv'), 'utf8').split('\n');
    const cols = csv[0].split(',');
    const li = cols.indexOf('liveness');
    const changed = csv.map((line, i) => {
      if (i === 0 || line === '') return line;
      const cells = line.split(',');
      if (cells[1] === 'order-book') cells[li] = '0.9999';
      return cells.join(',');
    });
    writeFileSync(join(dir, 'summary.csv'), changed.join('\n'));
    const r2 = buildReport(loadResults(dir));
    expect(r2.headlines[0]).toMatch(/^The order book delivered 100\.0% of jobs on time vs 97\.\d% for the proving race\.$/);
  });

  it('words attack headlines from the data: dominance in some runs, from the start, or never', () => {
    const summary = parseCsv(readFileSync(join(fixture('run-multi'), 'summary.csv'), 'utf8'));
    const h = (rows: typeof summary) => runHeadlines(rows).find((x) => x.startsWith('They ')) ?? '';
    expect(h(summary)).toBe(
      'They reached their target share under the order book (after 2 h on average), never under random allocation and the proving race.',
    );
    const some = summary.map((r) => (r.mechanism === 'order-book' && r.seed === '2' ? { ...r, time_to_dominance_s: '' } : r));
    expect(h(some)).toContain('(after 2 h on average, in 2 of 3 runs)');
    const start = summary.map((r) => (r.mechanism === 'race' ? { ...r, time_to_dominance_s: '0' } : r));
    expect(h(start)).toContain('the proving race (from the first window)');
    const never = summary.map((r) => ({ ...r, time_to_dominance_s: '' }));
    expect(h(never)).toBe('They never reached their target share.');
    const noAttack = summary.map((r) => ({ ...r, attacker_share_peak: '' }));
    expect(runHeadlines(noAttack).some((x) => /attacker|target share/.test(x))).toBe(false);
  });

  it('is byte-identical when written twice (HTML, Markdown, SVG and PNG)', async () => {
    const a = tmp('det-a');
    const b = tmp('det-b');
    await writeReport(fixture('run-multi'), a);
    await writeReport(fixture('run-multi'), b);
    const files = listFiles(a);
    expect(listFiles(b)).toEqual(files);
    for (const f of files) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
  });

  it('works for a single mechanism and a single seed, without shares.csv', async () => {
    const out = tmp('single');
    await writeReport(fixture('run-single'), out, { formats: ['md', 'html'] });
    expect(existsSync(join(out, 'figures', 'market-share.svg'))).toBe(false);
    expect(existsSync(join(out, 'figures', 'comparison.png'))).toBe(false);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('# solo: random results');
    expect(md).toContain('seed 7');
    expect(md).toContain('pmsim run <solo.yaml> --seed 7');
    expect(md).toContain('![Mechanisms compared](figures/comparison.svg)');
    // (requester cost 428.29 + emission 0) / 995 delivered jobs
    expect(md).toMatch(
      /Random allocation delivered 99\.0% of 1,000 submitted jobs on time, at a total cost of proving of \$0\.43 per delivered job\./,
    );
    expect(md).toContain('Key figures (seed 7)');
  });

  it('works without run.json and with a mechanism that delivered nothing', async () => {
    const out = tmp('nojson');
    await writeReport(fixture('run-nojson'), out, { formats: ['html'] });
    expect(listFiles(out)).toEqual(['report.html']);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('pmsim version not recorded');
    expect(html).not.toMatch(/NaN/);
    expect(html).toContain('with-empty-mechanism');
  });

  it('leaves no temporary files behind', async () => {
    const out = tmp('atomic');
    await writeReport(fixture('run-single'), out);
    expect(listFiles(out).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('rejects an unknown format', async () => {
    await expect(writeReport(fixture('run-single'), tmp('badfmt'), { formats: ['pdf' as never] })).rejects.toThrow(/unknown report format/);
  });
});

describe('writeReport on a sweep directory', () => {
  it('draws one sweep chart per metric and tables by grid value', async () => {
    const out = tmp('sweep');
    await writeReport(fixture('sweep'), out);
    expect(listFiles(out).filter((f) => f.endsWith('.svg'))).toEqual([
      'figures/sweep-liveness.svg',
      'figures/sweep-price_cv.svg',
      'figures/sweep-price_per_job_mean_usd.svg',
    ]);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('# redundancy-sweep: sweep over redundancy');
    expect(md).toContain('pmsim sweep sweeps/redundancy.yaml');
    expect(md).toContain('pmsim 0.1.0');
    expect(md).toMatch(/At redundancy = 1, random allocation delivered 91\.\d% on time vs 85\.\d% for the order book\./);
    expect(md).toContain('| redundancy | random | order-book | race |');
    expect(md).toContain('the results for other values of load are in aggregate.csv');
    expect(md).toContain('master seed 7, 3 replicates per point');
    expect(md).not.toContain('runs failed');
  });

  it('reports failed runs recorded in manifest.json', () => {
    const dir = tmp('sweep-failed');
    cpSync(fixture('sweep'), dir, { recursive: true });
    const man = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { runs: Array<Record<string, unknown>> };
    man.runs[3] = { ...man.runs[3], status: 'failed', error: 'boom' };
    man.runs[5] = { ...man.runs[5], status: 'failed', error: 'boom' };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(man));
    const r = buildReport(loadResults(dir));
    expect(r.headlines[r.headlines.length - 1]).toBe(
      `2 of ${man.runs.length} runs failed (their errors are in manifest.json); the figures leave them out.`,
    );
  });

  it('works for a single mechanism and seed, without manifest.json', async () => {
    const out = tmp('sweep-single');
    await writeReport(fixture('sweep-single'), out, { formats: ['html', 'md'] });
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('seed 5');
    expect(md).toContain('pmsim sweep <sweep.yaml>');
    expect(md).toMatch(/Under random allocation, liveness from \d+\.\d% at redundancy = 1 to \d+\.\d% at redundancy = 3\./);
    expect(md).not.toContain('aggregate.csv'); // no other grid values to point to
  });

  it('is byte-identical when written twice', async () => {
    const a = tmp('sweep-det-a');
    const b = tmp('sweep-det-b');
    await writeReport(fixture('sweep'), a, { formats: ['html', 'md'] });
    await writeReport(fixture('sweep'), b, { formats: ['html', 'md'] });
    for (const f of listFiles(a)) expect(readFileSync(join(b, f), 'utf8')).toBe(readFileSync(join(a, f), 'utf8'));
  });
});
