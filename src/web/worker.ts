/**
 * The simulation worker: parses the scenario with the CLI's parser, runs it with the CLI's
 * `runScenario` (common random numbers across mechanisms) and returns the CLI's result tables as
 * text. Progress comes from finished jobs; each finished mechanism's rows go to the page at once so
 * the charts grow during the run. The page cancels by terminating the worker.
 */
import { runTableTexts } from '../comparison/csv-text.js';
import { latencyRows, sharesRows, summaryRow, timeseriesRows } from '../comparison/rows.js';
import { resolveMechanism, runScenario } from '../comparison/run-scenario.js';
import { ScenarioError } from '../scenario/errors.js';
import { parseScenarioTextWith, type TraceReader } from '../scenario/parse.js';
import type { RunRequest, WorkerMessage } from './protocol.js';
import { traceReader } from './traces.js';

const post = (m: WorkerMessage): void => (self as unknown as Worker).postMessage(m);

self.onmessage = (e: MessageEvent<RunRequest>) => {
  try {
    run(e.data);
  } catch (err) {
    if (err instanceof ScenarioError) post({ type: 'invalid', file: err.file, issues: err.issues });
    else post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};

function run(req: RunRequest): void {
  const t0 = performance.now();
  const read: TraceReader = traceReader(req.traces);
  const scenario = parseScenarioTextWith(req.text, req.file, read);
  const refs = scenario.mechanisms.map(resolveMechanism);
  const want = req.mechanisms;
  // The same selection rule as runScenario's (labels), only to know how many runs progress spans.
  const chosen = want ? refs.filter((m) => want.includes(m.label) || (want.includes(m.id) && !refs.some((o) => o.label === m.id))) : refs;
  post({ type: 'start', mechanisms: chosen.map((m) => m.label) });
  const n = Math.max(1, chosen.length);
  let finished = 0;
  let last = 0;
  const result = runScenario(scenario, {
    seed: req.seed,
    mechanisms: want,
    onJob: (label, row) => {
      const now = performance.now();
      if (now - last < 50) return;
      last = now;
      post({ type: 'progress', mechanism: label, fraction: (finished + Math.min(1, row.ended_s / scenario.duration)) / n });
    },
    onMechanismDone: (label, r) => {
      finished++;
      const ref = chosen.find((m) => m.label === label)!;
      const key = { scenario: scenario.name, mechanism: label, mechanism_id: ref.id, preset: ref.preset, seed: req.seed };
      post({ type: 'progress', mechanism: label, fraction: finished / n });
      post({
        type: 'partial',
        mechanism: label,
        rows: {
          summary: [summaryRow(key, r)],
          timeseries: timeseriesRows(key, r),
          shares: sharesRows(key, r),
          latency: latencyRows(key, r),
        },
      });
    },
  });
  const files = runTableTexts(result);
  post({
    type: 'done',
    files,
    wallMs: performance.now() - t0,
    timing: result.timing.map((t) => ({ mechanism: t.mechanism, events: t.events, wall_s: t.wall_s })),
  });
}
