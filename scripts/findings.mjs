#!/usr/bin/env node
// Reproduces the tables of docs/findings.md: runs the attack library's sweeps (20 seeds of every
// scenario in scenarios/attacks/ under every mechanism it lists, with `pmsim sweep`) and prints
// Markdown tables of means with t-based 95% confidence intervals.
//
//   npm run build
//   node scripts/findings.mjs                      # run (or resume) the sweeps, print the tables
//   node scripts/findings.mjs --no-run             # only tabulate existing results
//   node scripts/findings.mjs --out DIR --workers 2
//
// Sweep outputs go to results/findings/<scenario>/ (runs.csv, aggregate.csv); the tables are also
// written to results/findings/findings.md. Means are over the runs where a column applies (an
// empty cell: never dominant, no attacker); `k/n` says in how many runs it did.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { csvParse } from 'd3';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(process.env.PMSIM_DIST ?? join(root, 'dist'));
const { summarize } = await import(join(dist, 'sweep', 'stats.js'));

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
};
const out = resolve(opt('--out', join(root, 'results', 'findings')));
const workers = opt('--workers', undefined);
const run = !args.includes('--no-run');

const ATTACKS = ['snarketplace-zero-fee', 'whale-underbid', 'sybil-random', 'lock-griefing', 'overcommit', 'cartel'];
const ALL = ['baseline', ...ATTACKS];

if (run) {
  for (const name of ALL) {
    const sweep = join(root, 'scenarios', 'attacks', 'sweeps', `${name}.yaml`);
    const argv = [join(dist, 'cli', 'main.js'), 'sweep', sweep, '--out', join(out, name), '--quiet'];
    if (workers !== undefined) argv.push('--workers', String(workers));
    process.stderr.write(`sweep ${name}\n`);
    const r = spawnSync(process.execPath, argv, { stdio: 'inherit' });
    if (r.status !== 0) {
      process.stderr.write(`pmsim sweep ${sweep} exited with ${r.status}\n`);
      process.exit(1);
    }
  }
}

/** runs.csv of one scenario, grouped by mechanism (in first-seen order). */
function load(name) {
  const file = join(out, name, 'runs.csv');
  if (!existsSync(file)) throw new Error(`missing ${file}: run without --no-run first`);
  const rows = csvParse(readFileSync(file, 'utf8'));
  const by = new Map();
  for (const r of rows) {
    if (!by.has(r.mechanism)) by.set(r.mechanism, []);
    by.get(r.mechanism).push(r);
  }
  return by;
}

function stat(rows, col) {
  const xs = rows.map((r) => (r[col] === '' || r[col] === undefined ? NaN : Number(r[col]))).filter(Number.isFinite);
  return { ...summarize(xs), of: rows.length };
}

const sig = (x, d) => (Number.isFinite(x) ? Number(x.toPrecision(d)).toString() : '–');
/** Prices per Mcycle are shown in micro-USD (µUSD) per Mcycle. */
const MICRO = 1e6;

/** "mean [lo, hi]" with a k/n suffix when the column applied to only some runs. */
function cell(s, digits = 3, scale = 1) {
  if (s.n === 0) return '–';
  const ci = Number.isFinite(s.lo) ? ` [${sig(s.lo * scale, digits)}, ${sig(s.hi * scale, digits)}]` : '';
  const k = s.n < s.of ? ` (${s.n}/${s.of})` : '';
  return `${sig(s.mean * scale, digits)}${ci}${k}`;
}

const base = load('baseline');
const lines = [];
const p = (s = '') => lines.push(s);

p('### Attack outcomes');
p();
p(
  "Mean [95% CI] over the seeds; `(k/n)`: the column applied in k of n runs (for time to dominance: the attackers reached half of a window's delivered work in k runs).",
);
p();
p('| attack | mechanism | attacker share peak | attack cost (USD) | time to dominance (h) | price after / before | honest exits |');
p('|---|---|---|---|---|---|---|');
for (const name of ATTACKS) {
  for (const [mech, rows] of load(name)) {
    if (mech === 'self-hosted') continue;
    p(
      `| ${name} | ${mech} | ${cell(stat(rows, 'attacker_share_peak'))} | ${cell(stat(rows, 'attack_cost_usd'))} | ${cell(stat(rows, 'time_to_dominance_s'), 3, 1 / 3600)} | ${cell(stat(rows, 'price_ratio_after_before'))} | ${cell(stat(rows, 'honest_exits'))} |`,
    );
  }
}
p();
p('### Effect on the market, against the same market without the attacker (baseline.yaml, same seeds)');
p();
p(
  '| attack | mechanism | liveness | baseline liveness | price per Mcycle (µUSD) | baseline price per Mcycle (µUSD) | latency p95 (s) | baseline latency p95 | honest exits (baseline) |',
);
p('|---|---|---|---|---|---|---|---|---|');
for (const name of ATTACKS) {
  for (const [mech, rows] of load(name)) {
    if (mech === 'self-hosted') continue;
    const b = base.get(mech) ?? [];
    p(
      `| ${name} | ${mech} | ${cell(stat(rows, 'liveness'))} | ${cell(stat(b, 'liveness'))} | ${cell(stat(rows, 'price_per_mcycle_mean_usd'), 3, MICRO)} | ${cell(stat(b, 'price_per_mcycle_mean_usd'), 3, MICRO)} | ${cell(stat(rows, 'latency_p95_s'))} | ${cell(stat(b, 'latency_p95_s'))} | ${cell(stat(b, 'honest_exits'))} |`,
    );
  }
}
p();
p('### Baseline (no attacker), including the self-hosted reference');
p();
p('| mechanism | liveness | price per Mcycle (µUSD) | latency p95 (s) | honest exits | requester cost (USD) |');
p('|---|---|---|---|---|---|');
for (const [mech, rows] of base) {
  p(
    `| ${mech} | ${cell(stat(rows, 'liveness'))} | ${cell(stat(rows, 'price_per_mcycle_mean_usd'), 3, MICRO)} | ${cell(stat(rows, 'latency_p95_s'))} | ${cell(stat(rows, 'honest_exits'))} | ${cell(stat(rows, 'requester_cost_usd'))} |`,
  );
}

const text = `${lines.join('\n')}\n`;
writeFileSync(join(out, 'findings.md'), text);
process.stdout.write(text);
