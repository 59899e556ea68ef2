import { describe, expect, it } from 'vitest';
import type { Decision, Input, InputDraft, Job, OperatorInfo, Random } from '../types.js';
import { toMicros } from '../types.js';
import { slotFee } from '../random/fee.js';
import {
  auditReputation,
  auditReputationGang,
  pickIndex,
  REP_TAG_DEADLINE,
  REP_TAG_WINDOW,
  reputationHhi,
  reputationSelection,
  reputationTable,
  stationaryShares,
  topThreshold,
  updateReputation,
  type ReputationParams,
  type ReputationState,
} from './index.js';
import { testJob } from '../test-kit.js';

const rnd: Random = { next: () => 0.5 };

const ops = (n: number, entities?: number[]): OperatorInfo[] =>
  Array.from({ length: n }, (_, i) => ({
    id: i,
    entity: entities?.[i] ?? i,
    capacity: { cpus: 16, gpus: 1, memoryGb: 64 },
    hardware: 'gpu',
  }));

/** The shared test job (`test-kit.ts`). */
const job = (id: number, over: Partial<Job> = {}): Job => testJob(id, over);

/** A beacon that differs per job (32 bytes). */
const beaconOf = (jobId: number, salt = 0) => new Uint8Array(32).map((_, i) => (jobId * 31 + i * 7 + salt * 101) & 255);

function driver(params: Partial<ReputationParams> & { preset?: string } = {}, operators = ops(8)) {
  const m = reputationSelection(params);
  const state: ReputationState = m.init(operators);
  let nextId = 0;
  return {
    m,
    state,
    step(draft: InputDraft, now = 0): Decision[] {
      const out: Decision[] = [];
      const beacon = draft.type === 'submit' && !('beacon' in draft) ? beaconOf(draft.job.id) : undefined;
      m.step(state, { ...draft, ...(beacon ? { beacon } : {}), id: nextId++ } as Input, now, rnd, out);
      return out;
    },
  };
}

const of = <T extends Decision['type']>(ds: Decision[], t: T) => ds.filter((d): d is Extract<Decision, { type: T }> => d.type === t);

describe('reputation: selection rule', () => {
  it('the top set is the top ⌈topShare × n⌉ by reputation, with every prover tied at the boundary in', () => {
    expect(topThreshold([0.9, 0.1, 0.8, 0.5], 0.25)).toBe(0.9);
    expect(topThreshold([0.9, 0.1, 0.8, 0.5], 0.5)).toBe(0.8);
    // All equal (the start, or a crowd of newcomers): all are in the top set, none split by id.
    const equal = [0.5, 0.5, 0.5, 0.5];
    const picks = new Set(
      Array.from({ length: 400 }, (_, k) => pickIndex(equal, (k + 0.5) / 400, { topShare: 0.25, weighting: 'uniform', exploration: 0 })),
    );
    expect([...picks].sort()).toEqual([0, 1, 2, 3]);
  });

  it('without exploration only the top set is drawn; with it, the exploration share goes to provers below the top set', () => {
    const reps = [0.9, 0.2, 0.95, 0.3, 0.1, 0.85, 0.4, 0.5];
    const grid = Array.from({ length: 1000 }, (_, k) => (k + 0.5) / 1000);
    const rule = { topShare: 0.25, weighting: 'uniform' as const, exploration: 0 };
    expect(new Set(grid.map((u) => pickIndex(reps, u, rule)))).toEqual(new Set([0, 2]));
    const explore = grid.map((u) => pickIndex(reps, u, { ...rule, exploration: 0.2 }));
    const below = explore.filter((i) => i !== 0 && i !== 2).length;
    expect(below).toBe(200);
    // Uniform among the six below the top set, and each top prover gets half of the rest.
    for (const i of [1, 3, 4, 5, 6, 7]) expect(explore.filter((j) => j === i).length).toBeGreaterThanOrEqual(33);
    expect(explore.filter((j) => j === 0).length).toBe(400);
  });

  it('reputation weighting draws in proportion to reputation inside the top set', () => {
    const reps = [0.2, 0.6, 0.2];
    const grid = Array.from({ length: 10_000 }, (_, k) => (k + 0.5) / 10_000);
    const counts = [0, 0, 0];
    for (const u of grid) counts[pickIndex(reps, u, { topShare: 1, weighting: 'reputation', exploration: 0 })]!++;
    expect(counts).toEqual([2000, 6000, 2000]);
  });
});

describe('reputation: single-job rules', () => {
  it('assigns one drawn prover at the protocol-fixed price, with the beacon and draw number to audit it', () => {
    const d = driver();
    const out = d.step({ type: 'submit', job: job(0) });
    const [a] = of(out, 'assign');
    // random's fee rule: $0.84 per 2-GPU node-hour, a 1-GPU job of 1 h pays $0.42.
    expect(a).toMatchObject({ jobId: 0, price: toMicros(0.42), role: 'primary', committed: false, draw: 0 });
    expect(of(out, 'timer')).toEqual([
      { type: 'timer', jobId: 0, at: 3600, tag: REP_TAG_DEADLINE },
      { type: 'timer', jobId: 0, at: 1800, tag: REP_TAG_WINDOW },
    ]);
    const settled = d.step({ type: 'deliver', jobId: 0, operator: a!.operator }, 100);
    expect(of(settled, 'settle')).toEqual([{ type: 'settle', jobId: 0, operator: a!.operator, amount: toMicros(0.42), source: 'escrow' }]);
    expect(of(settled, 'done')).toEqual([{ type: 'done', jobId: 0, outcome: 'delivered', operator: a!.operator }]);
  });

  it('audit recomputes every selection from the beacon, the eligible set and the reputation table', () => {
    const d = driver({ preset: 'weighted', backupProvers: 0 });
    const rule = d.m.params as unknown as ReputationParams;
    for (let j = 0; j < 60; j++) {
      // Every node is free at each submission (each job ends before the next): the eligible set is all of them.
      const table = reputationTable(d.state);
      const [a] = of(d.step({ type: 'submit', job: job(j) }, j), 'assign');
      expect(auditReputation(beaconOf(j), [7, 6, 5, 4, 3, 2, 1, 0], table, j, a!.draw!, rule)).toBe(a!.operator);
      // Outcomes differ so that the table diverges: odd nodes fail, even ones deliver.
      d.step({ type: a!.operator % 2 === 0 ? 'deliver' : 'fail', jobId: j, operator: a!.operator }, j + 0.5);
    }
    expect(d.state.reputation.some((r) => r > 0.6) && d.state.reputation.some((r) => r < 0.5)).toBe(true);
    // Another beacon gives other selections.
    const all = [0, 1, 2, 3, 4, 5, 6, 7];
    const flat = { topShare: 1, weighting: 'uniform' as const, exploration: 0, initialReputation: 0.5 };
    const same = Array.from({ length: 60 }, (_, j) => auditReputation(beaconOf(j), all, {}, j, 0, flat));
    const other = Array.from({ length: 60 }, (_, j) => auditReputation(beaconOf(j, 1), all, {}, j, 0, flat));
    expect(other).not.toEqual(same);
  });

  it('refuses a submission without a 32-byte beacon', () => {
    const d = driver();
    expect(of(d.step({ type: 'submit', job: job(0), beacon: new Uint8Array(8) }), 'refused')[0]!.reason).toBe('invalid');
  });

  it('rejects a job whose price limit is below the fixed fee', () => {
    const d = driver();
    expect(of(d.step({ type: 'submit', job: job(0, { maxPrice: 1000 }) }), 'done')[0]!.outcome).toBe('rejected');
  });

  it('a failure opens the backup race: N drawn provers race, the first proof is paid, the others are aborted', () => {
    const d = driver({ backupProvers: 2 });
    const [a] = of(d.step({ type: 'submit', job: job(0) }), 'assign');
    const race = of(d.step({ type: 'fail', jobId: 0, operator: a!.operator }, 10), 'assign');
    expect(race).toHaveLength(2);
    expect(race.every((r) => r.role === 'racer' && r.operator !== a!.operator)).toBe(true);
    expect(race.map((r) => r.draw)).toEqual([1, 2]);
    const out = d.step({ type: 'deliver', jobId: 0, operator: race[1]!.operator }, 500);
    expect(of(out, 'settle').map((s) => s.operator)).toEqual([race[1]!.operator]);
    expect(of(out, 'abort')).toEqual([{ type: 'abort', jobId: 0, operator: race[0]!.operator }]);
    expect(of(out, 'done')[0]).toMatchObject({ outcome: 'delivered', operator: race[1]!.operator });
  });

  it('a late chosen prover (window passed) faces the race; if a backup wins, the chosen prover is aborted and scored late', () => {
    const d = driver({ backupProvers: 1, decay: 0.5, lateScore: 0.2 });
    const [a] = of(d.step({ type: 'submit', job: job(0) }), 'assign');
    const race = of(d.step({ type: 'timer', jobId: 0, tag: REP_TAG_WINDOW }, 1800), 'assign');
    expect(race).toHaveLength(1);
    const out = d.step({ type: 'deliver', jobId: 0, operator: race[0]!.operator }, 2000);
    expect(of(out, 'abort')).toEqual([{ type: 'abort', jobId: 0, operator: a!.operator }]);
    expect(d.state.reputation[a!.operator]).toBeCloseTo(0.5 * 0.5 + 0.5 * 0.2, 12);
    expect(d.state.reputation[race[0]!.operator]).toBeCloseTo(0.5 * 0.5 + 0.5 * 1, 12);
  });

  it('the late chosen prover still wins if it delivers first, paid but scored late', () => {
    const d = driver({ backupProvers: 1, decay: 0.5, lateScore: 0.2 });
    const [a] = of(d.step({ type: 'submit', job: job(0) }), 'assign');
    const [r] = of(d.step({ type: 'timer', jobId: 0, tag: REP_TAG_WINDOW }, 1800), 'assign');
    const out = d.step({ type: 'deliver', jobId: 0, operator: a!.operator }, 1900);
    expect(of(out, 'settle')[0]!.operator).toBe(a!.operator);
    expect(of(out, 'abort')).toEqual([{ type: 'abort', jobId: 0, operator: r!.operator }]);
    expect(d.state.reputation[a!.operator]).toBeCloseTo(0.35, 12);
    expect(d.state.reputation[r!.operator]).toBe(0.5);
  });

  it('without backup provers a failure fails the job; when every racer fails too, the job fails', () => {
    const d0 = driver({ backupProvers: 0 });
    const [a] = of(d0.step({ type: 'submit', job: job(0) }), 'assign');
    expect(of(d0.step({ type: 'fail', jobId: 0, operator: a!.operator }, 1), 'done')[0]!.outcome).toBe('failed');
    const d = driver({ backupProvers: 1 });
    const [b] = of(d.step({ type: 'submit', job: job(0) }), 'assign');
    const [r] = of(d.step({ type: 'fail', jobId: 0, operator: b!.operator }, 1), 'assign');
    expect(of(d.step({ type: 'fail', jobId: 0, operator: r!.operator }, 2), 'done')[0]!.outcome).toBe('failed');
  });

  it('a decline is scored and the job re-drawn among the provers that have not tried it', () => {
    const d = driver({ decay: 0.5, declineScore: 0.3 }, ops(2));
    const [a] = of(d.step({ type: 'submit', job: job(0) }), 'assign');
    const [b] = of(d.step({ type: 'decline', jobId: 0, operator: a!.operator }, 1), 'assign');
    expect(b).toMatchObject({ operator: 1 - a!.operator, role: 'fallback', draw: 1 });
    expect(d.state.reputation[a!.operator]).toBeCloseTo(0.4, 12);
  });

  it('the deadline expires the job: a chosen prover still at work is aborted and scored as a miss', () => {
    const d = driver({ decay: 0.5 });
    const [a] = of(d.step({ type: 'submit', job: job(0) }), 'assign');
    d.step({ type: 'timer', jobId: 0, tag: REP_TAG_WINDOW }, 1800);
    const out = d.step({ type: 'timer', jobId: 0, tag: REP_TAG_DEADLINE }, 3600);
    expect(of(out, 'abort').map((x) => x.operator)).toContain(a!.operator);
    expect(of(out, 'done')[0]!.outcome).toBe('expired');
    expect(d.state.reputation[a!.operator]).toBeCloseTo(0.25, 12);
    expect(of(d.step({ type: 'deliver', jobId: 0, operator: a!.operator }, 3601), 'refused')[0]!.reason).toBe('unknown-job');
  });

  it('queues jobs FIFO while no prover is free and serves them as provers free up', () => {
    const d = driver({}, ops(1));
    d.step({ type: 'submit', job: job(0) });
    expect(of(d.step({ type: 'submit', job: job(1) }), 'assign')).toHaveLength(0);
    const out = d.step({ type: 'deliver', jobId: 0, operator: 0 }, 10);
    expect(of(out, 'assign').map((a) => a.jobId)).toEqual([1]);
  });

  it('a repeated input id is refused as duplicate; a proof from a node that holds nothing is not-assigned', () => {
    const m = reputationSelection();
    const s = m.init(ops(2));
    const out: Decision[] = [];
    m.step(s, { type: 'submit', id: 1, job: job(0), beacon: beaconOf(0) }, 0, rnd, out);
    m.step(s, { type: 'submit', id: 1, job: job(0), beacon: beaconOf(0) }, 0, rnd, out);
    const held = of(out, 'assign')[0]!.operator;
    m.step(s, { type: 'deliver', id: 2, jobId: 0, operator: 1 - held }, 0, rnd, out);
    expect(of(out, 'refused').map((r) => r.reason)).toEqual(['duplicate', 'not-assigned']);
  });

  it('refuses unknown parameters and presets, and out-of-range values', () => {
    expect(() => reputationSelection({ nope: 1 } as never)).toThrow(/unknown parameter "nope"/);
    expect(() => reputationSelection({ preset: 'nope' })).toThrow(/unknown preset/);
    expect(() => reputationSelection({ topShare: 0 })).toThrow(/topShare/);
    expect(() => reputationSelection({ decay: 1.5 })).toThrow(/decay/);
  });
});

describe('reputation: updates, decay and the HHI monitor', () => {
  it('reputation rises with on-time deliveries and falls with failures, declines and lateness, by the decay', () => {
    const p = { decay: 0.9, onTimeScore: 1, lateScore: 0.25, failScore: 0, declineScore: 0.5 };
    expect(updateReputation(0.5, 'on-time', p)).toBeCloseTo(0.55, 12);
    expect(updateReputation(0.8, 'fail', p)).toBeCloseTo(0.72, 12);
    expect(updateReputation(0.8, 'late', p)).toBeCloseTo(0.745, 12);
    expect(updateReputation(0.8, 'decline', p)).toBeCloseTo(0.77, 12);
    // Decay is the memory: after k failures from r, r × decay^k remains.
    let r = 1;
    for (let k = 0; k < 10; k++) r = updateReputation(r, 'fail', p);
    expect(r).toBeCloseTo(0.9 ** 10, 12);
  });

  it('reports the HHI of delivered proofs by entity', () => {
    const d = driver({}, ops(4, [0, 0, 1, 2]));
    for (let j = 0; j < 40; j++) {
      const [a] = of(d.step({ type: 'submit', job: job(j) }, j), 'assign');
      d.step({ type: 'deliver', jobId: j, operator: a!.operator }, j + 0.5);
    }
    const byEntity = [0, 0, 0];
    for (let e = 0; e < 3; e++) byEntity[e] = d.state.delivered[e] ?? 0;
    const hhi = byEntity.reduce((h, x) => h + (x / 40) ** 2, 0) * 10_000;
    expect(reputationHhi(d.state)).toBeCloseTo(hhi, 9);
    expect(byEntity.reduce((a, b) => a + b, 0)).toBe(40);
  });
});

describe('reputation: entry path and the closed form', () => {
  /** Runs `jobs` sequential jobs; node i delivers on time with probability q[i] and fails otherwise. */
  function longRun(params: Partial<ReputationParams>, q: number[], jobs: number) {
    const d = driver({ backupProvers: 0, ...params }, ops(q.length));
    let x = 12345;
    const u = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 4294967296;
    const counts = q.map(() => 0);
    for (let j = 0; j < jobs; j++) {
      const [a] = of(d.step({ type: 'submit', job: job(j) }, j), 'assign');
      counts[a!.operator]!++;
      d.step({ type: u() < q[a!.operator]! ? 'deliver' : 'fail', jobId: j, operator: a!.operator }, j + 0.5);
    }
    return { shares: counts.map((c) => c / jobs), d };
  }

  it("a prover's long-run share follows its reliability: (1 − ε) m_i / Σ m + ε / n with m_i its mean score", () => {
    const q = [0.95, 0.8, 0.6, 0.4];
    const params = { topShare: 1, weighting: 'reputation' as const, exploration: 0.1, decay: 0.98 };
    const { shares } = longRun(params, q, 40_000);
    const predicted = stationaryShares(
      q.map((x) => ({ onTime: x, late: 0, fail: 1 - x, decline: 0 })),
      { onTimeScore: 1, lateScore: 0.25, failScore: 0, declineScore: 0.5, exploration: 0.1 },
    );
    for (let i = 0; i < q.length; i++) expect(Math.abs(shares[i]! - predicted[i]!)).toBeLessThan(0.015);
    // The prediction orders the provers as their reliability does, and the run agrees.
    expect(shares[0]).toBeGreaterThan(shares[1]!);
    expect(shares[2]).toBeGreaterThan(shares[3]!);
  });

  it('with the top-share rule and no exploration, a newcomer below the top set is never drawn; exploration lets it in', () => {
    // Four incumbents that always deliver build reputation; then a newcomer joins at the initial reputation.
    const run = (exploration: number) => {
      const d = driver({ topShare: 0.25, exploration, backupProvers: 0 }, ops(4));
      let j = 0;
      const step = (n: number) => {
        let newcomer = 0;
        for (let k = 0; k < n; k++, j++) {
          const [a] = of(d.step({ type: 'submit', job: job(j) }, j), 'assign');
          if (a!.operator === 4) newcomer++;
          d.step({ type: 'deliver', jobId: j, operator: a!.operator }, j + 0.5);
        }
        return newcomer;
      };
      step(200);
      d.step({ type: 'join', operator: { id: 4, entity: 4, capacity: { cpus: 16, gpus: 1, memoryGb: 64 }, hardware: 'gpu' } }, j);
      return { newcomer: step(2000), rep: d.state.reputation[4]! };
    };
    const locked = run(0);
    expect(locked.newcomer).toBe(0);
    expect(locked.rep).toBe(0.5);
    const open = run(0.1);
    expect(open.newcomer).toBeGreaterThan(0);
    expect(open.rep).toBeGreaterThan(0.9);
  });
});

describe('reputation: gang jobs (docs/gang.md)', () => {
  const gangJob = (id: number, n: number) => job(id, { gang: n });

  it('draws N distinct provers with consecutive beacon draws, lead first, auditable, at N times the one-node fee', () => {
    const d = driver({ preset: 'weighted' });
    const rule = d.m.params as unknown as ReputationParams;
    const table = reputationTable(d.state);
    const [a] = of(d.step({ type: 'submit', job: gangJob(0, 3) }), 'assign');
    expect(a!.members).toHaveLength(3);
    expect(new Set(a!.members).size).toBe(3);
    expect(a!.operator).toBe(a!.members![0]);
    expect(a!.draw).toBe(0);
    expect(auditReputationGang(beaconOf(0), [0, 1, 2, 3, 4, 5, 6, 7], table, 0, 0, 3, rule)).toEqual(a!.members);
    const one = slotFee(job(0), { gpuHourUsd: 0.84, cpuHourUsd: 0.61, gpusPerNode: 2, txFeeUsd: 0 });
    expect(a!.price).toBe(3 * one);
  });

  it('waits until N eligible provers are free (all or nothing), then takes them', () => {
    const d = driver({}, ops(4));
    const [big] = of(d.step({ type: 'submit', job: gangJob(0, 3) }), 'assign');
    expect(of(d.step({ type: 'submit', job: gangJob(1, 3) }, 1), 'assign')).toHaveLength(0);
    const out = d.step({ type: 'deliver', jobId: 0, operator: big!.operator }, 10);
    const [next] = of(out, 'assign');
    expect(next).toMatchObject({ jobId: 1 });
    expect(next!.members).toHaveLength(3);
  });

  it('only the lead reports; a delivery frees and scores every member; a failure opens a race of drawn gangs', () => {
    const d = driver({ decay: 0.5, backupProvers: 1 }, ops(9));
    const [a] = of(d.step({ type: 'submit', job: gangJob(0, 3) }), 'assign');
    const member = a!.members![1]!;
    expect(of(d.step({ type: 'deliver', jobId: 0, operator: member }, 1), 'refused')[0]!.reason).toBe('not-assigned');
    const race = of(d.step({ type: 'fail', jobId: 0, operator: a!.operator }, 2), 'assign');
    expect(race).toHaveLength(1);
    expect(race[0]!.role).toBe('racer');
    expect(race[0]!.members!.some((m) => a!.members!.includes(m))).toBe(false);
    for (const m of a!.members!) expect(d.state.reputation[m]).toBeCloseTo(0.25, 12);
    d.step({ type: 'deliver', jobId: 0, operator: race[0]!.operator }, 3);
    for (const m of race[0]!.members!) expect(d.state.reputation[m]).toBeCloseTo(0.75, 12);
    // All nine are free again: a gang of 9 can start at once.
    expect(of(d.step({ type: 'submit', job: gangJob(1, 9) }, 4), 'assign')[0]!.members).toHaveLength(9);
  });
});
