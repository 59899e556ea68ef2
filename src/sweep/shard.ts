import type { ShardSpec } from './journal.js';

/** An input error about sharding (the CLI exits 2). */
export class ShardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShardError';
  }
}

/** Environment variables that carry a shard index, in the order they are consulted. */
export const SHARD_INDEX_ENV = ['PMSIM_SHARD_INDEX', 'JOB_COMPLETION_INDEX', 'SLURM_ARRAY_TASK_ID', 'AWS_BATCH_JOB_ARRAY_INDEX'] as const;
/** Environment variable that carries the number of shards. */
export const SHARD_COUNT_ENV = 'PMSIM_SHARDS';

/** Parses `i/N` (0 ≤ i < N). */
export function parseShard(text: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new ShardError(`--shard expects i/N (shard i of N, counting from 0), got "${text}"`);
  return checkShard(Number(m[1]), Number(m[2]), '--shard');
}

function checkShard(index: number, count: number, from: string): ShardSpec {
  if (!Number.isInteger(count) || count < 1) throw new ShardError(`${from}: the number of shards must be a whole number ≥ 1, got ${count}`);
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new ShardError(`${from}: the shard index must be 0 to ${count - 1} (shards count from 0), got ${index}`);
  }
  return { index, count };
}

/**
 * Resolves the shard of this process, or null for the whole run list.
 *
 * - `--shard i/N` wins.
 * - Otherwise sharding is on when the number of shards is known: `--shards N`, else `$PMSIM_SHARDS`.
 *   The index then comes from the first variable set among `$PMSIM_SHARD_INDEX`,
 *   `$JOB_COMPLETION_INDEX` (Kubernetes Indexed Jobs), `$SLURM_ARRAY_TASK_ID` (Slurm arrays, use
 *   `--array=0-(N-1)`) and `$AWS_BATCH_JOB_ARRAY_INDEX` (AWS Batch array jobs).
 */
export function resolveShard(
  opts: { shard?: string | ShardSpec | null; shards?: number | null },
  env: NodeJS.ProcessEnv = process.env,
): ShardSpec | null {
  if (opts.shard !== undefined && opts.shard !== null) {
    const s = typeof opts.shard === 'string' ? parseShard(opts.shard) : checkShard(opts.shard.index, opts.shard.count, 'shard');
    if (opts.shards !== undefined && opts.shards !== null && opts.shards !== s.count) {
      throw new ShardError(`--shard ${s.index}/${s.count} and --shards ${opts.shards} disagree`);
    }
    return s;
  }
  let count: number | undefined;
  let from = '--shards';
  if (opts.shards !== undefined && opts.shards !== null) count = opts.shards;
  else if (env[SHARD_COUNT_ENV] !== undefined && env[SHARD_COUNT_ENV] !== '') {
    count = Number(env[SHARD_COUNT_ENV]);
    from = `$${SHARD_COUNT_ENV}`;
  }
  if (count === undefined) return null;
  for (const name of SHARD_INDEX_ENV) {
    const v = env[name];
    if (v === undefined || v === '') continue;
    if (!/^\d+$/.test(v.trim())) throw new ShardError(`$${name} must be a whole number, got "${v}"`);
    return checkShard(Number(v), count, `${from}=${count} with $${name}=${v}`);
  }
  throw new ShardError(
    `${from} gives ${count} shards but no shard index: use --shard i/${count}, or run under a scheduler that sets one of ${SHARD_INDEX_ENV.map((n) => `$${n}`).join(', ')}`,
  );
}

/** The block of runs of shard `s`: runs first .. end − 1 (contiguous; every run in exactly one shard). */
export function shardRange(runsTotal: number, s: ShardSpec | null): { first: number; end: number } {
  if (!s) return { first: 0, end: runsTotal };
  return { first: Math.floor((s.index * runsTotal) / s.count), end: Math.floor(((s.index + 1) * runsTotal) / s.count) };
}
