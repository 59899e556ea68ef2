// Load benchmark of the live coordinator (`pmsim serve`): 50 concurrent loopback clients send a
// bounded mix of requests (submit, deliver, available, reads, retries, badly signed requests) to
// random allocation on wall time, and the script prints throughput and latency percentiles.
//
//   npm run build && node bench/service-load.mjs [--requests 20000] [--clients 50] [--sync full|normal] [--db FILE|:memory:]
//
// The server runs in this process (one event loop shared with the clients), as in the test.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseScenario } from '../dist/scenario/load.js';
import { startService } from '../dist/service/index.js';
import { checkAfterLoad, quantile, runLoad } from '../dist/service/load.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    clients: { type: 'string', default: '50' },
    sync: { type: 'string', default: 'full' },
    db: { type: 'string' },
  },
});
const scenario = parseScenario(
  {
    name: 'bench',
    seed: 1,
    duration: '1d',
    mechanisms: ['random'],
    operators: [{ name: 'g', hardware: 'gpu-rtx4090' }],
    requesters: [{ name: 'a', arrival: '5m', size_mcycles: 300, deadline: '2h', max_price_usd_per_mcycle: 0.001 }],
  },
  'bench.yaml',
);
const db = values.db ?? join(mkdtempSync(join(tmpdir(), 'pmsim-bench-')), 'log.db');
const svc = await startService({ scenario, mechanism: 'random', db, sync: values.sync });
const cpu0 = process.cpuUsage();
const r = await runLoad({ url: svc.url, clients: Number(values.clients), requests: Number(values.requests), seed: 1 });
const cpu = process.cpuUsage(cpu0);
const check = await checkAfterLoad(svc.url, r.acked);
const k = svc.coordinator.counters;
await svc.close();
const ms = (q) => quantile(r.latenciesMs, q).toFixed(2);
console.log(`coordinator load: ${r.sent} requests from ${values.clients} clients, db ${values.db ?? 'temp file'}, sync ${values.sync}`);
console.log(`  wall ${r.wallSeconds.toFixed(2)} s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (server and clients, one process)`);
console.log(
  `  throughput ${(r.sent / r.wallSeconds).toFixed(0)} requests/s (${r.acked.length} acknowledged writes, ${(r.acked.length / r.wallSeconds).toFixed(0)}/s)`,
);
console.log(`  latency p50 ${ms(0.5)} ms, p90 ${ms(0.9)} ms, p99 ${ms(0.99)} ms, max ${ms(1)} ms`);
console.log(
  `  log: ${k.entries} entries in ${k.commits} commits (${(k.entries / Math.max(1, k.commits)).toFixed(1)} per commit), ${k.commitSeconds.toFixed(2)} s committing`,
);
console.log(
  `  mix: ${Object.entries(r.byKind)
    .map(([a, n]) => `${a} ${n}`)
    .join(', ')}`,
);
console.log(
  `  checks: ${check.problems.length === 0 ? 'ok' : check.problems.join('; ')} (${check.jobs} jobs, ${check.delivered} delivered)`,
);
if (check.problems.length > 0 || r.errors > 0) process.exitCode = 1;
