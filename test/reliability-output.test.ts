import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputDirError, RunOutputDir } from '../src/output/run-dir.js';

const dir = mkdtempSync(join(tmpdir(), 'pmsim-outdir-'));

function previousRun(name: string): string {
  const out = join(dir, name);
  mkdirSync(out);
  writeFileSync(join(out, 'summary.csv'), 'old\n');
  writeFileSync(join(out, 'run.json'), '{"seeds":[1]}\n');
  return out;
}

describe('a run output set is whole or absent', () => {
  it('a failure while writing (a full disk, a bug) leaves the previous set untouched and nothing beside it', () => {
    const out = previousRun('failing');
    const d = RunOutputDir.open(out);
    writeFileSync(d.path('summary.csv'), 'new, half written');
    d.abort(); // what the CLI does when a write throws ENOSPC
    expect(readFileSync(join(out, 'summary.csv'), 'utf8')).toBe('old\n');
    expect(readdirSync(dir).sort()).toEqual(['failing']);
  });

  it('commit replaces the whole set: files of the old run do not survive beside the new ones', () => {
    const out = previousRun('replaced');
    writeFileSync(join(out, 'report.html'), 'stale');
    const d = RunOutputDir.open(out);
    writeFileSync(d.path('summary.csv'), 'new\n');
    writeFileSync(d.path('run.json'), '{"seeds":[2]}\n');
    d.commit();
    expect(readdirSync(out).sort()).toEqual(['run.json', 'summary.csv']);
    expect(readFileSync(join(out, 'summary.csv'), 'utf8')).toBe('new\n');
    expect(readdirSync(dir).filter((f) => f.startsWith('.replaced'))).toEqual([]);
  });

  it('a second writer in the same process is refused while the first holds the directory', () => {
    const out = join(dir, 'twice');
    const a = RunOutputDir.open(out);
    expect(() => RunOutputDir.open(out)).toThrow(/in use by another pmsim run/);
    a.abort();
    RunOutputDir.open(out).abort();
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an --out that is a file or holds other files', () => {
    writeFileSync(join(dir, 'afile'), 'x');
    expect(() => RunOutputDir.open(join(dir, 'afile'))).toThrow(OutputDirError);
    mkdirSync(join(dir, 'other'));
    writeFileSync(join(dir, 'other', 'notes.txt'), 'x');
    expect(() => RunOutputDir.open(join(dir, 'other'))).toThrow(/not the output of a pmsim run/);
  });
});
