// `npm run bench`: the CLI's start-up, the engine's throughput and memory on the reference load,
// the M/M/c model on the kernel alone and through the full market, issue 10's scale table (every
// mechanism, one child process per cell), then the per-mechanism comparison and the sweep benchmark.
// Prints figures; asserts nothing. PMSIM_BENCH_QUICK=1: smaller sizes, for CI.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
// Quick mode: fewer jobs per script (scale.mjs reads PMSIM_BENCH_QUICK itself), one repeat, no sweep.
const QUICK = process.env.PMSIM_BENCH_QUICK === '1';
const quickJobs = { 'engine.mjs': 100_000, 'mmc.mjs': 200_000, 'mechanisms.mjs': 10_000 };
const run = (script, args = [], flags = []) => {
  const env =
    QUICK && quickJobs[script] ? { ...process.env, PMSIM_BENCH_JOBS: String(quickJobs[script]), PMSIM_BENCH_REPEAT: '1' } : process.env;
  const r = spawnSync(process.execPath, [...flags, `${here}${script}`, ...args], { stdio: 'inherit', env });
  if (r.status !== 0) process.exitCode = r.status ?? 1;
};

// The CLI's start-up first (issue 10: --help and validate under 0.3 s of CPU), while the machine is quiet.
if (existsSync(`${here}cli-startup.mjs`)) run('cli-startup.mjs', QUICK ? ['3'] : []);
console.log('');
run('engine.mjs');
// The same with a larger young generation (NODE_OPTIONS=--max-semi-space-size=64 does this for the
// CLI): most per-job objects then die young, without being promoted and marked.
if (!QUICK) {
  console.log('\nwith --max-semi-space-size=64:');
  run('engine.mjs', [], ['--max-semi-space-size=64']);
}
console.log('');
run('mmc.mjs');
console.log('');
run('scale.mjs');
console.log('');
if (existsSync(`${here}mechanisms.mjs`)) run('mechanisms.mjs');
if (existsSync(`${here}sweep.mjs`) && !QUICK) run('sweep.mjs');
