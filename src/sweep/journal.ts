import { closeSync, existsSync, fsyncSync, openSync, readSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_STALE_MS as STALE_MS, LockHeldError, acquireFileLock } from '../output/lock.js';
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
  /** Bytes up to the end of the last whole line; anything after it is a torn write. */
  readonly validBytes: number;
  readonly tornBytes: number;
  /** Whole lines after the header that are not valid records (1-based line numbers, at most 20 kept). */
  readonly droppedLines: readonly number[];
  readonly droppedCount: number;
}

const RECORD = /^\{"run":(\d+),"status":"(done|failed)"/;

/**
 * Reads a journal, streaming: the header, then each record's position. A last line without its
 * newline (a write cut short by kill -9 or a crash) is ignored (and cut off by the next writer).
 * A whole line that is not a valid record (broken JSON, garbage, a run outside the range) is
 * dropped and counted, and the records after it are kept: the dropped runs simply run again.
 * Returns undefined when there is no journal, or when it holds no whole line (a header cut short).
 * Throws {@link SweepStateError} when the first line is not a journal header: nothing then says
 * which sweep the records belong to, so the journal is refused rather than silently restarted.
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
    let line = 0;
    const dropped: number[] = [];
    let droppedCount = 0;
    let read = 0;
    while (read < size) {
      const n = readSync(fd, chunk, 0, chunk.length, read);
      if (n <= 0) break;
      read += n;
      const buf = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(10, start);
        if (nl < 0) break;
        line++;
        const lineOffset = pos + start;
        const len = nl - start;
        if (header === undefined) {
          header = parseHeader(buf.toString('utf8', start, nl));
          if (!header) {
            throw new SweepStateError(
              `${path}: line 1 is not a pmsim sweep journal header (the file is damaged), so its runs cannot be matched to a sweep. ` +
                `Move it away to start the sweep over (mv ${path} ${path}.damaged), or restore it from a copy`,
            );
          }
          index = new JournalIndex(header.first, header.end);
        } else {
          const status = recordStatus(buf, start, nl, index!);
          if (status === undefined) {
            droppedCount++;
            if (dropped.length < 20) dropped.push(line);
          } else index!.set(status.run, lineOffset, len, status.status);
        }
        valid = pos + nl + 1;
        start = nl + 1;
      }
      carry = Buffer.from(buf.subarray(start));
      pos += start;
    }
    if (!header || !index) return undefined;
    return { path, header, index, validBytes: valid, tornBytes: size - valid, droppedLines: dropped, droppedCount };
  } finally {
    closeSync(fd);
  }
}

function parseHeader(text: string): JournalHeader | undefined {
  try {
    const h = JSON.parse(text) as JournalHeader;
    const ok =
      h !== null &&
      typeof h === 'object' &&
      h.pmsim_sweep_journal === 1 &&
      typeof h.sweep_hash === 'string' &&
      Number.isInteger(h.first) &&
      Number.isInteger(h.end) &&
      h.end >= h.first;
    return ok ? h : undefined;
  } catch {
    return undefined;
  }
}

/** A line's run and status if it is a whole, parseable record of the range; else undefined. */
function recordStatus(buf: Buffer, start: number, nl: number, index: JournalIndex): { run: number; status: number } | undefined {
  const m = RECORD.exec(buf.toString('latin1', start, Math.min(nl, start + 64)));
  if (!m || buf[nl - 1] !== 125 /* } */) return undefined;
  const run = Number(m[1]);
  if (run < index.first || run >= index.end) return undefined;
  try {
    const r = JSON.parse(buf.toString('utf8', start, nl)) as { run?: unknown; status?: unknown };
    if (r.run !== run || (r.status !== 'done' && r.status !== 'failed')) return undefined;
  } catch {
    return undefined;
  }
  return { run, status: m[2] === 'done' ? DONE : FAILED };
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
export const LOCK_STALE_MS = STALE_MS;

/** A held directory lock. */
export interface DirLock {
  /** Marks the lock alive (called on every finished run; also refreshed by a timer). */
  touch(): void;
  release(): void;
}

/**
 * Takes the directory's lock, so two processes never append to one journal. The lock file holds the
 * holder's pid, host, boot id and process start time, and the holder refreshes its time stamp every
 * few seconds. A lock is taken over when its holder is dead on this host (kill -9; also a reused pid
 * after a container restart, told apart by its start time), or when it has not been refreshed for
 * {@link LOCK_STALE_MS} (a holder that died on another machine: a rescheduled pod, a requeued task).
 */
export function acquireLock(dir: string): DirLock {
  try {
    return acquireFileLock(join(dir, LOCK_FILE), dir, 'sweep');
  } catch (e) {
    if (e instanceof LockHeldError) throw new SweepStateError(e.message);
    throw e;
  }
}
