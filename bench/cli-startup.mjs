// CLI start-up cost (issue 10: `pmsim --help` and `pmsim validate` under 0.3 s of CPU): the CPU
// seconds (user + system) of the built CLI, the median of several runs, with the wall time beside.
//   node bench/cli-startup.mjs [runs=9]
// Prints figures; asserts nothing. Needs `npm run build` first.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = `${root}dist/cli/main.js`;
if (!existsSync(bin)) {
  console.error('build pmsim first: npm run build');
  process.exit(2);
}
const runs = Number(process.argv[2] ?? 9);
const cases = [
  ['--help', ['--help']],
  ['validate', ['validate', 'scenarios/default.yaml']],
  ['list', ['list']],
];

/** CPU and wall seconds of one child run: its rusage, read by time(1)'s format through /usr/bin/time, else by the shell's `times`. */
function measure(args) {
  const t0 = process.hrtime.bigint();
  // bash's `times` prints the children's user and system time after the command ends.
  const r = spawnSync('bash', ['-c', `"$0" "$@" >/dev/null; times`, process.execPath, bin, ...args], { cwd: root, encoding: 'utf8' });
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

console.log(`CLI start-up, median of ${runs} runs (CPU = user + system of the pmsim process):`);
const out = {};
for (const [name, args] of cases) {
  measure(args); // warm the file cache
  const ms = Array.from({ length: runs }, () => measure(args));
  const cpu = median(ms.map((m) => m.cpu));
  const wall = median(ms.map((m) => m.wall));
  out[name] = { cpu_s: cpu, wall_s: wall };
  console.log(`  pmsim ${args.join(' ').padEnd(32)} ${cpu.toFixed(3)} s CPU  ${wall.toFixed(3)} s wall`);
}
if (process.env.PMSIM_BENCH_JSON) console.log(JSON.stringify(out));
