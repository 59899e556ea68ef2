import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { acquireFileLock, LockHeldError, type FileLock } from './lock.js';

/** An output directory that cannot be written (a file, read-only, another tool's directory). Exit 2. */
export class OutputDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputDirError';
  }
}

/** The file that marks a directory as one whole `pmsim run` (written into the set last). */
export const RUN_MARKER = 'run.json';

/**
 * The output set of one run, written whole or not at all. Files go into a fresh staging directory
 * beside `--out` (`.NAME.pmsim-new-PID`); {@link RunOutputDir.commit} then moves the old `--out`
 * aside and the staging directory into its place (two renames, then the old set is deleted). A
 * reader therefore sees the old whole set, the new whole set, or (for the instant between the two
 * renames, or after a kill -9 there) no directory: never a mix. A lock file beside `--out`
 * (`.NAME.pmsim-lock`, robust to pid reuse) keeps two runs from writing one directory. Leftovers
 * of killed runs are removed by the next run.
 *
 * The staging directory is created before the simulation, so an unwritable `--out` is refused at
 * once, not after hours of work.
 */
export class RunOutputDir {
  /** Where the files of this run are written until {@link commit}. */
  readonly staging: string;
  private readonly lock: FileLock;
  private done = false;

  private constructor(
    readonly out: string,
    readonly parent: string,
    private readonly name: string,
  ) {
    this.lock = takeLock(out, join(parent, `.${name}.pmsim-lock`));
    try {
      removeLeftovers(parent, name);
      this.staging = join(parent, `.${name}.pmsim-new-${process.pid}`);
      mkdirSync(this.staging);
    } catch (e) {
      this.lock.release();
      throw asOutputError(out, e);
    }
  }

  /** Checks `out`, takes its lock and creates the staging directory. Throws {@link OutputDirError}. */
  static open(out: string): RunOutputDir {
    const parent = dirname(out);
    const name = basename(out);
    if (existsSync(out)) {
      const st = statSync(out);
      if (!st.isDirectory()) throw new OutputDirError(`--out ${out} is a file, not a directory`);
      const entries = readdirSync(out);
      if (entries.length > 0 && !entries.includes(RUN_MARKER)) {
        throw new OutputDirError(
          `--out ${out} is a directory that holds other files, not the output of a pmsim run; it would be replaced as a whole: choose a new or empty directory`,
        );
      }
    }
    try {
      mkdirSync(parent, { recursive: true });
      accessSync(parent, constants.W_OK);
    } catch (e) {
      throw asOutputError(out, e);
    }
    return new RunOutputDir(out, parent, name);
  }

  /** The staging path of an output file. */
  path(file: string): string {
    return join(this.staging, file);
  }

  /** Makes the staged set the contents of `out`. */
  commit(): void {
    if (this.done) return;
    try {
      syncDir(this.staging);
      const old = join(this.parent, `.${this.name}.pmsim-old-${process.pid}`);
      const had = existsSync(this.out);
      if (had) renameSync(this.out, old);
      renameSync(this.staging, this.out);
      syncDir(this.parent);
      if (had) rmSync(old, { recursive: true, force: true });
    } catch (e) {
      throw asOutputError(this.out, e);
    } finally {
      this.done = true;
      this.lock.release();
    }
  }

  /** Drops the staged files; `out` keeps its previous set. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    rmSync(this.staging, { recursive: true, force: true });
    this.lock.release();
  }
}

function takeLock(out: string, path: string): FileLock {
  try {
    return acquireFileLock(path, `--out ${out}`, 'run');
  } catch (e) {
    if (e instanceof LockHeldError) throw e;
    throw asOutputError(out, e);
  }
}

/** Staging and old directories of runs killed before they finished (we hold the lock: none is live). */
function removeLeftovers(parent: string, name: string): void {
  const prefix = `.${name}.pmsim-`;
  for (const e of readdirSync(parent)) {
    if (e.startsWith(prefix) && (e.startsWith(`${prefix}new-`) || e.startsWith(`${prefix}old-`)))
      rmSync(join(parent, e), { recursive: true, force: true });
  }
}

function syncDir(dir: string): void {
  let fd = -1;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    /* some file systems cannot fsync a directory: the renames are still atomic */
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

export function asOutputError(out: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException).code;
  if (code && ['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'ENOSPC', 'EEXIST', 'EISDIR', 'EDQUOT', 'ENAMETOOLONG', 'ENOTEMPTY'].includes(code)) {
    return new OutputDirError(`cannot write --out ${out}: ${code}${code === 'ENOSPC' ? ' (the disk is full)' : ''}`);
  }
  return e;
}
