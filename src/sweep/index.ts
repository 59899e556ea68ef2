/**
 * Sweeps: parameter grids × Monte Carlo replicates on a worker pool, streamed to disk, resumable,
 * shardable across machines (`pmsim sweep`, `pmsim merge`). See docs/sweeps.md and docs/cluster.md.
 */
export {
  runSweep,
  loadSweep,
  renderFromJournal,
  WORKER_URL,
  type SweepOptions,
  type SweepProgress,
  type SweepResult,
  type SweepSource,
} from './run.js';
export { mergeShards, type MergeOptions, type MergeResult } from './merge.js';
export {
  SweepError,
  loadSweepFile,
  parseSweep,
  planFromDefinition,
  runSpec,
  pointOverrides,
  buildScenario,
  validatePlan,
  sweepHash,
  type Axis,
  type RunSpec,
  type SweepDefinition,
  type SweepPlan,
} from './plan.js';
export { sweepSchema, type SweepFile, type SweepInput } from './schema.js';
export { deriveSeed } from './seed.js';
export { parseShard, resolveShard, shardRange, ShardError, SHARD_INDEX_ENV, SHARD_COUNT_ENV } from './shard.js';
export { SweepStateError, JOURNAL_FILE, type ShardSpec, type JournalHeader } from './journal.js';
export { RUNS_FILE, AGGREGATE_FILE, MANIFEST_FILE, NUMERIC_COLUMNS, SEED_DERIVATION } from './render.js';
export { executeRun, type RunRecord, type RunTask, type WorkerContext } from './execute.js';
export { summarize, tQuantile } from './stats.js';
export { parsePath, setPath } from './paths.js';
export { createProgressReporter, type ProgressReporter } from './progress.js';
