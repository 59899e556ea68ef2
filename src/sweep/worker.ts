/**
 * The piscina worker of `pmsim sweep`: runs one task per call. Loaded from dist/ (compiled JS) with
 * `new URL('./worker.js', import.meta.url)`; the sweep's base scenario arrives once as workerData.
 *
 * (No forced garbage collections here: a full GC every few seconds kept RSS a little lower but made
 * V8 drop and recompile optimized code, costing ~25% more CPU per run.)
 */
import { workerData } from 'piscina';
import { executeRun, type RunOutcome, type RunTask, type WorkerContext } from './execute.js';

const ctx = workerData as WorkerContext;

export default function run(task: RunTask): RunOutcome {
  return executeRun(ctx, task);
}
