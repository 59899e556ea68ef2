/** Shared scenario and run helpers for the market-level tests of reverse-dutch, sealed-bid and self-hosted. */
import { runMarket, type JobRow, type MarketResult } from '../src/market/market.js';
import { mechanismById } from '../src/mechanisms/registry.js';
import type { Decision, Input, Job, Mechanism, OperatorInfo } from '../src/mechanisms/types.js';
import type { ProtocolState } from '../src/mechanisms/types.js';
import { fits } from '../src/mechanisms/types.js';
import { parseScenario } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/schema.js';

export function scenario(over: Record<string, unknown>): Scenario {
  return parseScenario({
    name: 'rd-sb-sh',
    seed: 3,
    duration: '1d',
    window: '6h',
    mechanisms: ['random'],
    operators: [{ name: 'gpu', entities: 4, hardware: 'gpu-rtx4090', strategy: 'truthful', failure_prob: 0 }],
    requesters: [{ name: 'app', arrival: '1h', size_mcycles: 1000, deadline: '4h', max_price_usd_per_mcycle: 0.001 }],
    ...over,
  });
}

export function create(id: string, params: Record<string, unknown> = {}): Mechanism {
  const e = mechanismById(id);
  if (!e) throw new Error(`mechanism ${id} is not registered`);
  return e.create(params);
}

/**
 * Wraps a mechanism and checks the allocation invariants on every decision it makes: no job is
 * assigned to an operator without the resources; a job ends (`done`) exactly once and closes once,
 * after it ended; a delivered proof is paid (`settle`) at most once.
 */
export function checked(mech: Mechanism): Mechanism & { violations: string[]; jobsSeen: number } {
  const jobs = new Map<number, Job>();
  const caps = new Map<number, OperatorInfo['capacity']>();
  const done = new Set<number>();
  const closed = new Set<number>();
  const paid = new Set<number>();
  const violations: string[] = [];
  const wrapper = {
    type: mech.type,
    params: mech.params,
    handlers: mech.handlers,
    violations,
    jobsSeen: 0,
    init(operators: readonly OperatorInfo[], out?: Decision[], now?: number) {
      for (const o of operators) caps.set(o.id, o.capacity);
      return mech.init(operators, out, now);
    },
    step(state: ProtocolState, input: Input, now: number, random: { next(): number }, out: Decision[]) {
      if (input.type === 'submit') {
        jobs.set(input.job.id, input.job);
        wrapper.jobsSeen++;
      }
      if (input.type === 'join') caps.set(input.operator.id, input.operator.capacity);
      const from = out.length;
      mech.step(state, input, now, random, out);
      for (let i = from; i < out.length; i++) {
        const d = out[i]!;
        if (d.type === 'assign') {
          const j = jobs.get(d.jobId);
          const c = caps.get(d.operator);
          if (!j || !c || !fits(c, j.request)) violations.push(`job ${d.jobId} assigned to node ${d.operator} without the resources`);
        } else if (d.type === 'done') {
          if (done.has(d.jobId)) violations.push(`job ${d.jobId} ended twice`);
          done.add(d.jobId);
        } else if (d.type === 'close') {
          if (!done.has(d.jobId)) violations.push(`job ${d.jobId} closed before it ended`);
          if (closed.has(d.jobId)) violations.push(`job ${d.jobId} closed twice`);
          closed.add(d.jobId);
        } else if (d.type === 'settle') {
          if (paid.has(d.jobId)) violations.push(`job ${d.jobId} paid twice`);
          paid.add(d.jobId);
        }
      }
    },
  };
  return wrapper;
}

export interface Run {
  result: MarketResult;
  rows: JobRow[];
}

export function run(s: Scenario, mech: Mechanism, seed = s.seed): Run {
  const rows: JobRow[] = [];
  const result = runMarket({ scenario: s, mechanism: mech, seed, onJob: (r) => rows.push(r) });
  return { result, rows };
}
