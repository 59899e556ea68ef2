import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { VERSION } from '../version.js';
import { errorText, executeRun, type RunOutcome, type RunTask, type WorkerContext } from './execute.js';
import {
  DONE,
  JOURNAL_FILE,
  JournalWriter,
  SweepStateError,
  acquireLock,
  readRecord,
  scanJournal,
  type JournalHeader,
  type ScannedJournal,
  type ShardSpec,
} from './journal.js';
import { loadSweepFile, parseSweep, runSpec, validatePlan, type SweepPlan } from './plan.js';
import { renderOutputs, type RecordSource, type RenderCounts } from './render.js';
import { resolveShard, shardRange } from './shard.js';

/** Progress of a sweep, reported after every finished run. */
export interface SweepProgress {
  /** Runs of this process's range (the shard, or the whole sweep). */
  readonly total: number;
  /** Runs finished successfully (including those found done in the journal). */
  readonly done: number;
  /** Runs that threw, in this session. */
  readonly failed: number;
  /** Runs found done in the journal when the sweep started (resume). */
  readonly resumed: number;
  readonly elapsed_s: number;
  /** Estimated seconds to go (NaN until a run has finished). */
  readonly eta_s: number;
}

/** Options of {@link runSweep}. */
export interface SweepOptions {
  /** Output directory (runs.csv, aggregate.csv, manifest.json, journal.jsonl). */
  readonly out: string;
  /** Worker threads (default: one per core). 0 runs everything in the calling thread. */
  readonly workers?: number;
  /** A shard `i/N` or `{index, count}`; default: from `shards` / the environment (see resolveShard), else all runs. */
  readonly shard?: string | ShardSpec | null;
  /** Number of shards, with the index from the environment. */
  readonly shards?: number | null;
  /** Environment for shard resolution (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  readonly onProgress?: (p: SweepProgress) => void;
  /** Stops the sweep (finished runs are kept; rerun to resume). */
  readonly signal?: AbortSignal;
  /** The command line, recorded in manifest.json. */
  readonly command?: string;
  /** Max milliseconds between journal fsyncs (default 1000). */
  readonly syncMs?: number;
}

/** What {@link runSweep} did. */
export interface SweepResult {
  readonly out: string;
  readonly hash: string;
  readonly shard: ShardSpec | null;
  readonly first: number;
  readonly end: number;
  /** Runs of the range. */
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  /** Runs still to do (interrupted). */
  readonly missing: number;
  /** Runs found done in the journal at the start. */
  readonly resumed: number;
  /** Runs executed in this call. */
  readonly executed: number;
  readonly interrupted: boolean;
  /** The first few failures (run index and error). */
  readonly failures: { run: number; error: string }[];
  /** Files written (empty when interrupted). */
  readonly files: string[];
  /** 0: every run done; 1: some runs failed; 130: interrupted. */
  readonly exitCode: 0 | 1 | 130;
}

/** A sweep to run: a sweep file path, a parsed plan, or a sweep object (paths relative to the working directory). */
export type SweepSource = string | SweepPlan | Record<string, unknown>;

function isPlan(s: SweepSource): s is SweepPlan {
  return typeof s === 'object' && s !== null && 'definition' in s && 'hash' in s && 'runsTotal' in s;
}

/** Loads a sweep source into a plan (throws SweepError / ScenarioError on bad input). */
export function loadSweep(s: SweepSource): SweepPlan {
  if (typeof s === 'string') return loadSweepFile(s);
  if (isPlan(s)) return s;
  return parseSweep(s);
}

/** The compiled worker module beside this one (dist/sweep/worker.js). */
export const WORKER_URL = new URL('./worker.js', import.meta.url);

/**
 * Runs a sweep (or one shard of it) into `out`, resuming from the journal there if any.
 *
 * Every finished run is appended to `out/journal.jsonl` at once (so memory stays flat and a killed
 * process loses only its runs in flight); when the range is complete, runs.csv, aggregate.csv and
 * manifest.json are rendered from the journal in run-index order. Runs that failed before are
 * retried. Throws SweepError/ScenarioError (bad sweep), ShardError, SweepStateError (the directory
 * holds another sweep or is in use).
 */
export async function runSweep(source: SweepSource, opts: SweepOptions): Promise<SweepResult> {
  const plan = loadSweep(source);
  validatePlan(plan);
  const shard = resolveShard({ shard: opts.shard, shards: opts.shards }, opts.env ?? process.env);
  const { first, end } = shardRange(plan.runsTotal, shard);
  const out = resolve(opts.out);
  const workers = opts.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 0) throw new SweepStateError(`workers must be a whole number ≥ 0, got ${workers}`);

  mkdirSync(out, { recursive: true });
  const lock = acquireLock(out);
  try {
    const journalPath = join(out, JOURNAL_FILE);
    const header: JournalHeader = {
      pmsim_sweep_journal: 1,
      sweep_hash: plan.hash,
      pmsim_version: VERSION,
      shard,
      first,
      end,
      runs_total: plan.runsTotal,
      definition: plan.definition,
    };
    const old = scanJournal(journalPath);
    if (old) checkResumable(old, header, out);
    const status = new Uint8Array(end - first);
    let resumed = 0;
    if (old) {
      for (let i = first; i < end; i++) {
        if (old.index.statusOf(i) === DONE) {
          status[i - first] = 1;
          resumed++;
        }
      }
    }
    const journal = new JournalWriter(journalPath, header, old?.validBytes, opts.syncMs);

    const total = end - first;
    let done = resumed;
    let failed = 0;
    let executed = 0;
    const t0 = Date.now();
    const toRun = total - resumed;
    const report = () => {
      if (!opts.onProgress) return;
      const elapsed = (Date.now() - t0) / 1000;
      const finished = done - resumed + failed;
      const eta = finished > 0 ? (elapsed / finished) * (toRun - finished) : NaN;
      opts.onProgress({ total, done, failed, resumed, elapsed_s: elapsed, eta_s: eta });
    };
    report();

    let interrupted = false;
    try {
      const onOutcome = (o: RunOutcome) => {
        journal.append(o.line);
        lock.touch();
        executed++;
        if (o.ok) done++;
        else failed++;
        report();
      };
      const ctx: WorkerContext = {
        base: plan.definition.scenario,
        scenarioPath: plan.scenarioPath,
        sweepFile: plan.file,
        mechanisms: plan.definition.mechanisms,
      };
      let cursor = first;
      const nextTask = (): RunTask | undefined => {
        while (cursor < end && status[cursor - first] === 1) cursor++;
        if (cursor >= end) return undefined;
        const spec = runSpec(plan, cursor++);
        return { index: spec.index, point: spec.point, seed: spec.seed, overrides: spec.overrides };
      };
      if (toRun > 0) {
        const threads = Math.min(workers, toRun);
        const stopped =
          threads === 0
            ? await runInline(ctx, nextTask, onOutcome, opts.signal)
            : await runPool(ctx, threads, nextTask, onOutcome, opts.signal);
        // A stop that came after the last run finished interrupts nothing.
        interrupted = stopped && executed < toRun;
      }
    } finally {
      journal.close();
    }

    if (interrupted) {
      return {
        out,
        hash: plan.hash,
        shard,
        first,
        end,
        total,
        done,
        failed,
        missing: total - done - failed,
        resumed,
        executed,
        interrupted: true,
        failures: [],
        files: [],
        exitCode: 130,
      };
    }

    const scanned = scanJournal(journalPath);
    if (!scanned) throw new Error(`cannot read back ${journalPath}`);
    const counts = renderFromJournal(plan, scanned, out, { shard, first, end, command: opts.command ?? null });
    return {
      out,
      hash: plan.hash,
      shard,
      first,
      end,
      total,
      done: counts.done,
      failed: counts.failed,
      missing: counts.missing,
      resumed,
      executed,
      interrupted: false,
      failures: counts.failures.slice(0, 20),
      files: ['runs.csv', 'aggregate.csv', 'manifest.json', JOURNAL_FILE].map((f) => join(out, f)),
      exitCode: counts.failed > 0 || counts.missing > 0 ? 1 : 0,
    };
  } finally {
    lock.release();
  }
}

function checkResumable(old: ScannedJournal, header: JournalHeader, out: string): void {
  const h = old.header;
  if (h.sweep_hash !== header.sweep_hash) {
    const what = h.definition?.sweep_file ? ` (from ${h.definition.sweep_file})` : '';
    throw new SweepStateError(
      `${out} holds results of a different sweep${what}: its hash is ${h.sweep_hash.slice(0, 12)}, this sweep's is ${header.sweep_hash.slice(0, 12)}. ` +
        'Use another --out directory, or delete that one to start over.',
    );
  }
  const same =
    (h.shard === null && header.shard === null) ||
    (h.shard !== null && header.shard !== null && h.shard.index === header.shard.index && h.shard.count === header.shard.count);
  if (!same || h.first !== header.first || h.end !== header.end) {
    const fmt = (s: ShardSpec | null) => (s ? `shard ${s.index}/${s.count}` : 'the whole sweep');
    throw new SweepStateError(`${out} holds ${fmt(h.shard)} of this sweep, not ${fmt(header.shard)}; use another --out directory`);
  }
}

/** Renders the outputs of a range from one scanned journal. */
export function renderFromJournal(
  plan: SweepPlan,
  j: ScannedJournal,
  out: string,
  info: { shard: ShardSpec | null; first: number; end: number; command?: string | null; sources?: string[] },
): RenderCounts {
  const fd = openSync(j.path, 'r');
  try {
    const src: RecordSource = {
      status: (i) => j.index.statusOf(i),
      record: (i) => readRecord(fd, j.index.offsets[i - j.index.first]!, j.index.lengths[i - j.index.first]!),
    };
    return renderOutputs(plan, src, out, info);
  } finally {
    closeSync(fd);
  }
}

async function runInline(
  ctx: WorkerContext,
  nextTask: () => RunTask | undefined,
  onOutcome: (o: RunOutcome) => void,
  signal?: AbortSignal,
): Promise<boolean> {
  let k = 0;
  for (let t = nextTask(); t; t = nextTask()) {
    if (signal?.aborted) return true;
    onOutcome(executeRun(ctx, t));
    // Let signals, timers and progress output through now and then.
    if (++k % 8 === 0) await new Promise((r) => setImmediate(r));
  }
  return signal?.aborted ?? false;
}

async function runPool(
  ctx: WorkerContext,
  workers: number,
  nextTask: () => RunTask | undefined,
  onOutcome: (o: RunOutcome) => void,
  signal?: AbortSignal,
): Promise<boolean> {
  const file = fileURLToPath(WORKER_URL);
  if (!existsSync(file)) {
    throw new SweepStateError(`the sweep worker ${file} does not exist: build pmsim first (npm run build), or run with workers: 0`);
  }
  const pool = new Piscina({
    filename: WORKER_URL.href,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 60_000,
    workerData: ctx,
  });
  // Keep a few tasks queued per worker so none idles, but never the whole run list.
  const limit = workers * 2;
  let stopped = false;
  let inflight = 0;
  let failure: unknown;
  try {
    await new Promise<void>((resolveAll) => {
      const onAbort = () => {
        stopped = true;
        resolveAll();
      };
      if (signal) {
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
      }
      const pump = () => {
        if (stopped) return;
        for (;;) {
          if (inflight >= limit) return;
          const task = nextTask();
          if (!task) break;
          inflight++;
          pool.run(task).then(
            (o: RunOutcome) => {
              inflight--;
              if (stopped) return;
              try {
                onOutcome(o);
              } catch (e) {
                failure = e;
                stopped = true;
                resolveAll();
                return;
              }
              pump();
            },
            (e: unknown) => {
              inflight--;
              if (stopped) return;
              // The worker died (out of memory, a crash): the run is recorded as failed.
              try {
                onOutcome({
                  index: task.index,
                  ok: false,
                  line: `${JSON.stringify({ run: task.index, status: 'failed', seed: task.seed, wall_s: 0, error: `worker failed: ${errorText(e)}` })}\n`,
                });
              } catch (e2) {
                failure = e2;
                stopped = true;
                resolveAll();
                return;
              }
              pump();
            },
          );
        }
        if (inflight === 0) {
          signal?.removeEventListener('abort', onAbort);
          resolveAll();
        }
      };
      pump();
    });
  } finally {
    stopped = true;
    await pool.destroy();
  }
  if (failure) throw failure;
  return signal?.aborted ?? false;
}
