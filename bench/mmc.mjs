// The M/M/c model twice: on the kernel alone (src/engine: two event kinds, a FIFO of waiting jobs,
// exponential draws) and through the full market (the self-hosted baseline: c identical rented nodes,
// FIFO, Poisson arrivals, exponential sizes), at the same λ, μ and c. Prints jobs/s of each and the
// ratio (issue 10's target: the full market within 4× of the kernel). SimPy cannot run in CI, so the
// kernel is the yardstick. Asserts nothing.
//   node bench/mmc.mjs              PMSIM_BENCH_JOBS (default 1,000,000), PMSIM_BENCH_REPEAT (default 3)
//   node bench/mmc.mjs --one market one run of the full market in this process (for `node --cpu-prof`)
// PMSIM_MMC_MECH=first-fit: the full market is first-fit on C identical operators instead.
// PMSIM_MMC_MARGINAL=1: each side also at a quarter of the jobs, to split its CPU into a fixed part
// (set-up and the JIT's warm-up, paid once per process) and a marginal cost per job (the slope).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { hardwareById, nodeModel } from '../dist/hardware-models/index.js';
import { rngStream } from '../dist/engine/rng.js';
import { Simulation } from '../dist/engine/simulation.js';
import { runMarket } from '../dist/market/market.js';
import { firstFit } from '../dist/mechanisms/first-fit/index.js';
import { selfHosted } from '../dist/mechanisms/self-hosted/index.js';
import { parseScenario } from '../dist/scenario/load.js';

const JOBS = Number(process.env.PMSIM_BENCH_JOBS ?? 1_000_000);
const REPEAT = Number(process.env.PMSIM_BENCH_REPEAT ?? 3);
const C = 10;
const RHO = 0.8;
const MEAN_MCYCLES = 800;
// E[S] of the cluster's nodes (RTX 4090, rented): the kernel model's mean service time too.
const es = nodeModel(hardwareById('gpu-rtx4090'), 1, 'rented', 0.12).duration(MEAN_MCYCLES, 'zkvm');
const gap = es / (C * RHO);

/** M/M/c on the kernel alone: ARRIVAL and DEPART events, `busy` servers, a FIFO ring of arrival times. */
function kernelRun(seed) {
  const sim = new Simulation();
  const arrivals = rngStream(seed, 0, 'arrivals');
  const service = rngStream(seed, 0, 'service');
  const queue = new Float64Array(1 << 16);
  let head = 0;
  let tail = 0;
  let busy = 0;
  let submitted = 0;
  let served = 0;
  let waitSum = 0;
  const exp = (rng, mean) => -mean * Math.log(1 - rng.next());
  const ARRIVAL = sim.on(0, () => {
    submitted++;
    if (submitted < JOBS) sim.schedule(exp(arrivals, gap), ARRIVAL);
    if (busy < C) {
      busy++;
      sim.schedule(exp(service, es), DEPART);
    } else queue[tail++ & 0xffff] = sim.now;
  });
  const DEPART = sim.on(1, () => {
    served++;
    if (head < tail) {
      waitSum += sim.now - queue[head++ & 0xffff];
      sim.schedule(exp(service, es), DEPART);
    } else busy--;
  });
  sim.at(0, ARRIVAL);
  sim.run();
  return { jobs: served, events: sim.events, meanWait: waitSum / served };
}

/**
 * The same model through the whole market: the self-hosted baseline's FIFO cluster of C nodes
 * (PMSIM_MMC_MECH=first-fit: first-fit assignment on C identical operators, no time limit).
 */
const FIRST_FIT = process.env.PMSIM_MMC_MECH === 'first-fit';
function marketRun(seed) {
  const params = FIRST_FIT ? { limit: 'fixed', timeout: 0 } : { nodes: C, devices: 1, failureProb: 0 };
  const scenario = parseScenario({
    name: 'bench-mmc',
    seed,
    duration: Math.ceil(JOBS * gap * 1.2),
    window: '1d',
    mechanisms: [{ id: FIRST_FIT ? 'first-fit' : 'self-hosted', params }],
    operators: FIRST_FIT
      ? [{ name: 'same', entities: C, nodes: 1, hardware: 'gpu-rtx4090', ownership: 'rented', margin: 0.2, failure_prob: 0 }]
      : [{ name: 'unused', entities: 1, nodes: 1, hardware: 'gpu-rtx4090' }],
    requesters: [
      {
        name: 'apps',
        arrival: { dist: 'exponential', mean: gap },
        size_mcycles: { dist: 'exponential', mean: MEAN_MCYCLES },
        deadline: '3650d',
        max_price_usd_per_mcycle: 0.001,
        max_jobs: JOBS,
        resources: { gpus: 1, memory_gb: 16 },
      },
    ],
  });
  const r = runMarket({ scenario, mechanism: FIRST_FIT ? firstFit(params) : selfHosted(params), seed });
  return { jobs: r.metrics.delivered, events: r.events, meanWait: r.metrics.latency.mean() - es };
}

/** CPU seconds (user + system) and wall seconds of one call. */
function timed(fn) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const r = fn();
  const c = process.cpuUsage(c0);
  return { ...r, cpu: (c.user + c.system) / 1e6, wall: Number(process.hrtime.bigint() - t0) / 1e9 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (process.argv[2] === '--one') {
  // Child: one run of one side, one JSON line.
  const r = timed(() => (process.argv[3] === 'kernel' ? kernelRun(1) : marketRun(1)));
  console.log(JSON.stringify(r));
} else {
  // Each run in a fresh process, as `pmsim run` does: the figure includes the JIT's warm-up, amortised
  // over the run, and no run inherits another's heap.
  const mech = FIRST_FIT ? 'first-fit' : 'self-hosted';
  console.log(
    `M/M/c, c = ${C}, ρ = ${RHO}, E[S] = ${es.toFixed(0)} s, ${JOBS.toLocaleString('en-US')} jobs, median of ${REPEAT} processes (CPU-s of the run):`,
  );
  const rows = [];
  /** REPEAT fresh processes of one side at `jobs` jobs. */
  const runsOf = (side, jobs) =>
    Array.from({ length: REPEAT }, () => {
      const env = { ...process.env, PMSIM_BENCH_JOBS: String(jobs) };
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--one', side], { encoding: 'utf8', env });
      if (r.status !== 0) throw new Error(r.stderr);
      return JSON.parse(r.stdout.trim().split('\n').pop());
    });
  for (const [label, side] of [
    ['kernel alone (src/engine)', 'kernel'],
    [`full market (${mech})`, 'market'],
  ]) {
    const runs = runsOf(side, JOBS);
    const cpu = median(runs.map((r) => r.cpu));
    if (process.env.PMSIM_MMC_MARGINAL === '1') {
      const quarter = median(runsOf(side, Math.round(JOBS / 4)).map((r) => r.cpu));
      rows.marginal = [
        ...(rows.marginal ?? []),
        { label, perJob: (cpu - quarter) / (JOBS - Math.round(JOBS / 4)), fixed: quarter - (cpu - quarter) / 3 },
      ];
    }
    const jobs = runs[0].jobs;
    rows.push({ label, cpu, jps: jobs / cpu });
    console.log(
      `  ${label.padEnd(28)}${Math.round(jobs / cpu)
        .toLocaleString('en-US')
        .padStart(
          12,
        )} jobs/CPU-s  ${((cpu / jobs) * 1e6).toFixed(2).padStart(7)} µs/job  ${(runs[0].events / jobs).toFixed(2)} events/job  mean wait ${runs[0].meanWait.toFixed(0)} s  (runs: ${runs.map((r) => r.cpu.toFixed(2)).join(', ')} s)`,
    );
  }
  const ratio = rows[1].cpu / rows[0].cpu;
  console.log(`  full market / kernel: ${ratio.toFixed(2)}× per job   (target ≤ 4×) ${ratio <= 4 ? 'pass' : 'FAIL'}`);
  if (rows.marginal) {
    // cpu(N) = fixed + N·perJob, fitted through N/4 and N jobs (medians).
    for (const m of rows.marginal)
      console.log(
        `  ${m.label.padEnd(28)}marginal ${(m.perJob * 1e6).toFixed(3)} µs/job, fixed ${m.fixed.toFixed(3)} CPU-s (set-up and JIT warm-up)`,
      );
    const [k, f] = rows.marginal;
    console.log(
      `  marginal full market / kernel: ${(f.perJob / k.perJob).toFixed(2)}× per job (a diagnostic; the target is the ratio above)`,
    );
  }
}
