/**
 * Allocation invariants of `race` and `order-book`, checked on generated small scenarios run
 * through the full market shell. The mechanism's `step` is wrapped to watch every input and
 * decision:
 *   - no job is assigned to an operator whose advertised capacity does not meet the job's request,
 *     nor to a node still at work on another job (both mechanisms keep one job per node);
 *   - a delivered proof is paid once: at most one `settle` per job, to the operator named in the
 *     job's `done`, after that operator delivered;
 *   - a job never ends in two states: one `done`, then one `close`, then nothing more about it;
 *   - no job pays out more than its escrow; `abort` only reaches an operator still at work on it;
 *   - the ledger reconciles: every balance sums to 0 and only jobs still open hold escrow.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { runMarket } from '../src/market/market.js';
import { orderBook } from '../src/mechanisms/order-book/index.js';
import { proofRace } from '../src/mechanisms/race/index.js';
import type { Decision, Input, Job, Mechanism, OperatorInfo, Resources } from '../src/mechanisms/types.js';
import { fits } from '../src/mechanisms/types.js';
import { parseScenario } from '../src/scenario/load.js';
import { EPOCH_JOB } from '../src/mechanisms/emission.js';

interface Watch {
  job: Job;
  done: number;
  closed: boolean;
  outcome: string;
  doneOp: number;
  settles: { op: number; source: string }[];
  escrowOut: number;
  /** Operators assigned and not yet resolved (delivered, failed or aborted). */
  working: Set<number>;
  delivered: Set<number>;
}

/** What the generated runs exercised, so that a vacuous pass cannot go unnoticed. */
const seen = { assign: 0, settle: 0, abort: 0, fee: 0, delivered: 0, failed: 0, expired: 0, rejected: 0 };

class Violations {
  list: string[] = [];
  add(msg: string): void {
    if (this.list.length < 20) this.list.push(msg);
  }
}

function watched(inner: Mechanism, exclusive: boolean) {
  const v = new Violations();
  const jobs = new Map<number, Watch>();
  const capacity = new Map<number, Resources>();
  const busy = new Map<number, number>(); // node → job it works on
  const minted = inner.params.rewardSource === 'emission' || inner.params.rewardSource === 'epoch'; // an emission reward may exceed the requester's price
  // Epoch emissions (Aleo) are paid at the epoch's end, per solution, possibly after the job closed.
  const epochPaid = inner.params.rewardSource === 'epoch';
  const paidSolutions = new Map<number, Set<number>>(); // job → nodes that delivered a solution
  const mech: Mechanism = {
    type: inner.type,
    params: inner.params,
    handlers: inner.handlers,
    init(operators: readonly OperatorInfo[], out?: Decision[], now?: number) {
      for (const o of operators) capacity.set(o.id, o.capacity);
      return inner.init(operators, out, now);
    },
    step(state, input: Input, now, random, out: Decision[]) {
      const from = out.length;
      if (input.type === 'submit') {
        jobs.set(input.job.id, {
          job: input.job,
          done: 0,
          closed: false,
          outcome: '',
          doneOp: -1,
          settles: [],
          escrowOut: 0,
          working: new Set(),
          delivered: new Set(),
        });
      } else if (input.type === 'join') capacity.set(input.operator.id, input.operator.capacity);
      else if ((input.type === 'deliver' || input.type === 'fail') && jobs.has(input.jobId)) {
        const w = jobs.get(input.jobId)!;
        if (w.working.delete(input.operator)) {
          if (input.type === 'deliver') {
            w.delivered.add(input.operator);
            let set = paidSolutions.get(input.jobId);
            if (!set) paidSolutions.set(input.jobId, (set = new Set()));
            set.add(input.operator);
          }
          if (busy.get(input.operator) === input.jobId) busy.delete(input.operator);
        }
      }
      inner.step(state, input, now, random, out);
      for (let i = from; i < out.length; i++) {
        const d = out[i]!;
        if (d.type === 'request-ask' || d.type === 'eject' || d.type === 'refused') continue;
        if (d.type === 'timer' && d.jobId === EPOCH_JOB) continue;
        if (epochPaid && d.type === 'settle' && d.source === 'emission') {
          if (!paidSolutions.get(d.jobId)?.has(d.operator))
            v.add(`epoch emission to node ${d.operator}, which delivered no solution of job ${d.jobId}`);
          seen.settle++;
          continue;
        }
        const w = jobs.get(d.jobId);
        if (!w) {
          v.add(`${d.type} for unknown job ${d.jobId}`);
          continue;
        }
        if (w.closed) v.add(`${d.type} for job ${d.jobId} after its close`);
        if (d.type === 'assign' || d.type === 'settle' || d.type === 'abort' || d.type === 'fee') seen[d.type]++;
        if (d.type === 'done') seen[d.outcome]++;
        switch (d.type) {
          case 'assign': {
            const cap = capacity.get(d.operator);
            if (!cap || !fits(cap, w.job.request)) v.add(`job ${d.jobId} assigned to node ${d.operator} without the resources`);
            if (exclusive && busy.has(d.operator))
              v.add(`node ${d.operator} given job ${d.jobId} while working on job ${busy.get(d.operator)}`);
            if (w.done > 0) v.add(`job ${d.jobId} assigned after it ended`);
            if (d.price < 0 || (d.price > w.job.maxPrice && !minted)) v.add(`job ${d.jobId} assigned at ${d.price} outside [0, maxPrice]`);
            w.working.add(d.operator);
            busy.set(d.operator, d.jobId);
            break;
          }
          case 'abort':
            if (!w.working.delete(d.operator)) v.add(`abort of node ${d.operator} that is not at work on job ${d.jobId}`);
            if (busy.get(d.operator) === d.jobId) busy.delete(d.operator);
            break;
          case 'settle':
            w.settles.push({ op: d.operator, source: d.source });
            if (!w.delivered.has(d.operator)) v.add(`job ${d.jobId} pays node ${d.operator}, which delivered nothing`);
            if (d.source === 'escrow') w.escrowOut += d.amount;
            break;
          case 'refund':
          case 'fee':
          case 'burn':
            w.escrowOut += d.amount;
            break;
          case 'collateral':
          case 'release':
          case 'slash':
            v.add(`unexpected ${d.type} (neither mechanism posts collateral)`);
            break;
          case 'done':
            w.done++;
            w.outcome = d.outcome;
            w.doneOp = d.operator;
            break;
          case 'close':
            if (w.done !== 1) v.add(`job ${d.jobId} closed after ${w.done} done`);
            if (w.working.size > 0 && inner.type === 'race') v.add(`race job ${d.jobId} closed with racers still at work`);
            w.closed = true;
            break;
          default:
            break;
        }
        if (w.escrowOut > w.job.maxPrice) v.add(`job ${d.jobId} paid out ${w.escrowOut} > escrow ${w.job.maxPrice}`);
        if (w.done > 1) v.add(`job ${d.jobId} ended twice`);
      }
    },
  };
  return { mech, v, jobs };
}

const HARDWARE = ['gpu-rtx4090', 'gpu-l4', 'gpu-h100', 'cpu-server'] as const;
const REQUESTS = [
  { gpus: 1, memory_gb: 16 },
  { gpus: 8, memory_gb: 128 },
  { cpus: 32, memory_gb: 64 },
] as const;

const operatorGroup = fc.record({
  hardware: fc.constantFrom(...HARDWARE),
  entities: fc.integer({ min: 1, max: 4 }),
  nodes: fc.integer({ min: 1, max: 2 }),
  devices: fc.constantFrom(1, 2, 8),
  strategy: fc.constantFrom('cost-plus', 'truthful', 'zi-u', 'griefer', 'overcommit', 'flaky'),
  margin: fc.constantFrom(-1, -0.5, 0, 0.2, 1),
  failure_prob: fc.constantFrom(0, 0.05, 0.3),
});

const requester = fc.record({
  meanGap: fc.integer({ min: 30, max: 1200 }),
  median: fc.integer({ min: 20, max: 5000 }),
  deadline: fc.integer({ min: 300, max: 4 * 3600 }),
  pricePerMcycle: fc.constantFrom(0.00001, 0.0001, 0.0005, 0.002, 0.05),
  request: fc.constantFrom(...REQUESTS),
});

const world = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  hours: fc.integer({ min: 1, max: 6 }),
  operators: fc.array(operatorGroup, { minLength: 1, maxLength: 3 }),
  requesters: fc.array(requester, { minLength: 1, maxLength: 2 }),
});

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

function scenarioOf(w: World) {
  return parseScenario({
    name: 'invariants',
    seed: w.seed,
    duration: w.hours * 3600,
    window: '1h',
    mechanisms: ['random'],
    operators: w.operators.map((g, i) => ({ name: `g${i}`, ...g })),
    requesters: w.requesters.map((r, i) => ({
      name: `r${i}`,
      arrival: { dist: 'exponential', mean: r.meanGap },
      size_mcycles: { dist: 'lognormal', median: r.median, sigma: 1 },
      deadline: r.deadline,
      max_price_usd_per_mcycle: r.pricePerMcycle,
      resources: r.request,
    })),
  });
}

function check(w: World, make: () => Mechanism, exclusive: boolean): void {
  const { mech, v, jobs } = watched(make(), exclusive);
  const r = runMarket({ scenario: scenarioOf(w), mechanism: mech, seed: w.seed });
  expect(v.list).toEqual([]);
  expect(r.ledger.total()).toBe(0);
  let closed = 0;
  for (const [id, j] of jobs) {
    if (j.closed) {
      closed++;
      expect(r.ledger.held(id)).toBe(0);
    }
    // A delivered proof is paid once (zero-price trades and unpaid late proofs pay nothing).
    expect(j.settles.length).toBeLessThanOrEqual(1);
    if (j.settles.length === 1) {
      expect(j.outcome).toBe('delivered');
      expect(j.settles[0]!.op).toBe(j.doneOp);
    }
  }
  expect(closed + r.openJobs).toBe(jobs.size);
  expect(r.ledger.openEscrows()).toBeLessThanOrEqual(r.openJobs);
}

const raceConfigs = [
  {},
  { losersAbort: false },
  { preset: 'aleo' },
  { maxRacers: 2 },
  { onNoRacers: 'fail' as const },
  { rewardShare: 0.5 },
];
const bookConfigs = [
  {},
  { preset: 'nil-proof-market' },
  { preset: 'nil-proof-market', depositUsd: 5 },
  { preset: 'mina-snarketplace' },
  { priceRule: 'midpoint' as const },
  { priceRule: 'bid' as const, askTtl: 600 },
  { requireFinish: false, rematchOnFail: false },
];

describe('allocation invariants on generated scenarios', () => {
  beforeEach(() => {
    for (const k of Object.keys(seen) as (keyof typeof seen)[]) seen[k] = 0;
  });

  it('race (every preset and abort rule): fit, paid once, one terminal state, ledger reconciles', () => {
    fc.assert(
      fc.property(world, fc.constantFrom(...raceConfigs), (w, params) => check(w, () => proofRace(params), true)),
      { numRuns: 60 },
    );
    expect(seen.settle).toBeGreaterThan(0);
    expect(seen.abort).toBeGreaterThan(0);
    expect(seen.expired + seen.failed).toBeGreaterThan(0);
  });

  it('order-book (every preset and price rule): fit, one job per node, paid once, one terminal state, ledger reconciles', () => {
    fc.assert(
      fc.property(world, fc.constantFrom(...bookConfigs), (w, params) => check(w, () => orderBook(params), true)),
      { numRuns: 60 },
    );
    expect(seen.settle).toBeGreaterThan(0);
    expect(seen.fee).toBeGreaterThan(0);
    expect(seen.expired + seen.failed + seen.rejected).toBeGreaterThan(0);
  });
});
