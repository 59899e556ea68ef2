/**
 * The sbatch script of `pmsim sweep --slurm` and `pmsim gather`, without a Slurm cluster: the
 * script's words and directives, its flags' errors, the script run by bash as Slurm would run each
 * array task (the Slurm variables set by hand), and gather with shards missing. The real cluster is
 * test/slurm-sweep.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arraySpec, shellQuote } from '../src/sweep/slurm.js';
import { BIN, ROOT, pmsim } from './cli.js';

const SMALL = 'test/fixtures/sweep/small.yaml'; // 12 runs: 3 per shard of 4
const tmp = mkdtempSync(join(tmpdir(), 'pmsim-slurm-script-'));
const base = join(tmp, 'one-process');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(() => {
  const r = pmsim(['sweep', SMALL, '--workers', '1', '--out', base, '--quiet']);
  expect(r.status, r.stderr).toBe(0);
}, 120_000);

const same = (dir: string) => {
  for (const f of ['runs.csv', 'aggregate.csv']) expect(readFileSync(join(dir, f)).equals(readFileSync(join(base, f))), f).toBe(true);
};

/** Runs the script as Slurm runs array task `i` (only the variables the script reads). */
function runTask(script: string, i: number, cpus = 1): { status: number; stdout: string; stderr: string } {
  const env = {
    PATH: '/usr/bin:/bin',
    SLURM_ARRAY_TASK_ID: String(i),
    SLURM_ARRAY_JOB_ID: '7',
    SLURM_CPUS_PER_TASK: String(cpus),
    PMSIM_SHARD_INDEX: '0',
  };
  const r = spawnSync('bash', [script], { env, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('slurm script helpers', () => {
  it('arraySpec writes Slurm array ranges', () => {
    expect(arraySpec([0, 1, 2, 3])).toBe('0-3');
    expect(arraySpec([3, 0, 2, 7, 2])).toBe('0,2-3,7');
    expect(arraySpec([5])).toBe('5');
  });
  it('shellQuote leaves plain words and quotes the rest for bash', () => {
    expect(shellQuote('/usr/bin/node')).toBe('/usr/bin/node');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(spawnSync('bash', ['-c', `printf %s ${shellQuote("x 'y' $HOME {shard}")}`], { encoding: 'utf8' }).stdout).toBe(
      "x 'y' $HOME {shard}",
    );
  });
});

describe('pmsim sweep --slurm --dry-run writes an sbatch script of the shards', () => {
  const out = join(tmp, 'dry');
  let script = '';
  let text = '';
  beforeAll(() => {
    const r = pmsim([
      'sweep',
      SMALL,
      '--slurm',
      '--dry-run',
      '--array-size',
      '4',
      '--out',
      out,
      '--partition',
      'debug',
      '--time',
      '01:00:00',
      '--cpus-per-task',
      '2',
      '--sbatch-arg=--mem=1G',
      '--sbatch-arg=--qos=low',
    ]);
    expect(r.status, r.stderr).toBe(0);
    script = join(out, 'pmsim-small.sbatch');
    expect(r.stdout).toBe(`wrote ${script}\nsubmit it with: sbatch ${script}\nthen merge the shards with: pmsim gather ${out}\n`);
    text = readFileSync(script, 'utf8');
  });

  it('has one array task per shard, the resources asked for, --requeue and the extra sbatch options', () => {
    const directives = text.split('\n').filter((l) => l.startsWith('#SBATCH '));
    expect(directives).toEqual([
      '#SBATCH --job-name=pmsim-small',
      '#SBATCH --array=0-3',
      '#SBATCH --cpus-per-task=2',
      '#SBATCH --requeue',
      '#SBATCH --open-mode=append',
      `#SBATCH --output=${out}/logs/%A_%a.out`,
      `#SBATCH --chdir=${ROOT.replace(/\/$/, '')}`,
      '#SBATCH --partition=debug',
      '#SBATCH --time=01:00:00',
      '#SBATCH --mem=1G',
      '#SBATCH --qos=low',
    ]);
    expect(existsSync(join(out, 'logs'))).toBe(true); // Slurm does not create the --output directory
    expect(spawnSync('bash', ['-n', script]).status).toBe(0);
  });

  it('runs the absolute node and dist/cli/main.js of this checkout, on shard $SLURM_ARRAY_TASK_ID of 4', () => {
    expect(text).toContain(
      `${process.execPath} ${BIN} sweep ${join(ROOT, SMALL)} --shard "\${SLURM_ARRAY_TASK_ID}/4" --workers "\${SLURM_CPUS_PER_TASK:-1}" --out '${out}/shard-{shard}' &`,
    );
  });

  it('run by bash as array tasks 0-3 (with a stray PMSIM_SHARD_INDEX=0 in the environment), then gathered, gives the bytes of --workers 1', () => {
    for (const i of [0, 1, 3]) {
      const t = runTask(script, i);
      expect(t.status, t.stderr).toBe(0);
      expect(t.stdout).toContain(`pmsim: shard ${i}/4 on `);
      expect(t.stdout).toContain(`shard ${i}/4 (runs ${i * 3}-${i * 3 + 2}): 3 done, 0 failed`);
      expect(t.stdout).toMatch(/pmsim task times \(exit 0\):\n\d+m[\d.]+s \d+m[\d.]+s\n\d+m[\d.]+s \d+m[\d.]+s\n$/);
    }
    // Shard 2 has not run: gather merges the rest and names it.
    const g = pmsim(['gather', out]);
    expect(g.status).toBe(1);
    expect(g.stderr).toBe(`shard 2: not started (no journal in ${out}/shard-2)\nmissing 3 of 12 runs: 6-8\n`);
    expect(g.stdout).toBe(
      `gathered 3 of 4 shards complete: 9 of 12 runs done, 0 failed, 3 missing\nwrote ${out}/runs.csv, aggregate.csv, manifest.json\n`,
    );

    expect(runTask(script, 2, 2).status).toBe(0);
    const g2 = pmsim(['gather', out]);
    expect(g2.status, g2.stderr).toBe(0);
    expect(g2.stderr).toBe('');
    expect(g2.stdout).toContain('gathered 4 of 4 shards complete: 12 of 12 runs done, 0 failed, 0 missing');
    same(out);
    expect(
      readdirSync(out)
        .filter((f) => f.startsWith('shard-'))
        .sort(),
    ).toEqual(['shard-0', 'shard-1', 'shard-2', 'shard-3']);
  });
});

describe('pmsim sweep --slurm and pmsim gather refuse bad input (exit 2, one line, nothing written)', () => {
  const out = join(tmp, 'never');
  it.each([
    [['--slurm'], 'error: --slurm needs --array-size N, the number of shards (array tasks)'],
    [['--slurm', '--array-size', '0'], 'error: --array-size expects a whole number ≥ 1 (the number of shards), got 0'],
    [
      ['--slurm', '--array-size', '4', '--time', '2h'],
      'error: --time expects a Slurm time limit (minutes, HH:MM:SS or D-HH:MM:SS), got "2h"',
    ],
    [['--slurm', '--array-size', '4', '--cpus-per-task', '1.5'], 'error: --cpus-per-task expects a whole number ≥ 1, got 1.5'],
    [
      ['--slurm', '--array-size', '4', '--sbatch-arg=--array=0-1'],
      'error: --sbatch-arg --array=0-1: the array is set by --array-size (one task per shard)',
    ],
    [
      ['--slurm', '--array-size', '4', '--sbatch-arg=mem=4G'],
      'error: --sbatch-arg expects one sbatch option such as --sbatch-arg=--mem=4G, got "mem=4G"',
    ],
    [['--slurm', '--array-size', '4', '--workers', '2'], 'error: --workers: a cluster task runs as many workers as --cpus-per-task'],
    [
      ['--slurm', '--array-size', '4', '--shard', '1/4'],
      'error: --shard runs one shard here; with --slurm or --emit give the number of shards as --array-size N',
    ],
    [
      ['--slurm', '--array-size', '4', '--partition', 'a b'],
      'error: --partition expects a partition name (letters, digits, - _ . ,), got "a b"',
    ],
  ])('%j', (flags, message) => {
    const r = pmsim(['sweep', SMALL, '--out', out, ...flags]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${message}\n`);
    expect(existsSync(out)).toBe(false);
  });

  it('--slurm takes the sweep directory as --out, not a {shard} pattern', () => {
    const r = pmsim(['sweep', SMALL, '--slurm', '--dry-run', '--array-size', '4', '--out', `${out}/shard-{shard}`]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `error: --out ${out}/shard-{shard}: with --slurm, --out is the sweep's directory; shard i writes <out>/shard-i/ (no {shard})\n`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('--slurm refuses a directory holding shards of another sweep or of another number of shards', () => {
    const dir = join(tmp, 'taken');
    expect(pmsim(['sweep', SMALL, '--shard', '0/2', '--workers', '1', '--quiet', '--out', `${dir}/shard-{shard}`]).status).toBe(0);
    const n = pmsim(['sweep', SMALL, '--slurm', '--dry-run', '--array-size', '4', '--out', dir]);
    expect(n.status).toBe(2);
    expect(n.stderr).toBe(`error: ${dir} holds 2 shards of a sweep, not 4: use --array-size 2, or another --out directory\n`);
    const o = pmsim(['sweep', 'scenarios/sweeps/liveness-vs-redundancy.yaml', '--slurm', '--dry-run', '--array-size', '2', '--out', dir]);
    expect(o.status).toBe(2);
    expect(o.stderr).toMatch(
      new RegExp(
        `^error: ${dir}/shard-0 holds results of a different sweep \\(hash [0-9a-f]{12}, this sweep's is [0-9a-f]{12}\\): use another --out directory, or delete that one\n$`,
      ),
    );
    expect(readdirSync(dir)).toEqual(['shard-0']);
  });

  it('gather: a directory without shards, or a missing one', () => {
    const r = pmsim(['gather', base]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `error: ${base}: no shard directories (shard-0, shard-1, ...) with a journal, and no cluster.json: nothing to gather\n`,
    );
    const m = pmsim(['gather', out]);
    expect(m.status).toBe(2);
    expect(m.stderr).toBe(`error: ${out}: no such directory\n`);
  });

  it('--slurm without sbatch on the PATH says how to get Slurm', () => {
    const r = spawnSync(process.execPath, [BIN, 'sweep', SMALL, '--slurm', '--array-size', '2', '--out', join(tmp, 'nosbatch')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: '/nonexistent' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'error: sbatch not found: is Slurm installed here? (for a one-node cluster on this machine: scripts/slurm-local.sh start)\n',
    );
  });
});
