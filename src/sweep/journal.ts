import { closeSync, existsSync, fsyncSync, openSync, readFileSync, readSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { RunRecord } from './execute.js';
import type { SweepDefinition } from './plan.js';

/** The journal's file name in a sweep's output directory. */
export const JOURNAL_FILE = 'journal.jsonl';
/** The lock file that keeps two processes from writing one directory. */
export const LOCK_FILE = 'sweep.lock';

/** A block of the run list. */
export interface ShardSpec {
  /** 0-based shard index. */
  readonly index: number;
  readonly count: number;
}

/** The first line of a journal. */
export interface JournalHeader {
  readonly pmsim_sweep_journal: 1;
  readonly sweep_hash: string;
  readonly pmsim_version: string;
  /** The shard this directory holds (null: the whole run list, or a merge). */
  readonly shard: ShardSpec | null;
  /** Runs first .. end − 1 belong to this directory. */
  readonly first: number;
  readonly end: number;
  readonly runs_total: number;
  readonly definition: SweepDefinition;
}

/** Status codes of {@link JournalIndex.status}. */
export const NONE = 0;
export const DONE = 1;
export const FAILED = 2;

/**
 * Where each run's latest record sits in a journal (byte offset and length), and its status. Memory
 * is 13 bytes per run of the range, never the rows themselves.
 */
export class JournalIndex {
  readonly offsets: Float64Array;
  readonly lengths: Uint32Array;
  readonly status: Uint8Array;

  constructor(
    readonly first: number,
    readonly end: number,
  ) {
    const n = end - first;
    this.offsets = new Float64Array(n).fill(-1);
    this.lengths = new Uint32Array(n);
    this.status = new Uint8Array(n);
  }

  set(run: number, offset: number, length: number, status: number): void {
    const k = run - this.first;
    this.offsets[k] = offset;
    this.lengths[k] = length;
    this.status[k] = status;
  }

  statusOf(run: number): number {
    return run >= this.first && run < this.end ? this.status[run - this.first]! : NONE;
  }

  counts(): { done: number; failed: number; missing: number } {
    let done = 0;
    let failed = 0;
    for (const s of this.status) {
      if (s === DONE) done++;
      else if (s === FAILED) failed++;
    }
    return { done, failed, missing: this.status.length - done - failed };
  }
}

/** A scanned journal: its header, the index of its records, and how many bytes are whole lines. */
export interface ScannedJournal {
  readonly path: string;
  readonly header: JournalHeader;
  readonly index: JournalIndex;
  /** Bytes up to the end of the last whole, valid line; anything after it is a torn write. */
  readonly validBytes: number;
  readonly tornBytes: number;
}

const RECORD = /^\{"run":(\d+),"status":"(done|failed)"/;

/**
 * Reads a journal, streaming: the header, then each record's position. A last line without its
 * newline (a write cut short by kill -9 or a crash) is ignored, and so is everything from the first
 * line that is not a whole record. Returns undefined when there is no journal or not even a whole
 * header line.
 */
export function scanJournal(path: string): ScannedJournal | undefined {
  if (!existsSync(path)) return undefined;
  const fd = openSync(path, 'r');
  try {
    const size = statSync(path).size;
    const chunk = Buffer.allocUnsafe(1 << 20);
    let carry: Buffer = Buffer.alloc(0);
    let pos = 0; // file position of carry[0]
    let header: JournalHeader | undefined;
    let index: JournalIndex | undefined;
    let valid = 0;
    let stop = false;
    let read = 0;
    while (!stop && read < size) {
      const n = readSync(fd, chunk, 0, chunk.length, read);
      if (n <= 0) break;
      read += n;
      const buf = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(10, start);
        if (nl < 0) break;
        const lineOffset = pos + start;
        const len = nl - start;
        if (header === undefined) {
          try {
            const h = JSON.parse(buf.toString('utf8', start, nl)) as JournalHeader;
            if (h.pmsim_sweep_journal !== 1 || typeof h.sweep_hash !== 'string') throw new Error('not a header');
            header = h;
            index = new JournalIndex(h.first, h.end);
          } catch {
            stop = true;
            break;
          }
        } else {
          const head = buf.toString('latin1', start, Math.min(nl, start + 64));
          const m = RECORD.exec(head);
          const run = m ? Number(m[1]) : -1;
          if (!m || buf[nl - 1] !== 125 /* } */ || run < index!.first || run >= index!.end) {
            stop = true;
            break;
          }
          index!.set(run, lineOffset, len, m[2] === 'done' ? DONE : FAILED);
        }
        valid = pos + nl + 1;
        start = nl + 1;
      }
      if (stop) break;
      carry = Buffer.from(buf.subarray(start));
      pos += start;
    }
    if (!header || !index) return undefined;
    return { path, header, index, validBytes: valid, tornBytes: size - valid };
  } finally {
    closeSync(fd);
  }
}

/** Reads the record at an index entry. */
export function readRecord(fd: number, offset: number, length: number): RunRecord {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, offset + got);
    if (n <= 0) throw new Error(`journal ended inside a record at byte ${offset}`);
    got += n;
  }
  return JSON.parse(buf.toString('utf8')) as RunRecord;
}

/**
 * An append-only journal: one JSON line per finished run, written with a single write() each (so a
 * killed process leaves at most one torn last line), fsync'd at least every `syncMs` and on close.
 */
export class JournalWriter {
  private fd: number;
  private lastSync = Date.now();

  /** Opens `path` for appending after cutting it to `validBytes`; writes `header` if it is new. */
  constructor(
    readonly path: string,
    header: JournalHeader,
    validBytes: number | undefined,
    private readonly syncMs = 1000,
  ) {
    if (validBytes === undefined) {
      writeFileSync(path, `${JSON.stringify(header)}\n`);
    } else if (statSync(path).size !== validBytes) {
      truncateSync(path, validBytes);
    }
    this.fd = openSync(path, 'a');
    fsyncSync(this.fd);
  }

  append(line: string): void {
    writeSync(this.fd, line);
    const now = Date.now();
    if (now - this.lastSync >= this.syncMs) {
      fsyncSync(this.fd);
      this.lastSync = now;
    }
  }

  close(): void {
    if (this.fd < 0) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
  }
}

/** Something went wrong with a sweep directory (held by another process, a different sweep, ...). */
export class SweepStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SweepStateError';
  }
}

/** A lock not refreshed for this long is stale (its holder died, possibly on another host). */
export const LOCK_STALE_MS = 30_000;
const LOCK_REFRESH_MS = 5_000;

/** A held directory lock. */
export interface DirLock {
  /** Marks the lock alive (called on every finished run; also refreshed by a timer). */
  touch(): void;
  release(): void;
}

/**
 * Takes the directory's lock, so two processes never append to one journal. The lock file holds the
 * holder's pid and host, and the holder refreshes its time stamp every few seconds. A lock is taken
 * over when its holder is a dead process on this host (kill -9), or when it has not been refreshed
 * for {@link LOCK_STALE_MS} (a holder that died on another machine: a rescheduled Kubernetes pod,
 * a requeued Slurm task).
 */
export function acquireLock(dir: string): DirLock {
  const path = join(dir, LOCK_FILE);
  const me = JSON.stringify({ pid: process.pid, host: hostname() });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, me);
      closeSync(fd);
      let last = Date.now();
      const touch = () => {
        const now = Date.now();
        if (now - last < LOCK_REFRESH_MS) return;
        last = now;
        try {
          utimesSync(path, now / 1000, now / 1000);
        } catch {
          /* the directory was removed under us: nothing to keep alive */
        }
      };
      const timer = setInterval(touch, LOCK_REFRESH_MS);
      timer.unref();
      return {
        touch,
        release: () => {
          clearInterval(timer);
          rmSync(path, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder: { pid?: number; host?: string } = {};
    let age = 0;
    try {
      age = Date.now() - statSync(path).mtimeMs;
      holder = JSON.parse(readFileSync(path, 'utf8')) as typeof holder;
    } catch {
      /* an empty or torn lock file: its writer died while creating it */
    }
    const sameHost = holder.host === hostname();
    const alive = holder.pid === undefined ? false : sameHost ? pidAlive(holder.pid) : age < LOCK_STALE_MS;
    if (alive) {
      throw new SweepStateError(
        `${dir} is in use by another pmsim sweep (pid ${holder.pid} on ${holder.host}); if that process is gone, delete ${path}` +
          (sameHost ? '' : ` or wait ${Math.ceil((LOCK_STALE_MS - age) / 1000)} s until the lock goes stale`),
      );
    }
    rmSync(path, { force: true });
  }
  throw new SweepStateError(`cannot lock ${dir} (${path})`);
}

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
