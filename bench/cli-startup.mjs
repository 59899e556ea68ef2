// CLI start-up cost (issue 10: `pmsim --help` and `pmsim validate` under 0.3 s of CPU): the CPU
// seconds (user + system) of the built CLI, the median of several runs, with the wall time beside.
//   node bench/cli-startup.mjs [runs=9]
//   node bench/cli-startup.mjs [runs=9] --against DIR   (DIR: another built checkout, e.g. main's)
// With --against, each run of this checkout's CLI is paired with one of DIR's, alternating, and the
// median of the per-pair CPU ratios (this / DIR) is printed: on a shared machine the ratio of
// neighbouring runs is steadier than either figure. Prints figures; asserts nothing. Needs
// `npm run build` first (in DIR too).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const againstAt = args.indexOf('--against');
const other = againstAt >= 0 ? `${resolve(args[againstAt + 1] ?? '.')}/` : undefined;
if (againstAt >= 0) args.splice(againstAt, 2);
const runs = Number(args[0] ?? 9);
for (const dir of [root, other]) {
  if (dir !== undefined && !existsSync(`${dir}dist/cli/main.js`)) {
    console.error(`build pmsim first: npm run build (in ${dir})`);
    process.exit(2);
  }
}
const cases = [['--help'], ['validate', 'scenarios/default.yaml'], ['list'], ['run', '--help']];

/** CPU and wall seconds of one run of `dir`'s CLI: the child's rusage, printed by bash's `times` after it ends. */
function measure(dir, argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', `"$0" "$@" >/dev/null; times`, process.execPath, `${dir}dist/cli/main.js`, ...argv], {
    cwd: dir,
    encoding: 'utf8',
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const lines = r.stdout.trim().split('\n');
  const child = lines[lines.length - 1].split(/\s+/).map((x) => {
    const m = /(\d+)m([\d.]+)s/.exec(x);
    return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
  });
  return { cpu: child[0] + child[1], wall };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

console.log(`CLI start-up, median of ${runs} runs (CPU = user + system of the pmsim process)${other ? `, paired with ${other}` : ''}:`);
const out = {};
for (const argv of cases) {
  const name = argv.join(' ');
  measure(root, argv); // warm the file cache
  if (other) measure(other, argv);
  const ms = [];
  const theirs = [];
  for (let i = 0; i < runs; i++) {
    ms.push(measure(root, argv));
    if (other) theirs.push(measure(other, argv));
  }
  const cpu = median(ms.map((m) => m.cpu));
  const wall = median(ms.map((m) => m.wall));
  out[name] = { cpu_s: cpu, wall_s: wall };
  let line = `  pmsim ${name.padEnd(32)} ${cpu.toFixed(3)} s CPU  ${wall.toFixed(3)} s wall`;
  if (other) {
    const cpuOther = median(theirs.map((m) => m.cpu));
    const ratio = median(ms.map((m, i) => m.cpu / theirs[i].cpu));
    out[name].against_cpu_s = cpuOther;
    out[name].ratio = ratio;
    line += `   | against: ${cpuOther.toFixed(3)} s CPU, ratio ${ratio.toFixed(2)}`;
  }
  console.log(line);
}
if (process.env.PMSIM_BENCH_JSON) console.log(JSON.stringify(out));
