// `npm run bench`: the engine's throughput and memory on the reference load, then the
// per-mechanism comparison and the sweep benchmark. Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const run = (script, args = [], flags = []) => {
  const r = spawnSync(process.execPath, [...flags, `${here}${script}`, ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = r.status ?? 1;
};

// The CLI's start-up first (issue 10: --help and validate under 0.3 s of CPU), while the machine is quiet.
if (existsSync(`${here}cli-startup.mjs`)) run('cli-startup.mjs');
console.log('');
run('engine.mjs');
// The same with a larger young generation (NODE_OPTIONS=--max-semi-space-size=64 does this for the
// CLI): most per-job objects then die young, without being promoted and marked.
console.log('\nwith --max-semi-space-size=64:');
run('engine.mjs', [], ['--max-semi-space-size=64']);
if (existsSync(`${here}mechanisms.mjs`)) run('mechanisms.mjs');
if (existsSync(`${here}sweep.mjs`)) run('sweep.mjs');
