import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { JOURNAL_FILE, SweepStateError, scanJournal } from './journal.js';
import { mergeShards, type MergeResult } from './merge.js';

/** The directory of shard `i` inside a cluster sweep's output directory. */
export function shardDir(out: string, index: number): string {
  return join(out, `shard-${index}`);
}

/** The `--out` pattern every shard task is given (`{shard}` becomes the index). */
export function shardOutPattern(out: string): string {
  return join(out, 'shard-{shard}');
}

/** The file a cluster submission leaves in the output directory (number of shards, job ids). */
export const CLUSTER_FILE = 'cluster.json';

/** What `pmsim sweep --slurm` records in `<out>/cluster.json`. */
export interface ClusterRecord {
  readonly pmsim_cluster: 1;
  readonly sweep_hash: string;
  readonly shards: number;
  readonly script: string | null;
  /** Slurm jobs submitted for this directory, oldest first, with the array indices each ran. */
  readonly jobs: { id: string; array: string }[];
}

/** Reads `<out>/cluster.json`, or undefined when there is none (or it is unreadable). */
export function readClusterRecord(out: string): ClusterRecord | undefined {
  const path = join(out, CLUSTER_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const r = JSON.parse(readFileSync(path, 'utf8')) as ClusterRecord;
    return r.pmsim_cluster === 1 && Number.isInteger(r.shards) && Array.isArray(r.jobs) ? r : undefined;
  } catch {
    return undefined;
  }
}

/** The state of one shard directory, read from its journal. */
export interface ShardState {
  readonly index: number;
  readonly dir: string;
  /** `absent`: no directory or no journal yet; `partial`: some runs missing; `complete`: every run done or failed. */
  readonly state: 'absent' | 'partial' | 'complete';
  readonly first: number;
  readonly end: number;
  readonly done: number;
  readonly failed: number;
  readonly sweepHash: string | null;
}

/** Reads the state of shard `index` under `out` (never writes). */
export function shardState(out: string, index: number): ShardState {
  const dir = shardDir(out, index);
  const j = scanJournal(join(dir, JOURNAL_FILE));
  if (!j) return { index, dir, state: 'absent', first: 0, end: 0, done: 0, failed: 0, sweepHash: null };
  const { done, failed } = j.index.counts();
  const complete = done + failed === j.header.end - j.header.first;
  return {
    index,
    dir,
    state: complete ? 'complete' : 'partial',
    first: j.header.first,
    end: j.header.end,
    done,
    failed,
    sweepHash: j.header.sweep_hash,
  };
}

/** Whether every run of a shard is done (none failed, none missing). */
export function shardDone(s: ShardState): boolean {
  return s.state === 'complete' && s.failed === 0;
}

/**
 * The number of shards of a cluster sweep directory: from the shard journals' headers (they must
 * agree), else from cluster.json, else `fallback`.
 */
export function shardCount(out: string, fallback?: number): number | undefined {
  const counts = new Set<number>();
  if (existsSync(out)) {
    for (const name of readdirSync(out)) {
      if (!/^shard-\d+$/.test(name) || !statSync(join(out, name)).isDirectory()) continue;
      const j = scanJournal(join(out, name, JOURNAL_FILE));
      if (j?.header.shard) counts.add(j.header.shard.count);
    }
  }
  if (counts.size > 1)
    throw new SweepStateError(
      `${out}: its shard directories come from different numbers of shards (${[...counts].sort((a, b) => a - b).join(', ')}); gather each set separately`,
    );
  if (counts.size === 1) return [...counts][0];
  return readClusterRecord(out)?.shards ?? fallback;
}

/** What {@link gatherShards} found and merged. */
export interface GatherResult {
  readonly out: string;
  readonly shards: ShardState[];
  /** Shards that are not complete (absent or partial), and complete shards with failed runs. */
  readonly unfinished: number[];
  /** The merge of every shard with a journal (null when no shard has started). */
  readonly merge: MergeResult | null;
  /** 0: every run of every shard done; 1: something missing or failed. */
  readonly exitCode: 0 | 1;
}

/**
 * Merges the shards found in `out/shard-<i>/` into `out` itself (runs.csv, aggregate.csv,
 * manifest.json, journal.jsonl), whatever their state: the finished runs of every shard that has
 * started are kept, and the result says which shards are missing or unfinished. Running it again
 * once more shards have finished completes the merge; a complete merge is byte-identical to one
 * process running the whole sweep into `out`.
 */
export function gatherShards(outDir: string, opts: { shards?: number; command?: string } = {}): GatherResult {
  const out = resolve(outDir);
  if (!existsSync(out) || !statSync(out).isDirectory()) throw new SweepStateError(`${outDir}: no such directory`);
  const n = shardCount(out, opts.shards);
  if (n === undefined)
    throw new SweepStateError(
      `${outDir}: no shard directories (shard-0, shard-1, ...) with a journal, and no ${CLUSTER_FILE}: nothing to gather`,
    );
  const shards = Array.from({ length: n }, (_, i) => shardState(out, i));
  const started = shards.filter((s) => s.state !== 'absent');
  const unfinished = shards.filter((s) => !shardDone(s)).map((s) => s.index);
  const merge =
    started.length > 0
      ? mergeShards(
          started.map((s) => s.dir),
          { out, command: opts.command },
        )
      : null;
  const complete = merge !== null && merge.exitCode === 0 && unfinished.length === 0;
  return { out, shards, unfinished, merge, exitCode: complete ? 0 : 1 };
}

/** One line per shard that is not done, for people: `shard 2: 5 of 9 runs done (runs 18-26)`. */
export function describeUnfinished(g: GatherResult): string[] {
  return g.shards
    .filter((s) => !shardDone(s))
    .map((s) => {
      if (s.state === 'absent') return `shard ${s.index}: not started (no journal in ${s.dir})`;
      const n = s.end - s.first;
      const failed = s.failed > 0 ? `, ${s.failed} failed` : '';
      return `shard ${s.index}: ${s.done} of ${n} runs done${failed} (runs ${s.first}-${s.end - 1})`;
    });
}

/** Runs done and failed over some shards, for progress lines. */
export function runCounts(shards: readonly ShardState[]): { done: number; failed: number } {
  let done = 0;
  let failed = 0;
  for (const s of shards) {
    done += s.done;
    failed += s.failed;
  }
  return { done, failed };
}
