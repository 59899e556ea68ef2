#!/usr/bin/env node
// The reputation study of docs/findings.md (issue 13): reputation-weighted selection (Aztec forum
// #2489) against plain random allocation and the two auctions (sealed-bid, reverse-dutch) without an
// attacker (baseline.yaml) and under the
// sybil, flaky and lock-griefing attacks of scenarios/attacks/. Each attack scenario runs as
// written, with two changes: the mechanisms are the six below, and a group of three newcomers (one
// honest RTX 4090 each, like the `home` provers but with no exit rule) joins after day 1, so the
// newcomers' share of delivered work can be followed day by day. Seeds 1..N (common random numbers
// across the mechanisms of a seed). Means with t-based 95% confidence intervals.
//
//   npm run build
//   node scripts/reputation-study.mjs               # 20 seeds, prints Markdown tables
//   node scripts/reputation-study.mjs --seeds 5     # quicker
//   node scripts/reputation-study.mjs --ablation    # which part does what: the backup race without
//                                                   # reputation (topShare 1, no exploration: a uniform
//                                                   # draw as random's), reputation without the race
//
// Nothing is written to disk: the tables go to stdout, progress to stderr.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(process.env.PMSIM_DIST ?? join(root, 'dist'));
const { summarize } = await import(join(dist, 'sweep', 'stats.js'));
const { parseScenario } = await import(join(dist, 'scenario', 'load.js'));
const { runScenario } = await import(join(dist, 'comparison', 'run-scenario.js'));

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
};
const SEEDS = Number(opt('--seeds', '20'));
// The no-attacker baseline first, as the reference for each mechanism.
const ATTACKS = ['baseline', 'sybil-random', 'flaky', 'lock-griefing'];
const ABLATION = [
  'random',
  'reputation',
  { id: 'reputation', label: 'race-only', params: { topShare: 1, exploration: 0 } },
  { id: 'reputation', label: 'no-race', params: { backupProvers: 0 } },
];
const MECHANISMS = args.includes('--ablation')
  ? ABLATION
  : [
      'random',
      'reputation',
      { id: 'reputation', preset: 'aztec-2489' },
      { id: 'reputation', preset: 'weighted' },
      'sealed-bid',
      'reverse-dutch',
    ];
const DAY = 86400;
const JOIN_DAY = 1;
const NEWCOMERS = {
  name: 'newcomer',
  entities: 3,
  hardware: 'gpu-rtx4090',
  strategy: 'no-regret',
  cost_basis: 'full',
  cost_factor: { dist: 'uniform', min: 0.6, max: 1.4 },
  params: { full_cost_utilisation: 0.4 },
  margin: 0.2,
  failure_prob: 0,
  fixed_usd_per_hour: 0.005,
  join_at: `${JOIN_DAY}d`,
};

/** Per (attack, mechanism label): per-seed summary values and newcomer shares by day. */
const results = new Map();
const cellOf = (attack, label) => {
  const k = `${attack}\u0000${label}`;
  if (!results.has(k)) results.set(k, { attack, label, rows: [], days: [] });
  return results.get(k);
};

for (const attack of ATTACKS) {
  const file = join(root, 'scenarios', 'attacks', `${attack}.yaml`);
  const raw = parse(readFileSync(file, 'utf8'));
  raw.mechanisms = MECHANISMS;
  raw.operators = [...raw.operators, NEWCOMERS];
  const scenario = parseScenario(raw, file);
  const days = Math.ceil(scenario.duration / DAY);
  for (let seed = 1; seed <= SEEDS; seed++) {
    process.stderr.write(`${attack} seed ${seed}/${SEEDS}\n`);
    // Delivered Mcycles per mechanism and day: all, and by newcomers.
    const work = new Map();
    const res = runScenario(scenario, {
      seed,
      onJob: (label, row) => {
        if (row.outcome !== 'delivered') return;
        if (!work.has(label)) work.set(label, { all: new Array(days).fill(0), mine: new Array(days).fill(0) });
        const w = work.get(label);
        const d = Math.min(days - 1, Math.floor(row.ended_s / DAY));
        w.all[d] += row.mcycles;
        if (row.entity.startsWith('newcomer')) w.mine[d] += row.mcycles;
      },
    });
    for (const row of res.summary) {
      const c = cellOf(attack, row.mechanism);
      c.rows.push(row);
      const w = work.get(row.mechanism) ?? { all: [], mine: [] };
      c.days.push(w.all.map((a, d) => (a > 0 ? w.mine[d] / a : Number.NaN)));
    }
  }
}

const sig = (x, d = 3) => (Number.isFinite(x) ? Number(x.toPrecision(d)).toString() : '–');
function cell(xs, digits = 3, scale = 1) {
  const s = summarize(xs.filter(Number.isFinite));
  if (s.n === 0) return '–';
  const ci = Number.isFinite(s.lo) ? ` [${sig(s.lo * scale, digits)}, ${sig(s.hi * scale, digits)}]` : '';
  return `${sig(s.mean * scale, digits)}${ci}`;
}
const col = (c, k) => c.rows.map((r) => Number(r[k] === '' ? Number.NaN : r[k]));

const lines = [];
const p = (s = '') => lines.push(s);
p(
  `Seeds 1..${SEEDS}; mean [95% CI]. Newcomers: 3 honest RTX 4090 entities joining at day ${JOIN_DAY} (share of delivered Mcycles in the day).`,
);
p();
p(
  '| attack | mechanism | liveness | requester cost (USD) | price per Mcycle (µUSD) | HHI | attacker share peak | newcomers day 2 | newcomers day 3 | newcomers day 5 |',
);
p('|---|---|---|---|---|---|---|---|---|---|');
for (const c of results.values()) {
  const day = (d) => c.days.map((xs) => xs[d - 1] ?? Number.NaN);
  p(
    `| ${c.attack} | ${c.label} | ${cell(col(c, 'liveness'))} | ${cell(col(c, 'requester_cost_usd'))} | ${cell(col(c, 'price_per_mcycle_mean_usd'), 3, 1e6)} | ${cell(col(c, 'hhi'), 3)} | ${cell(col(c, 'attacker_share_peak'))} | ${cell(day(2))} | ${cell(day(3))} | ${cell(day(5))} |`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
