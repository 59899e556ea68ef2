import { describe, expect, it } from 'vitest';
import type { Decision, Input, InputDraft, OperatorInfo, Random, Resources } from '../types.js';
import { fits } from '../types.js';
import { testJob, uniforms } from '../test-kit.js';
import { auditReputation, reputationSelection, reputationTable, type ReputationParams, type ReputationState } from './index.js';
import { RankForest } from './rank-forest.js';
import { PICK_UNSURE, RankedPool } from './ranked-pool.js';
import { pickIndex, type SelectionRule } from './select.js';

/** A seeded generator for the tests' populations. */
const prng = uniforms;

/** Reputations with many ties (a few levels) or none (continuous values), as EWMA scores give both. */
const repOf = (rnd: () => number, tied: boolean) => (tied ? [0, 0.25, 0.5, 0.5, 0.75, 1][Math.floor(rnd() * 6)]! : rnd());

const rules: SelectionRule[] = [
  { topShare: 0.25, weighting: 'uniform', exploration: 0.1 },
  { topShare: 0.25, weighting: 'uniform', exploration: 0 },
  { topShare: 0.5, weighting: 'reputation', exploration: 0.1 },
  { topShare: 1, weighting: 'reputation', exploration: 0 },
  { topShare: 0.01, weighting: 'reputation', exploration: 0.3 },
];

describe('reputation: the order-statistics forest', () => {
  it('counts and ranks (value, id) keys as a sorted list does, through inserts and removes', () => {
    const rnd = prng(7);
    const f = new RankForest(4);
    let root = 0;
    const keys: [number, number][] = [];
    for (let step = 0; step < 3000; step++) {
      if (keys.length > 0 && rnd() < 0.45) {
        const [v, id] = keys.splice(Math.floor(rnd() * keys.length), 1)[0]!;
        root = f.remove(root, v, id);
      } else {
        const key: [number, number] = [repOf(rnd, step % 2 === 0), step];
        keys.push(key);
        root = f.insert(root, key[0], key[1]);
      }
      if (step % 50 !== 0 || keys.length === 0) continue;
      const desc = keys.map((k) => k[0]).sort((a, b) => b - a);
      expect(f.size(root)).toBe(keys.length);
      const x = repOf(rnd, true);
      expect(f.countAtLeast(root, x)).toBe(desc.filter((v) => v >= x).length);
      const k = Math.floor(rnd() * keys.length);
      expect(f.kthLargest(root, k)).toBe(desc[k]);
      // Keys in best-first order: value down, then id down (the ranked pool stores ~id to get ids up).
      const best = [...keys].sort((p, q) => q[0] - p[0] || q[1] - p[1]);
      expect(f.kthLargestId(root, k)).toBe(best[k]![1]);
      expect(f.countAbove(root, best[k]![0], best[k]![1])).toBe(k);
    }
  });

  it('refuses to remove a key it does not hold', () => {
    const f = new RankForest();
    const root = f.insert(0, 0.5, 1);
    expect(() => f.remove(root, 0.5, 2)).toThrow(/not found/);
  });
});

describe('reputation: the ranked pool picks exactly what the sort-based rule picks', () => {
  it('on random populations, with ties at the top-set boundary (all admitted), any rule and any u', () => {
    let unsure = 0;
    let picks = 0;
    for (let trial = 0; trial < 300; trial++) {
      const rnd = prng(1000 + trial);
      const cap = 1 + Math.floor(rnd() * 200);
      const pools = rules.map((rule) => new RankedPool(cap, rule.topShare));
      const tied = trial % 3 !== 0;
      const reps = new Map<number, number>();
      for (let id = 0; id < cap; id++) {
        if (rnd() < 0.6) {
          const r = repOf(rnd, tied);
          reps.set(id, r);
          for (const pool of pools) pool.insert(id, r);
        }
      }
      // Moves, as reputation updates and busy/free changes make them.
      for (let m = 0; m < 40; m++) {
        const id = Math.floor(rnd() * cap);
        if (reps.has(id)) {
          for (const pool of pools) pool.remove(id);
          reps.delete(id);
        }
        if (rnd() < 0.7) {
          const r = repOf(rnd, tied);
          reps.set(id, r);
          for (const pool of pools) pool.insert(id, r);
        }
      }
      const ids = [...reps.keys()].sort((a, b) => a - b);
      const values = ids.map((id) => reps.get(id)!);
      rules.forEach((rule, i) => {
        const pool = pools[i]!;
        expect(pool.size).toBe(ids.length);
        for (let q = 0; q < 20; q++) {
          const u = q === 0 ? rule.exploration : q === 1 ? 0 : rnd();
          const want = ids.length === 0 ? -1 : ids[pickIndex(values, u, rule)]!;
          const got = pool.pick(u, rule);
          if (q > 1) picks++;
          if (got === PICK_UNSURE && q > 1) unsure++;
          else expect(got).toBe(want);
        }
      });
    }
    // The exact fallback is for float near-ties only: it must be rare (and u at the branch edges is exact).
    expect(unsure).toBeLessThan(picks / 1000);
    expect(picks).toBe(300 * rules.length * 18);
  });

  it('admits every prover tied at the boundary: with 8 equal provers and topShare 0.25, all 8 are drawn', () => {
    const pool = new RankedPool(8, 0.25);
    for (let id = 0; id < 8; id++) pool.insert(id, 0.5);
    const rule: SelectionRule = { topShare: 0.25, weighting: 'uniform', exploration: 0 };
    const seen = new Set(Array.from({ length: 64 }, (_, i) => pool.pick((i + 0.5) / 64, rule)));
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('says it is unsure, rather than guess, when a weighted target falls within rounding of a boundary', () => {
    const pool = new RankedPool(16, 1);
    for (let id = 0; id < 10; id++) pool.insert(id, 0.1);
    const rule: SelectionRule = { topShare: 1, weighting: 'reputation', exploration: 0 };
    // u = 0.3 puts the target on the prefix sum of three provers, where rounding decides.
    expect(pool.pick(0.3, rule)).toBe(PICK_UNSURE);
    expect(pool.pick(0.35, rule)).toBe(3);
  });

  it('puts back a member taken out, at the reputation it had', () => {
    const pool = new RankedPool(4, 0.5);
    pool.insert(2, 0.9);
    pool.insert(3, 0.1);
    pool.remove(2);
    expect(pool.pick(0.5, { topShare: 0.5, weighting: 'uniform', exploration: 0 })).toBe(3);
    pool.putBack(2);
    expect(pool.pick(0.5, { topShare: 0.5, weighting: 'uniform', exploration: 0 })).toBe(2);
  });
});

describe('reputation: every draw of a busy market audits to the assigned prover', () => {
  const rnd: Random = { next: () => 0.5 };
  const two = (i: number) => (i % 3 === 0 ? { cpus: 32, gpus: 2, memoryGb: 128 } : { cpus: 16, gpus: 1, memoryGb: 64 });
  // 20 profiles, so that jobs ask for 20 eligible sets: past the index's 16 pools, draws take the sort-based path.
  const twenty = (i: number) => ({ cpus: 16, gpus: 1, memoryGb: 10 + (i % 20) });
  const cases = [
    {
      preset: 'aztec-2489',
      profiles: 'two',
      capacity: two,
      request: (g: () => number) => ({ cpus: 1, gpus: g() < 0.3 ? 2 : 1, memoryGb: 1 }),
    },
    {
      preset: 'weighted',
      profiles: 'two',
      capacity: two,
      request: (g: () => number) => ({ cpus: 1, gpus: g() < 0.3 ? 2 : 1, memoryGb: 1 }),
    },
    {
      preset: 'weighted',
      profiles: 'twenty',
      capacity: twenty,
      request: (g: () => number) => ({ cpus: 1, gpus: 1, memoryGb: 10 + Math.floor(g() * 20) }),
    },
  ] as const;
  const beaconOf = (jobId: number) => new Uint8Array(32).map((_, i) => (jobId * 31 + i * 7) & 255);

  cases.forEach(({ preset, profiles, capacity, request }, c) => {
    it(`${preset}, ${profiles} capacity profiles: jobs in flight, declines and failures; the eligible set excludes busy and tried provers`, () => {
      const m = reputationSelection({ preset, backupProvers: 0 });
      const rule = m.params as unknown as ReputationParams;
      const n = 40;
      const ops: OperatorInfo[] = Array.from({ length: n }, (_, i) => ({ id: i, entity: i, capacity: capacity(i), hardware: 'gpu' }));
      const s: ReputationState = m.init(ops);
      const gen = prng(5 + c);
      const busy = new Map<number, number>(); // node → job
      const tried = new Map<number, number[]>();
      const requests = new Map<number, Resources>();
      let inputId = 0;
      let audited = 0;
      const step = (draft: InputDraft, now: number): Decision[] => {
        const out: Decision[] = [];
        const beacon = draft.type === 'submit' ? { beacon: beaconOf(draft.job.id) } : {};
        m.step(s, { ...draft, ...beacon, id: inputId++ } as Input, now, rnd, out);
        // An input scores its outcome before it draws, and draws change no reputation: the table after it is the draws'.
        const table = reputationTable(s);
        for (const d of out) {
          if (d.type !== 'assign') continue;
          const t = tried.get(d.jobId) ?? [];
          const eligible = Array.from({ length: n }, (_, id) => id).filter(
            (id) => !busy.has(id) && !t.includes(id) && fits(ops[id]!.capacity, requests.get(d.jobId)!),
          );
          expect(auditReputation(beaconOf(d.jobId), eligible, table, d.jobId, d.draw!, rule)).toBe(d.operator);
          audited++;
          busy.set(d.operator, d.jobId);
          tried.set(d.jobId, [...t, d.operator]);
        }
        return out;
      };
      let job = 0;
      for (let t = 0; t < 1500; t++) {
        if (busy.size < n - 2 && gen() < 0.6) {
          const req = request(gen);
          requests.set(job, req);
          step({ type: 'submit', job: testJob(job++, { request: req, deadline: 1e9 }) }, t);
        } else if (busy.size > 0) {
          const nodes = [...busy.keys()];
          const node = nodes[Math.floor(gen() * nodes.length)]!;
          const jobId = busy.get(node)!;
          const r = gen();
          busy.delete(node);
          step({ type: r < 0.6 ? 'deliver' : r < 0.8 ? 'fail' : 'decline', jobId, operator: node }, t);
        }
      }
      expect(audited).toBeGreaterThan(700);
      // Reputations have spread out and ties remain (several provers at the same level).
      const reps = s.reputation;
      expect(new Set(reps).size).toBeGreaterThan(10);
    });
  });
});
