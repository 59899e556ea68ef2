// `node bench/web.mjs [runs]` (after `npm run build && npm run build:web`): the explorer's bundle
// size, and the default scenario's time in headless Chromium's Web Worker against Node's, for the
// same work (parse + every mechanism + the result tables as CSV text). Prints figures; asserts nothing.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.argv[2] ?? 5);
// CPU seconds (user + system) of every process below this one (Chromium's browser, renderer and GPU
// processes; Linux /proc only), so the browser's figures have CPU beside wall time.
function descendantsCpuMs() {
  const ppid = new Map();
  const ticks = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // after "pid (comm) ": state, ppid, ...
      ppid.set(Number(d), Number(f[1]));
      ticks.set(Number(d), Number(f[11]) + Number(f[12]));
    } catch {
      /* gone */
    }
  }
  const mine = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, parent] of ppid) {
      if (mine.has(pid) || !mine.has(parent)) continue;
      mine.add(pid);
      grew = true;
    }
  }
  let t = 0;
  for (const pid of mine) if (pid !== process.pid) t += ticks.get(pid) ?? 0;
  return t * 10; // USER_HZ = 100 on Linux
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

// Bundle size.
const assets = join(ROOT, 'dist/web/assets');
let raw = 0;
let gz = 0;
for (const f of readdirSync(assets)) {
  const b = readFileSync(join(assets, f));
  raw += b.length;
  gz += gzipSync(b).length;
  console.log(`  ${f.padEnd(28)} ${kb(b.length).padStart(11)} raw ${kb(gzipSync(b).length).padStart(10)} gzip`);
}
const html = readFileSync(join(ROOT, 'dist/web/index.html'));
raw += html.length;
gz += gzipSync(html).length;
console.log(`bundle (dist/web, index.html + assets): ${kb(raw)} raw, ${kb(gz)} gzip`);

// Node, in process: the same steps the worker takes.
const { loadScenarioFile } = await import(join(ROOT, 'dist/scenario/load.js'));
const { runScenario } = await import(join(ROOT, 'dist/comparison/run-scenario.js'));
const { runTableTexts } = await import(join(ROOT, 'dist/output/csv-text.js'));
const node = [];
const cpu = [];
let cold = 0;
let coldCpu = 0;
for (let i = 0; i < RUNS + 1; i++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  runTableTexts(runScenario(loadScenarioFile(join(ROOT, 'scenarios/default.yaml'))));
  const c = process.cpuUsage(c0);
  if (i === 0) {
    // The first run is cold, like a fresh worker's.
    cold = performance.now() - t0;
    coldCpu = (c.user + c.system) / 1000;
  } else {
    node.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
}
// The whole `pmsim run` process (start-up, writing files).
const proc = [];
const procCpu = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  // bash's `time` gives the child's CPU (user, system), which Node cannot read for a child.
  const r = spawnSync(
    'bash',
    ['-c', `TIMEFORMAT='%U %S'; time "${process.execPath}" dist/cli/main.js run scenarios/default.yaml --out /tmp/pmsim-bench-web --quiet`],
    { cwd: ROOT, encoding: 'utf8' },
  );
  proc.push(performance.now() - t0);
  const [u, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  procCpu.push((u + sys) * 1000);
}

// Chromium: a fresh page per run (cold worker, as a user gets it), timed inside the worker and from the click.
const server = spawn(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'explore', '--port', '0'], {
  cwd: ROOT,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise((ok) =>
  server.stdout.on('data', (d) => {
    const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(String(d));
    if (m) ok(m[0]);
  }),
);
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({
  executablePath: process.env.PMSIM_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const worker = [];
const page = [];
const pageCpu = [];
for (let i = 0; i < RUNS; i++) {
  const p = await browser.newPage();
  await p.goto(url);
  await p.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  const t0 = Date.now();
  const c0 = descendantsCpuMs();
  await p.click('#run');
  await p.waitForSelector('body[data-run="done"]', { state: 'attached', timeout: 120000 });
  page.push(Date.now() - t0);
  pageCpu.push(descendantsCpuMs() - c0);
  worker.push(Number(await p.getAttribute('body', 'data-sim-ms')));
  await p.close();
}
await browser.close();
server.kill('SIGTERM');

console.log(`default scenario (6 mechanisms, 7 simulated days), median of ${RUNS}:`);
console.log(`  Node, in process, warm (parse + run + CSV text): ${median(node).toFixed(0)} ms wall, ${median(cpu).toFixed(0)} ms CPU`);
console.log(`  Node, in process, first run (cold JIT):          ${cold.toFixed(0)} ms wall, ${coldCpu.toFixed(0)} ms CPU`);
console.log(`  pmsim run, whole process (start-up, files):     ${median(proc).toFixed(0)} ms wall, ${median(procCpu).toFixed(0)} ms CPU`);
console.log(
  `  Chromium worker, cold (parse + run + CSV text): ${median(worker).toFixed(0)} ms wall  (${(median(worker) / median(node)).toFixed(2)}x Node warm, ${(median(worker) / cold).toFixed(2)}x Node cold)`,
);
console.log(
  `  Chromium page, click to charts drawn:           ${median(page).toFixed(0)} ms wall, ${median(pageCpu).toFixed(0)} ms CPU (all Chromium processes: worker, page, charts, GPU)`,
);
