// Sweep benchmark (part of `npm run bench`; needs dist/, built by `npm run build`):
//  1. throughput (runs/s) of one sweep of scenarios/default.yaml with 1 and 2 workers, and the
//     speedup; for reference, two separate processes running half the runs each (--shard i/2) at
//     once, which shows what the machine gives two independent processes at the moment (other load
//     on shared cores lowers both). BENCH_REPS sets the number of runs (default 32).
//  2. peak RSS of the process running sweeps of 250, 1,000, 4,000 and 10,000 small runs (it must not
//     grow with the number of runs: finished runs go to the journal on disk, nothing holds them all).
// Each measurement runs in a fresh child process so that peak RSS and JIT state do not carry over.
// Prints figures; asserts nothing.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** A small scenario (~10 ms per run): for the memory measurement, where the run count matters. */
const small = {
  name: 'bench-small',
  seed: 1,
  duration: '1d',
  window: '1h',
  mechanisms: ['random'],
  operators: [{ name: 'gpu', entities: 6, hardware: 'gpu-rtx4090', failure_prob: 0.05 }],
  requesters: [
    { name: 'apps', arrival: { dist: 'exponential', mean: '5m' }, size_mcycles: 300, deadline: '1h', max_price_usd_per_mcycle: 0.0005 },
  ],
};

async function child(kind, arg) {
  const { runSweep } = await import(pathToFileURL(join(root, 'dist/sweep/index.js')).href);
  const out = mkdtempSync(join(tmpdir(), 'pmsim-bench-sweep-'));
  try {
    let sweep;
    let workers;
    let shard;
    if (kind === 'throughput' || kind === 'shard') {
      // The default scenario (a week of ~7,700 jobs under each of its mechanisms): runs long enough
      // that the pool's per-task overhead (messages, journal writes) is small against the work.
      sweep = { scenario: join(root, 'scenarios/default.yaml'), seed: 1, replicates: Number(process.env.BENCH_REPS ?? 32) };
      workers = kind === 'shard' ? 1 : Number(arg);
      if (kind === 'shard') shard = `${arg}/2`;
    } else {
      sweep = { scenario: small, seed: 1, replicates: Number(arg) };
      workers = 2;
    }
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const r = await runSweep(sweep, { out, workers, shard });
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6; // every thread of the process
    const rss = process.resourceUsage().maxRSS * 1024;
    // The sweep's own JavaScript heap after a full GC: what the parent retains, whatever the run count.
    for (let i = 0; i < 3; i++) {
      globalThis.gc?.();
      await new Promise((res) => setTimeout(res, 20));
    }
    const heap = process.memoryUsage().heapUsed;
    process.stdout.write(`${JSON.stringify({ runs: r.executed, failed: r.failed, seconds: s, cpu, rss, heap })}\n`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function measure(kind, arg) {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', kind, String(arg)], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const mb = (b) => `${(b / 2 ** 20).toFixed(0)} MB`;

/** Runs two shard processes (1 worker each) at once: what the machine gives two independent processes. */
function twoProcesses() {
  const one = (i) =>
    new Promise((resolve, reject) => {
      const p = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', 'shard', String(i)]);
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`shard ${i} failed`))));
    });
  const t0 = process.hrtime.bigint();
  return Promise.all([one(0), one(1)]).then((rs) => ({
    runs: rs[0].runs + rs[1].runs,
    seconds: Number(process.hrtime.bigint() - t0) / 1e9,
  }));
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4]);
} else {
  const load = () => loadavg()[0].toFixed(1);
  console.log(`\nsweep benchmark (${availableParallelism()} cores, node ${process.version}, load average ${load()})`);
  const t1 = measure('throughput', 1);
  const t2 = measure('throughput', 2);
  const tp = await twoProcesses();
  const r1 = t1.runs / t1.seconds;
  const r2 = t2.runs / t2.seconds;
  const rp = tp.runs / tp.seconds;
  const util = (t) => (t.cpu / t.seconds).toFixed(2);
  console.log(`  throughput, scenarios/default.yaml (${t1.runs} runs, every mechanism of the scenario in each):`);
  console.log(`    1 worker : ${r1.toFixed(2)} runs/s (${t1.seconds.toFixed(1)} s, ${util(t1)} cores busy)`);
  console.log(`    2 workers: ${r2.toFixed(2)} runs/s (${t2.seconds.toFixed(1)} s, ${util(t2)} cores busy)`);
  console.log(`    speedup  : ${(r2 / r1).toFixed(2)}x (target >= 1.8x on 2 idle cores; load average now ${load()})`);
  console.log(`    reference: 2 separate processes, half the runs each (--shard i/2): ${rp.toFixed(2)} runs/s, ${(rp / r1).toFixed(2)}x;`);
  console.log(`               the pool reaches ${((100 * r2) / rp).toFixed(0)}% of what the machine gives two independent processes now`);
  const m250 = measure('memory', 250);
  const m1000 = measure('memory', 1000);
  const m4000 = measure('memory', 4000);
  const m10000 = measure('memory', 10000);
  console.log('  peak RSS of the sweep process, workers included (2 workers, one-day runs):');
  console.log(
    `    250 runs  : ${mb(m250.rss)} peak RSS, ${mb(m250.heap)} main heap after GC (${(m250.runs / m250.seconds).toFixed(0)} runs/s)`,
  );
  console.log(
    `    1,000 runs: ${mb(m1000.rss)} peak RSS, ${mb(m1000.heap)} main heap after GC (${(m1000.runs / m1000.seconds).toFixed(0)} runs/s)`,
  );
  console.log(
    `    4,000 runs: ${mb(m4000.rss)} peak RSS, ${mb(m4000.heap)} main heap after GC (${(m4000.runs / m4000.seconds).toFixed(0)} runs/s)`,
  );
  console.log(
    `    10,000 runs: ${mb(m10000.rss)} peak RSS, ${mb(m10000.heap)} main heap after GC (${(m10000.runs / m10000.seconds).toFixed(0)} runs/s)`,
  );
  console.log(`    ratio 1,000/250: ${(m1000.rss / m250.rss).toFixed(2)}, 10,000/1,000: ${(m10000.rss / m1000.rss).toFixed(2)}`);
  console.log("    (nothing holds results: the main heap stays the same; RSS grows while V8 lets each worker's");
  console.log('     heap grow toward its first old-generation limit, then levels off whatever the number of runs)');
}
