// Events per second of every mechanism on one shared scenario: 1,000 operators (the engine
// benchmark's population) and the first 50,000 jobs of its demand. Prints figures; asserts nothing.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { parseScenario } from '../dist/scenario/index.js';
import { runMarket } from '../dist/market/market.js';
import { createMechanism, resolveMechanism } from '../dist/comparison/run-scenario.js';

const JOBS = Number(process.env.PMSIM_BENCH_JOBS ?? 50000);
const file = fileURLToPath(new URL('random-1m.yaml', import.meta.url));
const raw = parse(readFileSync(file, 'utf8'));
raw.name = 'bench-mechanisms';
raw.requesters[0].max_jobs = JOBS;
raw.mechanisms = [
  'random',
  'race',
  'order-book',
  { id: 'reverse-dutch', preset: 'boundless' },
  { id: 'sealed-bid', preset: 'succinct' },
  { id: 'self-hosted', params: { nodes: 400, devices: 2 } },
  'first-fit',
  'batch-auction',
  'reputation',
  'contestable',
];
const s = parseScenario(raw, file);

console.log(`mechanism benchmark: 1,000 operators, ${JOBS.toLocaleString('en-US')} jobs each`);
console.log(
  `  ${'mechanism'.padEnd(26)}${'events'.padStart(12)}${'wall s'.padStart(9)}${'events/s'.padStart(12)}${'jobs/s'.padStart(10)}  liveness`,
);
const rows = [];
for (const ref of s.mechanisms.map(resolveMechanism)) {
  const t0 = process.hrtime.bigint();
  const r = runMarket({ scenario: s, mechanism: createMechanism(ref), seed: s.seed });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = r.metrics;
  rows.push({ label: ref.label, eps: r.events / wall, jps: m.submitted / wall });
  console.log(
    `  ${ref.label.padEnd(26)}${r.events.toLocaleString('en-US').padStart(12)}${wall.toFixed(2).padStart(9)}${Math.round(r.events / wall)
      .toLocaleString('en-US')
      .padStart(12)}${Math.round(m.submitted / wall)
      .toLocaleString('en-US')
      .padStart(10)}  ${(m.onTime / m.submitted).toFixed(4)}`,
  );
}
const slow = rows.reduce((a, b) => (b.jps < a.jps ? b : a));
console.log(`  slowest by jobs/s: ${slow.label} (see docs/performance.md for why)`);
