// Random allocation, 1,000 operators, 1,000,000 jobs: events per second and peak RSS.
// The run is repeated (PMSIM_BENCH_REPEAT, default 3) in one process; it prints every run, the best
// and the median, because this 2-core VM's timings vary by ±30% from run to run.
import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../dist/scenario/index.js';
import { runMarket } from '../dist/market/market.js';
import { createMechanism, resolveMechanism } from '../dist/comparison/run-scenario.js';

const file = fileURLToPath(new URL('random-1m.yaml', import.meta.url));
const s = loadScenarioFile(file);
// PMSIM_BENCH_JOBS shortens the run.
if (process.env.PMSIM_BENCH_JOBS) s.requesters[0].max_jobs = Number(process.env.PMSIM_BENCH_JOBS);
const repeat = Number(process.env.PMSIM_BENCH_REPEAT ?? 3);
let peak = process.memoryUsage().rss;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
timer.unref();

console.log('engine benchmark: random allocation, bench/random-1m.yaml');
const rates = [];
let last;
for (let i = 0; i < repeat; i++) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const r = runMarket({ scenario: s, mechanism: createMechanism(resolveMechanism(s.mechanisms[0])), seed: s.seed });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c1 = process.cpuUsage(c0);
  peak = Math.max(peak, process.memoryUsage().rss);
  rates.push(r.events / wall);
  last = r;
  console.log(
    `  run ${i + 1}: ${r.events.toLocaleString('en-US')} events in ${wall.toFixed(2)} s wall, ${((c1.user + c1.system) / 1e6).toFixed(2)} s CPU: ${Math.round(r.events / wall).toLocaleString('en-US')} events/s`,
  );
}
const sorted = [...rates].sort((a, b) => a - b);
console.log(`  operators (nodes)   ${last.population.nodes.length}`);
console.log(`  jobs submitted      ${last.metrics.submitted.toLocaleString('en-US')}`);
console.log(`  liveness            ${(last.metrics.onTime / last.metrics.submitted).toFixed(4)}`);
console.log(
  `  events per second   best ${Math.round(sorted[sorted.length - 1]).toLocaleString('en-US')}, median ${Math.round(sorted[Math.floor(sorted.length / 2)]).toLocaleString('en-US')}   (target ≥ 1,000,000)`,
);
console.log(`  peak RSS            ${(peak / 2 ** 20).toFixed(0)} MB   (target ≤ 512 MB)`);
