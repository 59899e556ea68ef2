/**
 * The sbatch script of a sweep as a Slurm job array: one array task per shard, each running
 * `pmsim sweep <file> --shard $SLURM_ARRAY_TASK_ID/N` into `<out>/shard-<i>/`. Pure: renders text,
 * never runs anything (the submission is in slurm-submit.ts).
 *
 * Slurm options used (sbatch(1), https://slurm.schedmd.com/sbatch.html): `--array`, `--cpus-per-task`,
 * `--requeue` (a preempted or failed-node task goes back to the queue; it resumes from its journal),
 * `--open-mode=append` (a requeued task's log keeps the first attempt), `--output` with `%A`/`%a`
 * (array job id, task index), `--chdir`, `--partition`, `--time`.
 */
import { fileURLToPath } from 'node:url';
import { shardOutPattern } from './gather.js';

/** The compiled CLI of this checkout (dist/cli/main.js), whether this module runs from src/ or dist/. */
export const CLI_MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
/** The checkout (package) root. */
export const CHECKOUT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** An input error about cluster options (the CLI exits 2). */
export class ClusterOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterOptionError';
  }
}

/** What the sbatch script needs; every path absolute. */
export interface SlurmScriptOptions {
  /** The Node binary the tasks run (default: this process's, process.execPath). */
  readonly node: string;
  /** pmsim's CLI entry, dist/cli/main.js of this checkout. */
  readonly main: string;
  readonly sweepFile: string;
  /** The output directory: shard i writes `<out>/shard-<i>/`, logs go to `<out>/logs/`. */
  readonly out: string;
  readonly shards: number;
  readonly jobName: string;
  readonly cpusPerTask: number;
  /** The tasks' working directory (`--chdir`). */
  readonly workdir: string;
  readonly partition?: string;
  readonly time?: string;
  /** More sbatch options, one per entry (`--mem=4G`), written as `#SBATCH` lines. */
  readonly sbatchArgs?: readonly string[];
  /** pmsim's version and the command that wrote the script, for its header comment. */
  readonly version: string;
  readonly command?: string;
}

/** Quotes a word for bash (single quotes; a quote inside becomes '\''). */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/** Slurm's array syntax for task indices: [0,1,2,3] → `0-3`, [0,2,3,7] → `0,2-3,7`. */
export function arraySpec(indices: readonly number[]): string {
  const xs = [...new Set(indices)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let k = 0; k < xs.length; ) {
    let j = k;
    while (j + 1 < xs.length && xs[j + 1] === xs[j]! + 1) j++;
    parts.push(j === k ? `${xs[k]}` : `${xs[k]}-${xs[j]}`);
    k = j + 1;
  }
  return parts.join(',');
}

// sbatch --time formats: minutes, minutes:seconds, hours:minutes:seconds, days-hours,
// days-hours:minutes, days-hours:minutes:seconds (sbatch(1), --time).
const TIME = /^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+|\d+-\d+:\d{1,2}|\d+-\d+:\d{1,2}:\d{1,2}|UNLIMITED|INFINITE)$/i;

/** Checks the cluster flags; throws ClusterOptionError with a one-line message. */
export function checkSlurmOptions(o: {
  shards: number;
  cpusPerTask: number;
  partition?: string;
  time?: string;
  sbatchArgs?: readonly string[];
}): void {
  if (!Number.isInteger(o.shards) || o.shards < 1)
    throw new ClusterOptionError(`--array-size expects a whole number ≥ 1 (the number of shards), got ${o.shards}`);
  if (!Number.isInteger(o.cpusPerTask) || o.cpusPerTask < 1)
    throw new ClusterOptionError(`--cpus-per-task expects a whole number ≥ 1, got ${o.cpusPerTask}`);
  if (o.partition !== undefined && !/^[\w.,-]+$/.test(o.partition))
    throw new ClusterOptionError(`--partition expects a partition name (letters, digits, - _ . ,), got "${o.partition}"`);
  if (o.time !== undefined && !TIME.test(o.time))
    throw new ClusterOptionError(`--time expects a Slurm time limit (minutes, HH:MM:SS or D-HH:MM:SS), got "${o.time}"`);
  for (const s of o.sbatchArgs ?? []) {
    if (!/^--?[A-Za-z]/.test(s) || /[\r\n]/.test(s))
      throw new ClusterOptionError(`--sbatch-arg expects one sbatch option such as --sbatch-arg=--mem=4G, got "${s}"`);
    if (/^--array(=|$)|^-a/.test(s))
      throw new ClusterOptionError(`--sbatch-arg ${s}: the array is set by --array-size (one task per shard)`);
  }
}

/** The command a task runs, as words (the shard index is filled in by the task's shell). */
export function slurmTaskCommand(o: SlurmScriptOptions): string[] {
  return [
    o.node,
    o.main,
    'sweep',
    o.sweepFile,
    '--shard',
    `\${SLURM_ARRAY_TASK_ID}/${o.shards}`,
    '--workers',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion in the sbatch script, not a JS template
    '${SLURM_CPUS_PER_TASK:-1}',
    '--out',
    shardOutPattern(o.out),
  ];
}

/**
 * The sbatch script. The Node binary and the CLI are absolute paths (a batch shell on a compute
 * node, or slurmd running as root in CI, has neither this PATH nor this working directory), and the
 * shard is given explicitly as `--shard $SLURM_ARRAY_TASK_ID/N`, so no variable from the submitting
 * shell (sbatch exports the environment) can pick another shard. The task runs pmsim as a child,
 * not by exec, to print its CPU times at the end (bench/slurm-sweep.mjs reads them from the log),
 * and passes SIGTERM on to it.
 */
export function sbatchScript(o: SlurmScriptOptions): string {
  const cmd = slurmTaskCommand(o)
    .map((w) => (w.includes('${') ? `"${w}"` : shellQuote(w)))
    .join(' ');
  const directives = [
    `--job-name=${o.jobName}`,
    `--array=${arraySpec(Array.from({ length: o.shards }, (_, i) => i))}`,
    `--cpus-per-task=${o.cpusPerTask}`,
    '--requeue',
    '--open-mode=append',
    `--output=${o.out}/logs/%A_%a.out`,
    `--chdir=${o.workdir}`,
    ...(o.partition ? [`--partition=${o.partition}`] : []),
    ...(o.time ? [`--time=${o.time}`] : []),
    ...(o.sbatchArgs ?? []),
  ];
  return [
    '#!/bin/bash',
    `# pmsim ${o.version}: ${o.shards} shard${o.shards === 1 ? '' : 's'} of ${o.sweepFile}, one array task each.`,
    ...(o.command ? [`# Written by: ${o.command.replace(/[\r\n]+/g, ' ')}`] : []),
    `# Submit: sbatch ${shellQuote(`${o.out}/${o.jobName}.sbatch`)}   (or run the pmsim command again: it submits the unfinished shards)`,
    `# Rerun shard i alone: sbatch --array=i ...; it resumes from ${o.out}/shard-i/journal.jsonl.`,
    `# Merge: ${shellQuote(o.node)} ${shellQuote(o.main)} gather ${shellQuote(o.out)}`,
    ...directives.map((d) => `#SBATCH ${d}`),
    '',
    'set -uo pipefail',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion in the sbatch script, not a JS template
    'export PMSIM_PROGRESS_INTERVAL="${PMSIM_PROGRESS_INTERVAL:-30}"',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion in the sbatch script, not a JS template
    'echo "pmsim: shard ${SLURM_ARRAY_TASK_ID}/' +
      o.shards +
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion in the sbatch script, not a JS template
      ' on $(hostname), job ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}, restart ${SLURM_RESTART_COUNT:-0}"',
    '# pmsim runs in the background so that this shell can pass on the SIGTERM of scancel or a',
    '# preemption: a shell killed by it would leave pmsim running, orphaned, and with',
    '# proctrack/linuxproc Slurm may lose track of it. pmsim stops once, however many SIGTERMs come.',
    `${cmd} &`,
    'child=$!',
    `trap 'kill -TERM "$child" 2>/dev/null' TERM INT`,
    'rc=0',
    'wait "$child" || rc=$?',
    '# A trapped signal ends wait early: wait again until pmsim has stopped (it keeps finished runs).',
    'while kill -0 "$child" 2>/dev/null; do rc=0; wait "$child" || rc=$?; done',
    '# CPU seconds: this shell (user, system), then its children (pmsim).',
    'echo "pmsim task times (exit $rc):"',
    'times',
    'exit "$rc"',
    '',
  ].join('\n');
}
