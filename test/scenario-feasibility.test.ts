import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvParse } from 'd3';
import { describe, expect, it } from 'vitest';
import { canEverServe, checkFeasibility } from '../src/scenario/feasibility.js';
import { pmsim } from './cli.js';
import { baseScenario, scenario } from './helpers.js';

const MARKETS = ['random', 'race', 'order-book', { id: 'reverse-dutch', preset: 'boundless' }, { id: 'sealed-bid', preset: 'succinct' }];
const dir = mkdtempSync(join(tmpdir(), 'pmsim-feas-'));

function file(name: string, over: Record<string, unknown>): string {
  const p = join(dir, `${name}.json`);
  writeFileSync(p, JSON.stringify(baseScenario(over)));
  return p;
}

function run(
  path: string,
  out: string,
): { stderr: string; summary: Array<Record<string, string>>; jobs: Array<Record<string, string>>; runJson: { warnings: string[] } } {
  const r = pmsim(['run', path, '--out', out, '--jobs', '--quiet']);
  expect(r.status, r.stderr).toBe(0);
  return {
    stderr: r.stderr,
    summary: csvParse(readFileSync(join(out, 'summary.csv'), 'utf8')) as unknown as Array<Record<string, string>>,
    jobs: csvParse(readFileSync(join(out, 'jobs.csv'), 'utf8')) as unknown as Array<Record<string, string>>,
    runJson: JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')),
  };
}

const apps = {
  name: 'apps',
  arrival: { dist: 'exponential', mean: '10m' },
  size_mcycles: { dist: 'lognormal', median: 300, sigma: 0.5 },
  deadline: '2h',
  max_price_usd_per_mcycle: 0.001,
};

describe('canEverServe', () => {
  it('is true when some node capacity meets the request, false when none does', () => {
    const caps = [
      { cpus: 16, gpus: 1, memoryGb: 64 },
      { cpus: 128, gpus: 8, memoryGb: 512 },
    ];
    expect(canEverServe({ cpus: 0, gpus: 8, memoryGb: 128 }, caps)).toBe(true);
    expect(canEverServe({ cpus: 0, gpus: 16, memoryGb: 128 }, caps)).toBe(false);
    expect(canEverServe({ cpus: 0, gpus: 1, memoryGb: 1024 }, caps)).toBe(false);
    expect(canEverServe({ cpus: 0, gpus: 1, memoryGb: 16 }, [])).toBe(false);
  });
});

describe('feasibility warnings', () => {
  it('the shipped default scenario and a plain small one raise none', () => {
    expect(checkFeasibility(scenario())).toEqual([]);
    const r = pmsim(['validate', 'scenarios/default.yaml']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('a requester no operator can serve: validate warns, and every market mechanism rejects all its jobs at submission', () => {
    const big = { ...apps, name: 'big', resources: { gpus: 16, memory_gb: 128 } };
    const p = file('unservable', { mechanisms: MARKETS, requesters: [apps, big] });
    const v = pmsim(['validate', p]);
    expect(v.status).toBe(0);
    expect(v.stderr).toMatch(
      /warning: .*unservable\.json: requesters\[big\]\.resources: no operator can serve these jobs: they need 16 GPUs, 128 GB/,
    );
    const res = run(p, join(dir, 'out-unservable'));
    expect(res.stderr).toContain('requesters[big].resources');
    expect(res.runJson.warnings.some((w) => w.includes('requesters[big].resources'))).toBe(true);
    const bigJobs = res.jobs.filter((j) => j.requester === '1');
    const perMech = new Map<string, Set<string>>();
    for (const j of bigJobs) (perMech.get(j.mechanism!) ?? perMech.set(j.mechanism!, new Set()).get(j.mechanism!)!).add(j.outcome!);
    expect(perMech.size).toBe(5);
    for (const [m, outcomes] of perMech) expect([...outcomes], m).toEqual(['rejected']);
    const counts = new Set(res.summary.map((s) => s.jobs_rejected));
    expect(counts.size).toBe(1); // the same count under every mechanism
    expect(Number([...counts][0])).toBe(bigJobs.length / 5);
    expect(res.stderr).toMatch(/random: \d+ of \d+ jobs were rejected at submission because no node can serve their resources/);
  });

  it("a deadline below the fastest eligible node's time for the median job: validate warns, and no mechanism delivers those jobs on time", () => {
    const rushed = {
      ...apps,
      name: 'rushed',
      size_mcycles: { dist: 'constant', value: 20000 },
      deadline: '5m',
      arrival: { dist: 'exponential', mean: '2h' },
    };
    const p = file('deadline', { mechanisms: [...MARKETS, { id: 'self-hosted', params: { nodes: 2 } }], requesters: [rushed] });
    const v = pmsim(['validate', p]);
    expect(v.status).toBe(0);
    expect(v.stderr).toMatch(
      /requesters\[rushed\]\.deadline: the median deadline \(5 min\) is below the fastest eligible node's time for the median job \(20000 Mcycles: [\d.]+ (min|h) on gpus \(gpu-rtx4090 x 1\)\)/,
    );
    expect(v.stderr).toMatch(/requesters\[rushed\]\.deadline: .* on the self-hosted cluster/);
    const res = run(p, join(dir, 'out-deadline'));
    expect(res.summary).toHaveLength(6);
    for (const s of res.summary) {
      expect(Number(s.jobs_submitted), s.mechanism).toBeGreaterThan(0);
      expect(Number(s.jobs_on_time), s.mechanism).toBe(0);
    }
  });

  it("offered load above a self-hosted cluster's capacity: validate warns, and the run says at the end that jobs remain open", () => {
    const heavy = {
      ...apps,
      arrival: { dist: 'exponential', mean: '2m' },
      size_mcycles: { dist: 'lognormal', median: 2000, sigma: 0.5 },
      deadline: '6h',
    };
    const p = file('overload', {
      duration: '2d',
      mechanisms: ['random', 'self-hosted'],
      operators: [{ name: 'gpus', entities: 40, nodes: 1, hardware: 'gpu-rtx4090', margin: 0.1 }],
      requesters: [heavy],
    });
    const v = pmsim(['validate', p]);
    expect(v.status).toBe(0);
    expect(v.stderr).toMatch(
      /mechanisms\[1\]: the offered load is about \d+% of what the self-hosted cluster \(4 x gpu-rtx4090 x 1\) can prove/,
    );
    expect(v.stderr).not.toMatch(/ operators: /); // the 40-node market is enough
    const res = run(p, join(dir, 'out-overload'));
    const sh = res.summary.find((s) => s.mechanism === 'self-hosted')!;
    const mk = res.summary.find((s) => s.mechanism === 'random')!;
    expect(Number(sh.jobs_open_end)).toBeGreaterThan(0);
    expect(Number(sh.liveness)).toBeLessThan(0.5);
    expect(Number(mk.liveness)).toBeGreaterThan(0.9);
    const line = `self-hosted: ${sh.jobs_open_end} of ${sh.jobs_submitted} jobs were still open when the run ended`;
    expect(res.stderr).toContain(line);
    expect(res.runJson.warnings.some((w) => w.startsWith(line))).toBe(true);
  });

  it("offered load above the whole market's capacity is a warning on the operators", () => {
    const heavy = { ...apps, arrival: { dist: 'exponential', mean: '30s' }, size_mcycles: { dist: 'constant', value: 3000 } };
    const w = checkFeasibility(scenario({ requesters: [heavy] }));
    expect(w.map((x) => x.kind)).toContain('overload');
    expect(w.find((x) => x.kind === 'overload')!.path).toBe('requesters[apps]');
  });
});

describe('run.json', () => {
  it('records the command as typed, with every flag, and the report reproduces it with npx', () => {
    const out = join(dir, 'out-cmd');
    const r = pmsim(['run', 'scenarios/default.yaml', '--out', out, '--mechanism', 'random', '--quiet', '--report']);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(j.command).toBe(`pmsim run scenarios/default.yaml --out ${out} --mechanism random --quiet --report --seed 42`);
    expect(j.warnings).toEqual([]);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(`npx pmsim run scenarios/default.yaml --out ${out} --mechanism random`);
  });
});
