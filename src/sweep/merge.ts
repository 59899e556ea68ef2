import { closeSync, existsSync, mkdirSync, openSync, readSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AtomicStream } from '../output/atomic.js';
import { VERSION } from '../version.js';
import {
  DONE,
  FAILED,
  JOURNAL_FILE,
  NONE,
  SweepStateError,
  acquireLock,
  scanJournal,
  type JournalHeader,
  type ScannedJournal,
} from './journal.js';
import { planFromDefinition } from './plan.js';
import { renderFromJournal } from './run.js';

/** Options of {@link mergeShards}. */
export interface MergeOptions {
  /** Output directory for the merged runs.csv, aggregate.csv, manifest.json and journal.jsonl. */
  readonly out: string;
  /** The command line, recorded in manifest.json. */
  readonly command?: string;
}

/** What {@link mergeShards} did. */
export interface MergeResult {
  readonly out: string;
  readonly hash: string;
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly missing: number;
  /** Missing runs as ranges like `12-15` (at most 50 ranges). */
  readonly missingRanges: string[];
  readonly failures: { run: number; error: string }[];
  readonly files: string[];
  /** 0: every run done; 1: some runs failed or missing. */
  readonly exitCode: 0 | 1;
}

/**
 * Merges shard directories (each written by `pmsim sweep --shard i/N`) into one: checks that they
 * hold the same sweep (same hash) and that their run ranges do not overlap, writes a merged journal
 * (so the merged directory can be resumed with `pmsim sweep --out` to fill in missing runs) and
 * renders runs.csv, aggregate.csv and manifest.json from it, streaming, in run-index order: the same
 * bytes as one machine running the whole sweep.
 */
export function mergeShards(dirs: readonly string[], opts: MergeOptions): MergeResult {
  if (dirs.length === 0) throw new SweepStateError('merge needs at least one shard directory');
  const out = resolve(opts.out);
  const shards: ScannedJournal[] = [];
  for (const d of dirs) {
    const dir = resolve(d);
    if (dir === out) throw new SweepStateError(`--out ${opts.out} is one of the shard directories; merge into a new directory`);
    const path = join(dir, JOURNAL_FILE);
    if (!existsSync(path)) throw new SweepStateError(`${d}: no ${JOURNAL_FILE} (not a pmsim sweep output directory)`);
    const j = scanJournal(path);
    if (!j) throw new SweepStateError(`${d}: ${JOURNAL_FILE} has no valid header`);
    shards.push(j);
  }
  const h0 = shards[0]!.header;
  shards.forEach((j, k) => {
    if (j.header.sweep_hash !== h0.sweep_hash) {
      throw new SweepStateError(
        `${dirs[k]} holds a different sweep than ${dirs[0]} (hash ${j.header.sweep_hash.slice(0, 12)} vs ${h0.sweep_hash.slice(0, 12)}); only shards of one sweep can be merged`,
      );
    }
  });
  const order = shards.map((_, k) => k).sort((a, b) => shards[a]!.header.first - shards[b]!.header.first);
  for (let k = 1; k < order.length; k++) {
    const a = shards[order[k - 1]!]!.header;
    const b = shards[order[k]!]!.header;
    if (b.first < a.end && a.first < b.end) {
      throw new SweepStateError(
        `${dirs[order[k - 1]!]} (runs ${a.first}-${a.end - 1}) and ${dirs[order[k]!]} (runs ${b.first}-${b.end - 1}) overlap: merge each shard once`,
      );
    }
  }
  const plan = planFromDefinition(h0.definition);
  const total = plan.runsTotal;
  const owner = new Int32Array(total).fill(-1);
  shards.forEach((j, k) => owner.fill(k, j.header.first, j.header.end));

  mkdirSync(out, { recursive: true });
  const lock = acquireLock(out);
  try {
    const existing = scanJournal(join(out, JOURNAL_FILE));
    if (existing && existing.header.sweep_hash !== h0.sweep_hash) {
      throw new SweepStateError(`${opts.out} holds results of a different sweep; merge into a new directory`);
    }
    // The merged journal: a whole-sweep header, then each run's latest record in run order.
    const header: JournalHeader = { ...h0, pmsim_version: VERSION, shard: null, first: 0, end: total };
    const journal = new AtomicStream(join(out, JOURNAL_FILE));
    const fds = shards.map((j) => openSync(j.path, 'r'));
    try {
      journal.write(`${JSON.stringify(header)}\n`);
      let buf = Buffer.allocUnsafe(1 << 16);
      for (let i = 0; i < total; i++) {
        const k = owner[i]!;
        if (k < 0) continue;
        const idx = shards[k]!.index;
        const s = idx.statusOf(i);
        if (s !== DONE && s !== FAILED) continue;
        const off = idx.offsets[i - idx.first]!;
        const len = idx.lengths[i - idx.first]!;
        if (buf.length < len) buf = Buffer.allocUnsafe(len);
        let got = 0;
        while (got < len) {
          const n = readSync(fds[k]!, buf, got, len - got, off + got);
          if (n <= 0) throw new Error(`${shards[k]!.path} ended inside a record`);
          got += n;
        }
        journal.write(`${buf.toString('utf8', 0, len)}\n`);
      }
      journal.commit();
    } catch (e) {
      journal.abort();
      throw e;
    } finally {
      for (const fd of fds) closeSync(fd);
    }
    const merged = scanJournal(join(out, JOURNAL_FILE));
    if (!merged) throw new Error('cannot read back the merged journal');
    const counts = renderFromJournal(plan, merged, out, {
      shard: null,
      first: 0,
      end: total,
      command: opts.command ?? null,
      sources: dirs.map((d) => resolve(d)),
    });
    const missingRanges: string[] = [];
    let i = 0;
    while (i < total && missingRanges.length < 50) {
      if (merged.index.statusOf(i) !== NONE) {
        i++;
        continue;
      }
      let j = i;
      while (j + 1 < total && merged.index.statusOf(j + 1) === NONE) j++;
      missingRanges.push(i === j ? `${i}` : `${i}-${j}`);
      i = j + 1;
    }
    return {
      out,
      hash: h0.sweep_hash,
      total,
      done: counts.done,
      failed: counts.failed,
      missing: counts.missing,
      missingRanges,
      failures: counts.failures.slice(0, 20),
      files: ['runs.csv', 'aggregate.csv', 'manifest.json', JOURNAL_FILE].map((f) => join(out, f)),
      exitCode: counts.failed > 0 || counts.missing > 0 ? 1 : 0,
    };
  } finally {
    lock.release();
  }
}
