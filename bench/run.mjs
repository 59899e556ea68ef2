// `npm run bench`: the engine's throughput and memory on the reference load, then the
// per-mechanism comparison and the sweep benchmark. Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const run = (script, args = []) => {
  const r = spawnSync(process.execPath, ['--max-old-space-size=4096', `${here}${script}`, ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = r.status ?? 1;
};

run('engine.mjs');
if (existsSync(`${here}mechanisms.mjs`)) run('mechanisms.mjs');
if (existsSync(`${here}sweep.mjs`)) run('sweep.mjs');
