import { describe, expect, it } from 'vitest';
import type { Decision, Input, InputDraft, Job, OperatorInfo, Random } from '../types.js';
import { RACE_TAG_DEADLINE, RACE_TAG_JOIN_CLOSED, proofRace, raceDefaults, racePresets, type RaceParams } from './index.js';
import { testJob } from '../test-kit.js';

const noRandom: Random = { next: () => 0.5 };

const ops = (n: number, gpus = 1): OperatorInfo[] =>
  Array.from({ length: n }, (_, i) => ({ id: i, entity: i, capacity: { cpus: 16, gpus, memoryGb: 64 }, hardware: 'gpu' }));

/** The shared test job (`test-kit.ts`), with this file's defaults. */
const job = (id: number, over: Partial<Job> = {}): Job => testJob(id, { estSeconds: 600, ...over });

function driver(params: Partial<RaceParams> & { preset?: string } = {}, operators = ops(8)) {
  const m = proofRace(params);
  const state = m.init(operators);
  let nextId = 0;
  return {
    m,
    state,
    step(draft: InputDraft, now = 0): Decision[] {
      const out: Decision[] = [];
      const input = { ...draft, id: nextId++ } as Input;
      m.step(state, input, now, noRandom, out);
      return out;
    },
  };
}

/** The default join window. */
const W = raceDefaults.joinWindow;

const of = <T extends Decision['type']>(ds: Decision[], t: T) => ds.filter((d): d is Extract<Decision, { type: T }> => d.type === t);

/** Submits a job and lets operators `joiners` join; returns every decision so far. */
function race(d: ReturnType<typeof driver>, j: Job, joiners: number[]): Decision[] {
  const all = d.step({ type: 'submit', job: j }, j.submittedAt);
  for (const op of joiners) all.push(...d.step({ type: 'join-race', jobId: j.id, operator: op }, j.submittedAt));
  all.push(...d.step({ type: 'timer', jobId: j.id, tag: RACE_TAG_JOIN_CLOSED }, j.submittedAt + W));
  return all;
}

/** What leaves a job's escrow (settle from escrow, refund, fee, burn), micro-USD. */
const fromEscrow = (ds: Decision[]) =>
  ds.reduce(
    (s, d) =>
      s +
      (d.type === 'settle' && d.source === 'escrow'
        ? d.amount
        : d.type === 'refund' || d.type === 'fee' || d.type === 'burn'
          ? d.amount
          : 0),
    0,
  );

describe('race: opening a race', () => {
  it('opens every submitted job to a race for the whole price limit, for a join window of `joinWindow` seconds, with a deadline timer', () => {
    const d = driver();
    const out = d.step({ type: 'submit', job: job(1, { maxPrice: 2_500_000, deadline: 7200 }) });
    expect(of(out, 'solicit')).toEqual([{ type: 'solicit', jobId: 1, mode: 'race', reward: 2_500_000, until: W, exclude: [] }]);
    expect(of(out, 'timer')).toContainEqual({ type: 'timer', jobId: 1, at: 7200, tag: RACE_TAG_DEADLINE });
    expect(of(out, 'timer')).toContainEqual({ type: 'timer', jobId: 1, at: W, tag: RACE_TAG_JOIN_CLOSED });
    expect(of(out, 'assign')).toHaveLength(0);
  });

  it('offers `rewardShare` of the price limit, rounded down to the micro-dollar', () => {
    const d = driver({ rewardShare: 0.3 });
    const out = d.step({ type: 'submit', job: job(1, { maxPrice: 1_000_001 }) });
    expect(of(out, 'solicit')[0]!.reward).toBe(300_000);
  });

  it('gives every joiner a committed racer seat at the reward', () => {
    const d = driver();
    const out = race(d, job(1), [3, 5, 6]);
    expect(of(out, 'assign')).toEqual(
      [3, 5, 6].map((op) => ({ type: 'assign', jobId: 1, operator: op, price: 10_000_000, role: 'racer', committed: true })),
    );
  });

  it('admits only the first `maxRacers` joiners, and the same node only once', () => {
    const d = driver({ maxRacers: 2 });
    const out = race(d, job(1), [4, 4, 1, 7]);
    expect(of(out, 'assign').map((a) => a.operator)).toEqual([4, 1]);
  });

  it('a node races one job at a time: its join to a second race is ignored until it is free again', () => {
    const d = driver();
    race(d, job(1), [0, 1]);
    const second = race(d, job(2), [0, 2]);
    expect(of(second, 'assign').map((a) => a.operator)).toEqual([2]);
    d.step({ type: 'deliver', jobId: 1, operator: 1 }, 50); // node 0 is aborted: free again
    const third = race(d, job(3, { submittedAt: 50 }), [0]);
    expect(of(third, 'assign').map((a) => a.operator)).toEqual([0]);
  });

  it('oneRacePerNode: false lets a (capacity-blind) node race several jobs at once', () => {
    const d = driver({ oneRacePerNode: false });
    race(d, job(1), [0]);
    expect(of(race(d, job(2), [0]), 'assign').map((a) => a.operator)).toEqual([0]);
  });

  it('rejects a job with nothing to race for (a zero price limit)', () => {
    const d = driver();
    const out = d.step({ type: 'submit', job: job(1, { maxPrice: 0 }) });
    expect(of(out, 'done')).toEqual([{ type: 'done', jobId: 1, outcome: 'rejected', operator: -1 }]);
    expect(of(out, 'close')).toHaveLength(1);
    expect(of(out, 'solicit')).toHaveLength(0);
  });
});

describe('race: money at the level of one job', () => {
  it('pays the first delivery the whole reward from escrow, once, and ends the job delivered', () => {
    const d = driver();
    race(d, job(1), [0, 1, 2]);
    const out = d.step({ type: 'deliver', jobId: 1, operator: 1 }, 500);
    expect(of(out, 'settle')).toEqual([{ type: 'settle', jobId: 1, operator: 1, amount: 10_000_000, source: 'escrow' }]);
    expect(of(out, 'done')).toEqual([{ type: 'done', jobId: 1, outcome: 'delivered', operator: 1 }]);
    expect(fromEscrow(out)).toBeLessThanOrEqual(10_000_000);
  });

  it('leaves the unused share of the price in escrow (returned at close as unused budget, not a refund)', () => {
    const d = driver({ rewardShare: 0.6 });
    race(d, job(1, { maxPrice: 5_000_000 }), [0]);
    const out = d.step({ type: 'deliver', jobId: 1, operator: 0 }, 500);
    expect(of(out, 'settle')[0]!.amount).toBe(3_000_000);
    expect(of(out, 'refund')).toHaveLength(0);
    expect(of(out, 'close')).toHaveLength(1);
  });

  it('an emission per Mcycle is minted and takes nothing from the requester', () => {
    const d = driver({ rewardSource: 'emission', emissionUsdPerMcycle: 0.0005 });
    race(d, job(1, { mcycles: 2000, maxPrice: 7_000_000 }), [2, 3]);
    const out = d.step({ type: 'deliver', jobId: 1, operator: 3 }, 900);
    // 2,000 Mcycles × $0.0005 = $1.
    expect(of(out, 'settle')).toEqual([{ type: 'settle', jobId: 1, operator: 3, amount: 1_000_000, source: 'emission' }]);
    expect(fromEscrow(out)).toBe(0);
  });

  it('with a fixed emission per proof as well: reward = per-proof + per-Mcycle × Mcycles', () => {
    const d = driver({ rewardSource: 'emission', emissionUsdPerProof: 0.25, emissionUsdPerMcycle: 0.001 });
    race(d, job(1, { mcycles: 500 }), [0]);
    expect(of(d.step({ type: 'deliver', jobId: 1, operator: 0 }, 9), 'settle')[0]!.amount).toBe(750_000);
  });

  it('pays a proof delivered after the deadline (it is late, not lost)', () => {
    const d = driver();
    race(d, job(1, { deadline: 100 }), [0]);
    d.step({ type: 'timer', jobId: 1, tag: RACE_TAG_DEADLINE }, 100);
    const out = d.step({ type: 'deliver', jobId: 1, operator: 0 }, 150);
    expect(of(out, 'settle')).toHaveLength(1);
    expect(of(out, 'done')[0]!.outcome).toBe('delivered');
  });
});

describe('race: wasted work', () => {
  it('losers run to the end: k racers ⇒ k attempts, one payment, close only after the last loser finishes', () => {
    const k = 5;
    const d = driver({ losersAbort: false });
    const opened = race(d, job(1), [0, 1, 2, 3, 4]);
    expect(of(opened, 'assign')).toHaveLength(k);
    const all: Decision[] = [];
    for (let i = 0; i < k; i++) {
      const out = d.step({ type: 'deliver', jobId: 1, operator: i }, 100 + i);
      all.push(...out);
      expect(of(out, 'close')).toHaveLength(i === k - 1 ? 1 : 0);
    }
    expect(of(all, 'abort')).toHaveLength(0);
    expect(of(all, 'settle')).toHaveLength(1);
    expect(of(all, 'settle')[0]!.operator).toBe(0);
    expect(of(all, 'done')).toHaveLength(1);
  });

  it('losers abort: the winner announcement aborts the k − 1 others and closes the job at once', () => {
    const d = driver({ losersAbort: true });
    race(d, job(1), [0, 1, 2, 3]);
    const out = d.step({ type: 'deliver', jobId: 1, operator: 2 }, 100);
    expect(
      of(out, 'abort')
        .map((a) => a.operator)
        .sort(),
    ).toEqual([0, 1, 3]);
    expect(out.map((x) => x.type)).toEqual(['settle', 'done', 'abort', 'abort', 'abort', 'close']);
    // A late report from an aborted racer changes nothing (the job is closed).
    expect(d.step({ type: 'deliver', jobId: 1, operator: 0 }, 101)).toEqual([
      { type: 'refused', inputId: expect.any(Number), input: 'deliver', reason: 'unknown-job' },
    ]);
  });

  it('a racer that fails drops out; the others keep racing', () => {
    const d = driver();
    race(d, job(1), [0, 1]);
    expect(d.step({ type: 'fail', jobId: 1, operator: 0 }, 50)).toEqual([]);
    const out = d.step({ type: 'deliver', jobId: 1, operator: 1 }, 60);
    expect(of(out, 'done')[0]).toMatchObject({ outcome: 'delivered', operator: 1 });
    expect(of(out, 'close')).toHaveLength(1);
  });
});

describe('race: nobody joins, everybody fails', () => {
  it('a job nobody joins waits; a free node that fits re-opens it; one that does not fit does nothing', () => {
    const operators = [...ops(2), { id: 2, entity: 2, capacity: { cpus: 64, gpus: 8, memoryGb: 512 }, hardware: 'gpu' }];
    const d = driver({}, operators);
    const opened = race(d, job(1, { request: { cpus: 0, gpus: 8, memoryGb: 128 } }), []);
    expect(of(opened, 'done')).toHaveLength(0);
    expect(d.step({ type: 'available', operator: 0 }, 10)).toEqual([]);
    const out = d.step({ type: 'available', operator: 2 }, 20);
    expect(of(out, 'solicit')).toHaveLength(1);
    expect(of(out, 'timer')).toEqual([{ type: 'timer', jobId: 1, at: 20 + W, tag: RACE_TAG_JOIN_CLOSED }]);
    expect(of(d.step({ type: 'join-race', jobId: 1, operator: 2 }, 20), 'assign')).toHaveLength(1);
  });

  it('re-opens waiting jobs oldest first, one per free node', () => {
    const d = driver();
    race(d, job(1), []);
    race(d, job(2), []);
    expect(of(d.step({ type: 'available', operator: 0 }, 5), 'solicit').map((s) => s.jobId)).toEqual([1]);
    expect(of(d.step({ type: 'available', operator: 1 }, 5), 'solicit').map((s) => s.jobId)).toEqual([2]);
    // Job 1 still has no racer when its joining window closes: back in the queue, behind nobody.
    d.step({ type: 'timer', jobId: 1, tag: RACE_TAG_JOIN_CLOSED }, 5 + W);
    expect(of(d.step({ type: 'available', operator: 3 }, 6), 'solicit').map((s) => s.jobId)).toEqual([1]);
  });

  it('a waiting job ends `expired` (a liveness failure) at its deadline, with nothing paid', () => {
    const d = driver();
    race(d, job(1), []);
    const out = d.step({ type: 'timer', jobId: 1, tag: RACE_TAG_DEADLINE }, 3600);
    expect(out).toEqual([
      { type: 'done', jobId: 1, outcome: 'expired', operator: -1 },
      { type: 'close', jobId: 1 },
    ]);
    expect(d.step({ type: 'available', operator: 0 }, 3601)).toEqual([]);
  });

  it('onNoRacers: fail ends an unjoined job `expired` when its joining window closes', () => {
    const d = driver({ onNoRacers: 'fail' });
    const out = race(d, job(1), []);
    expect(of(out, 'done')).toEqual([{ type: 'done', jobId: 1, outcome: 'expired', operator: -1 }]);
    expect(of(out, 'close')).toHaveLength(1);
  });

  it('when every racer fails before the deadline the race is opened again; after it, the job fails', () => {
    const d = driver();
    race(d, job(1, { deadline: 1000 }), [0, 1]);
    d.step({ type: 'fail', jobId: 1, operator: 0 }, 100);
    const again = d.step({ type: 'fail', jobId: 1, operator: 1 }, 200);
    expect(of(again, 'solicit')).toHaveLength(1);
    d.step({ type: 'join-race', jobId: 1, operator: 5 }, 200);
    d.step({ type: 'timer', jobId: 1, tag: RACE_TAG_DEADLINE }, 1000);
    const out = d.step({ type: 'fail', jobId: 1, operator: 5 }, 1200);
    expect(out).toEqual([
      { type: 'done', jobId: 1, outcome: 'failed', operator: -1 },
      { type: 'close', jobId: 1 },
    ]);
  });
});

describe('race: parameters', () => {
  it('has an aleo preset and sensible defaults', () => {
    expect(Object.keys(racePresets)).toContain('aleo');
    expect(raceDefaults).toMatchObject({ rewardSource: 'price', rewardShare: 1, losersAbort: true });
    expect(proofRace({ preset: 'aleo' }).params).toMatchObject({
      rewardSource: 'epoch',
      paySolutions: true,
      losersAbort: false,
      preset: 'aleo',
    });
  });

  it('refuses an unknown preset and out-of-range parameters', () => {
    expect(() => proofRace({ preset: 'nope' })).toThrow(/unknown preset/);
    expect(() => proofRace({ rewardShare: 1.5 })).toThrow(/rewardShare/);
    expect(() => proofRace({ rewardSource: 'bank' as never })).toThrow(/rewardSource/);
    expect(() => proofRace({ maxRacers: -1 })).toThrow(/maxRacers/);
  });
});
