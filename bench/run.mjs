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

run('engine.mjs');
// The same with a larger young generation (NODE_OPTIONS=--max-semi-space-size=64 does this for the
// CLI): most per-job objects then die young, without being promoted and marked.
console.log('\nwith --max-semi-space-size=64:');
run('engine.mjs', [], ['--max-semi-space-size=64']);
if (existsSync(`${here}mechanisms.mjs`)) run('mechanisms.mjs');
if (existsSync(`${here}sweep.mjs`)) run('sweep.mjs');
