import { checkSelection, type Decision } from './core-adapter.js';
import { GENESIS, type Coordinator, type StepRecord } from './coordinator.js';
import { recordHeader, recordStepLine } from './record.js';

/** `GET /v1/jobs/:id`: the job as submitted, its status and outcome, its settlement. */
export function jobView(c: Coordinator, id: number): Record<string, unknown> | undefined {
  const r = c.jobs[id];
  if (!r) return undefined;
  return {
    job_id: id,
    job: r.job,
    status: r.closed ? 'closed' : r.outcome ? 'done' : 'open',
    outcome: r.outcome || null,
    operator: r.operator,
    settlement: c.ledger.settlement(id),
  };
}

/** `GET /v1/jobs/:id/decisions`: every step that decided something about the job, in order. */
export function jobSteps(c: Coordinator, id: number): StepRecord[] {
  const r = c.jobs[id];
  return r ? r.steps.map((seq) => stepBySeq(c, seq)!).filter(Boolean) : [];
}

/** `GET /v1/operators/:id`. */
export function operatorView(c: Coordinator, id: number): Record<string, unknown> | undefined {
  const o = c.operators[id];
  if (!o) return undefined;
  return {
    operator: id,
    entity: o.info.entity,
    capacity: { cpus: o.info.capacity.cpus, gpus: o.info.capacity.gpus, memory_gb: o.info.capacity.memoryGb },
    hardware: o.info.hardware,
    public_key: o.publicKey,
    stake_micros: o.stake,
    online: o.online,
    ejected: o.ejected,
    work: [...o.work].map(([job_id, role]) => ({ job_id, role })),
    balance_micros: c.ledger.balance(`operator:${id}`),
  };
}

/**
 * `GET /v1/jobs/:id/audit`: the job's public beacon (the one its submission carried) and every
 * random selection with its eligible set, each recomputed here.
 */
export function auditView(c: Coordinator, id: number): Record<string, unknown> | undefined {
  const r = c.jobs[id];
  if (!r) return undefined;
  const submit = stepBySeq(c, r.submitSeq);
  const beacon = submit?.beacon || undefined;
  const selections = r.selections.map((s) => ({ ...s, beacon_matches: s.beacon === beacon, ok: s.beacon === beacon && checkSelection(s) }));
  return { job_id: id, submit_seq: r.submitSeq, beacon: beacon ?? null, selections, ok: selections.every((s) => s.ok) };
}

/** `GET /v1/beacon/:seq`: the beacon the input at log position `seq` carried. */
export function beaconView(c: Coordinator, seq: number): Record<string, unknown> | undefined {
  const s = stepBySeq(c, seq);
  if (!s) return undefined;
  return { seq, at: s.at, input: JSON.parse(s.input), beacon: s.beacon || null };
}

/** `GET /v1/record`: the coordinator's steps as a record (the format `pmsim run --record` writes). */
export function* recordLines(c: Coordinator, scenario: string, seed: number): IterableIterator<string> {
  const operators = c.operators.map((o) => ({ ...o.info, online: o.online }));
  const genesis = c.steps.find((s) => s.input === GENESIS);
  yield recordHeader({
    scenario,
    seed,
    config: c.core.config,
    params: c.core.params,
    operators,
    init: genesis?.decisions.map((d) => JSON.parse(d) as Decision),
  });
  for (const s of c.steps) if (s !== genesis) yield recordStepLine(s.seq, s.at, s.input, s.decisions, s.selections);
}

/** The step with a given log position (binary search: steps are in log order). */
export function stepBySeq(c: Coordinator, seq: number): StepRecord | undefined {
  const i = firstAfter(c.steps, seq - 1);
  const s = c.steps[i];
  return s && s.seq === seq ? s : undefined;
}

/** Index of the first step with a log position greater than `seq`. */
export function firstAfter(steps: readonly StepRecord[], seq: number): number {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (steps[m]!.seq <= seq) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/** `GET /metrics`: Prometheus text format. */
export function metricsText(c: Coordinator): string {
  const k = c.counters;
  const open = c.jobs.filter((j) => !j.closed).length;
  const lines: [string, string, number][] = [
    ['pmsim_requests_total', 'requests to write endpoints', k.requests],
    ['pmsim_refused_total', 'requests refused with a 4xx', k.refused],
    ['pmsim_core_refused_total', 'inputs the core refused (logged, with the reason)', k.coreRefused],
    ['pmsim_duplicates_total', 'requests whose input id was already logged (no-ops)', k.duplicates],
    ['pmsim_log_entries_total', 'entries appended to the input log', k.entries],
    ['pmsim_commits_total', 'log transactions (group commits)', k.commits],
    ['pmsim_commit_seconds_total', 'time spent committing the log', k.commitSeconds],
    ['pmsim_decisions_total', 'decisions made by the core', k.decisions],
    ['pmsim_jobs_total', 'jobs submitted', c.jobs.length],
    ['pmsim_jobs_open', 'jobs not closed yet', open],
    ['pmsim_operators', 'registered operators', c.operators.length],
    ['pmsim_timers_pending', 'timers of the core not fired yet', c.pendingTimers],
    ['pmsim_clock_seconds', 'coordinator time', c.now],
  ];
  return lines.map(([n, h, v]) => `# HELP ${n} ${h}\n# TYPE ${n} ${n.endsWith('_total') ? 'counter' : 'gauge'}\n${n} ${v}\n`).join('');
}
