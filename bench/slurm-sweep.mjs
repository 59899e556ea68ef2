// Slurm sweep benchmark (needs dist/, built by `npm run build`, and a running Slurm cluster, e.g.
// `scripts/slurm-local.sh start`): the wall and CPU time of scenarios/sweeps/liveness-vs-redundancy.yaml
//   - in one process, `pmsim sweep --workers 1` and `--workers 2`;
//   - as a Slurm array of 4 shards, `pmsim sweep --slurm --array-size 4 --cpus-per-task 1 --wait`,
//     from submission until the shards are gathered.
// CPU time of a process is from bash's `times` (user + system of its children). For the array it is
// the submitting process's plus every task's, as each task's log reports it ("pmsim task times").
// BENCH_SLURM_REPS repetitions (default 3), alternating, medians printed. Prints figures; asserts
// nothing. Without Slurm it says so and exits 0.
//
//   node bench/slurm-sweep.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const main = join(root, 'dist/cli/main.js');
const sweep = join(root, 'scenarios/sweeps/liveness-vs-redundancy.yaml');
const reps = Number(process.env.BENCH_SLURM_REPS ?? 3);
const poll = Number(process.env.BENCH_SLURM_POLL ?? 1);

const sinfo = spawnSync('sinfo', ['-h', '-N', '-o', '%N %c %T'], { encoding: 'utf8' });
if (sinfo.error || sinfo.status !== 0 || !/\b(idle|mixed|allocated)\b/.test(sinfo.stdout)) {
  console.log(
    `slurm sweep bench: no Slurm cluster answers (${(sinfo.error?.message ?? sinfo.stderr ?? '').trim() || sinfo.stdout.trim()}); start one with scripts/slurm-local.sh start`,
  );
  process.exit(0);
}

/** Seconds from bash `times` output (`0m1.234s 0m0.100s` lines): the children's user + system. */
function childCpu(timesText) {
  const lines = timesText
    .trim()
    .split('\n')
    .filter((l) => /^\d+m[\d.]+s \d+m[\d.]+s$/.test(l));
  const last = lines[lines.length - 1];
  if (!last) throw new Error(`no times output in: ${timesText}`);
  return last.split(' ').reduce((s, t) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    return s + Number(m[1]) * 60 + Number(m[2]);
  }, 0);
}

/** Runs `node main.js ...args` under bash, then `times`; returns wall and CPU seconds. */
function timed(args) {
  const cmd = `${[process.execPath, main, ...args].map((w) => `'${w}'`).join(' ')} >/dev/null 2>&1; rc=$?; times; exit $rc`;
  const t0 = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`pmsim ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { wall, cpu: childCpu(r.stdout) };
}

/** The CPU seconds every array task reported in its log (`pmsim task times (exit 0):` then `times`). */
function taskCpu(out) {
  const dir = join(out, 'logs');
  let cpu = 0;
  let tasks = 0;
  for (const f of readdirSync(dir)) {
    const text = readFileSync(join(dir, f), 'utf8');
    const at = text.lastIndexOf('pmsim task times');
    if (at < 0) throw new Error(`${f}: no task times`);
    cpu += childCpu(text.slice(at).split('\n').slice(1, 3).join('\n'));
    tasks++;
  }
  return { cpu, tasks };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const f2 = (x) => x.toFixed(2);

const tmp = mkdtempSync(join(tmpdir(), 'pmsim-bench-slurm-'));
const rows = { w1: [], w2: [], slurm: [] };
try {
  console.log(
    `slurm sweep bench: ${sweep.slice(root.length)} (36 runs), nodes: ${sinfo.stdout.trim().replaceAll('\n', '; ')} (name CPUs state), load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}, ${reps} repetitions`,
  );
  for (let k = 0; k < reps; k++) {
    rows.w1.push(timed(['sweep', sweep, '--workers', '1', '--quiet', '--out', join(tmp, `w1-${k}`)]));
    rows.w2.push(timed(['sweep', sweep, '--workers', '2', '--quiet', '--out', join(tmp, `w2-${k}`)]));
    const out = join(tmp, `slurm-${k}`);
    const s = timed([
      'sweep',
      sweep,
      '--slurm',
      '--array-size',
      '4',
      '--cpus-per-task',
      '1',
      '--wait',
      '--poll-interval',
      String(poll),
      '--out',
      out,
    ]);
    const t = taskCpu(out);
    if (t.tasks !== 4) throw new Error(`expected 4 task logs, found ${t.tasks}`);
    rows.slurm.push({ wall: s.wall, cpu: s.cpu + t.cpu, submitter: s.cpu, tasks: t.cpu });
    const same = ['runs.csv', 'aggregate.csv'].every((f) => readFileSync(join(out, f)).equals(readFileSync(join(tmp, `w1-${k}`, f))));
    if (!same) throw new Error('the Slurm result differs from one process: this is a bug');
  }
  const line = (label, xs) =>
    `${label}: wall ${f2(median(xs.map((x) => x.wall)))} s (runs: ${xs.map((x) => f2(x.wall)).join(', ')}), CPU ${f2(median(xs.map((x) => x.cpu)))} s`;
  console.log(line('one process, --workers 1', rows.w1));
  console.log(line('one process, --workers 2', rows.w2));
  console.log(
    `${line(`Slurm array of 4 shards (1 CPU each, --wait, poll ${poll} s)`, rows.slurm)} = tasks ${f2(median(rows.slurm.map((x) => x.tasks)))} s + submitter ${f2(median(rows.slurm.map((x) => x.submitter)))} s`,
  );
  const ratio = (a, b) => f2(median(rows[a].map((x) => x.wall)) / median(rows[b].map((x) => x.wall)));
  console.log(
    `wall ratio Slurm array / one process: ${ratio('slurm', 'w1')}x against --workers 1, ${ratio('slurm', 'w2')}x against --workers 2 (results byte-identical in every repetition)`,
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
