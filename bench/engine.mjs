// Random allocation, 1,000 operators, 1,000,000 jobs: events per second and peak RSS.
import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../dist/scenario/index.js';
import { runMarket } from '../dist/market/market.js';
import { createMechanism, resolveMechanism } from '../dist/market/run-scenario.js';

const file = fileURLToPath(new URL('random-1m.yaml', import.meta.url));
const s = loadScenarioFile(file);
let peak = process.memoryUsage().rss;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
timer.unref();
const c0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const r = runMarket({ scenario: s, mechanism: createMechanism(resolveMechanism(s.mechanisms[0])), seed: s.seed });
const wall = Number(process.hrtime.bigint() - t0) / 1e9;
const c1 = process.cpuUsage(c0);
const cpu = (c1.user + c1.system) / 1e6;
peak = Math.max(peak, process.memoryUsage().rss);
const nodes = r.population.nodes.length;
console.log('engine benchmark: random allocation');
console.log(`  operators (nodes)   ${nodes}`);
console.log(`  jobs submitted      ${r.metrics.submitted.toLocaleString('en-US')}`);
console.log(`  liveness            ${(r.metrics.onTime / r.metrics.submitted).toFixed(4)}`);
console.log(`  events              ${r.events.toLocaleString('en-US')}`);
console.log(`  wall time           ${wall.toFixed(2)} s`);
console.log(`  events per second   ${Math.round(r.events / wall).toLocaleString('en-US')}   (target ≥ 1,000,000)`);
console.log(`  CPU time            ${cpu.toFixed(2)} s   (${Math.round(r.events / cpu).toLocaleString('en-US')} events per CPU-second)`);
console.log(`  peak RSS            ${(peak / 2 ** 20).toFixed(0)} MB   (target ≤ 512 MB)`);
