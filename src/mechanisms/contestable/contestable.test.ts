import { describe, expect, it } from 'vitest';
import type { Decision, Input, InputDraft, Job, Mechanism, OperatorInfo, Random } from '../types.js';
import { toMicros } from '../types.js';
import {
  CT_TAG_CONTEST,
  CT_TAG_COOLDOWN,
  CT_TAG_DEADLINE,
  CT_TAG_RESOLVE,
  CT_TAG_WINDOW,
  type ContestableParams,
  contestable,
  contestablePresets,
  wrongProofSplit,
} from './index.js';
import { testJob } from '../test-kit.js';

const ops = (n: number): OperatorInfo[] =>
  Array.from({ length: n }, (_, i) => ({ id: i, entity: i, capacity: { cpus: 16, gpus: 1, memoryGb: 64 }, hardware: 'gpu' }));

/** The shared test job (`test-kit.ts`), with this file's defaults. */
const job = (id: number, over: Partial<Job> = {}): Job => testJob(id, { deadline: 20_000, ...over });

/** A random source that plays the given numbers in order, then 0.99. */
const seq = (xs: number[]): Random => ({ next: () => xs.shift() ?? 0.99 });

/** No contests drawn: a wrong-proof draw of 0.99 and a false-contest draw of 0.99. */
const base: Partial<ContestableParams> = { taikoUsd: 1, livenessBond: 100, validityBond: 40, contestBond: 200, cooldown: 1000 };

function driver(params: Partial<ContestableParams> = base, operators = ops(3), random: Random = seq([])) {
  const m: Mechanism = contestable(params);
  const state = m.init(operators);
  let nextId = 0;
  return {
    step(draft: InputDraft, now = 0): Decision[] {
      const out: Decision[] = [];
      m.step(state, { ...draft, id: nextId++ } as Input, now, random, out);
      return out;
    },
  };
}

const of = <T extends Decision['type']>(ds: Decision[], t: T) => ds.filter((d): d is Extract<Decision, { type: T }> => d.type === t);
const USD = (x: number) => toMicros(x);

describe('contestable: the assigned prover and its liveness bond', () => {
  it('assigns the job to the first free node, pays the fee at assignment, takes the liveness bond and opens the window', () => {
    const d = driver();
    const out = d.step({ type: 'submit', job: job(0) });
    expect(of(out, 'collateral')).toEqual([{ type: 'collateral', jobId: 0, operator: 0, amount: USD(100) }]);
    expect(of(out, 'settle')).toEqual([{ type: 'settle', jobId: 0, operator: 0, amount: USD(10), source: 'escrow' }]);
    expect(of(out, 'assign')[0]).toMatchObject({ operator: 0, role: 'primary', committed: true, price: USD(10) });
    expect(of(out, 'timer')).toContainEqual({ type: 'timer', jobId: 0, at: 7200, tag: CT_TAG_WINDOW });
  });

  it('returns the bond to an assigned prover that proves within the window', () => {
    const d = driver({ ...base, cooldown: 0 });
    d.step({ type: 'submit', job: job(0) });
    const out = d.step({ type: 'deliver', jobId: 0, operator: 0 }, 7200);
    expect(of(out, 'release')).toEqual([{ type: 'release', jobId: 0, operator: 0, amount: USD(100) }]);
    expect(of(out, 'slash')).toHaveLength(0);
    expect(of(out, 'done')).toEqual([{ type: 'done', jobId: 0, outcome: 'delivered', operator: 0 }]);
    expect(of(out, 'close')).toHaveLength(1);
  });

  it('after the window opens the job to another node for half the bond, and a late assigned prover cannot decline', () => {
    const d = driver({ ...base, cooldown: 0 });
    d.step({ type: 'submit', job: job(0) });
    expect(of(d.step({ type: 'decline', jobId: 0, operator: 0 }), 'refused')[0]!.reason).toBe('invalid');
    const out = d.step({ type: 'timer', jobId: 0, tag: CT_TAG_WINDOW }, 7200);
    expect(of(out, 'assign')).toEqual([{ type: 'assign', jobId: 0, operator: 1, price: USD(50), role: 'fallback', committed: false }]);
  });

  it('slashes a late bond half to the open prover and half burned, and aborts the assigned prover', () => {
    const d = driver({ ...base, cooldown: 0 });
    d.step({ type: 'submit', job: job(0) });
    d.step({ type: 'timer', jobId: 0, tag: CT_TAG_WINDOW }, 7200);
    const out = d.step({ type: 'deliver', jobId: 0, operator: 1 }, 8000);
    expect(of(out, 'slash')).toEqual([
      { type: 'slash', jobId: 0, operator: 0, burn: USD(50), toOperator: 1, reward: USD(50), toTreasury: 0 },
    ]);
    expect(of(out, 'abort')).toEqual([{ type: 'abort', jobId: 0, operator: 0 }]);
    expect(of(out, 'done')[0]).toMatchObject({ outcome: 'delivered', operator: 1 });
    // The open prover is paid only from the bond: no settle from the requester's escrow.
    expect(of(out, 'settle')).toHaveLength(0);
  });

  it('a late assigned prover that proves first gets its own half back (the prover of record), the other half burned', () => {
    const d = driver({ ...base, cooldown: 0 });
    d.step({ type: 'submit', job: job(0) });
    d.step({ type: 'timer', jobId: 0, tag: CT_TAG_WINDOW }, 7200);
    const out = d.step({ type: 'deliver', jobId: 0, operator: 0 }, 7300);
    expect(of(out, 'slash')[0]).toMatchObject({ operator: 0, toOperator: 0, reward: USD(50), burn: USD(50) });
    expect(of(out, 'abort')).toEqual([{ type: 'abort', jobId: 0, operator: 1 }]);
  });

  it('Ontake-style presets give nothing to the open prover: the whole late bond is burned', () => {
    const d = driver({ preset: 'taiko-ontake', taikoUsd: 1, cooldown: 0 } as Partial<ContestableParams>);
    d.step({ type: 'submit', job: job(0) });
    expect(of(d.step({ type: 'timer', jobId: 0, tag: CT_TAG_WINDOW }, 3600), 'assign')[0]!.price).toBe(0);
    const out = d.step({ type: 'deliver', jobId: 0, operator: 1 }, 4000);
    expect(of(out, 'slash')[0]).toMatchObject({ burn: USD(125), reward: 0 });
  });

  it('an open node that declines is skipped for the next one; a failed open prover steps aside', () => {
    const d = driver({ ...base, cooldown: 0 });
    d.step({ type: 'submit', job: job(0) });
    d.step({ type: 'timer', jobId: 0, tag: CT_TAG_WINDOW }, 7200);
    expect(of(d.step({ type: 'decline', jobId: 0, operator: 1 }, 7200), 'assign')[0]!.operator).toBe(2);
    const out = d.step({ type: 'fail', jobId: 0, operator: 2 }, 7300);
    // Nodes 1 and 2 are out; the assigned node 0 is still working: nobody else to ask.
    expect(of(out, 'assign')).toHaveLength(0);
  });

  it('at the deadline inside the window the bond comes back and the fee stays paid; past the window it is burned', () => {
    const d = driver({ ...base, cooldown: 0 });
    d.step({ type: 'submit', job: job(0, { deadline: 3000 }) });
    const a = d.step({ type: 'timer', jobId: 0, tag: CT_TAG_DEADLINE }, 3000);
    expect(of(a, 'release')).toEqual([{ type: 'release', jobId: 0, operator: 0, amount: USD(100) }]);
    expect(of(a, 'done')[0]).toMatchObject({ outcome: 'expired' });
    expect(of(a, 'refund')).toHaveLength(0);
    d.step({ type: 'submit', job: job(1, { deadline: 9000 }) });
    d.step({ type: 'timer', jobId: 1, tag: CT_TAG_WINDOW }, 7200);
    const b = d.step({ type: 'timer', jobId: 1, tag: CT_TAG_DEADLINE }, 9000);
    expect(of(b, 'slash')).toEqual([{ type: 'slash', jobId: 1, operator: 0, burn: USD(100), toOperator: -1, reward: 0, toTreasury: 0 }]);
    expect(of(b, 'abort').map((x) => x.operator)).toEqual([0, 1]);
  });

  it('a failed assigned prover starts again once, unpaid, then waits with its bond at stake for the window to end', () => {
    const d = driver({ ...base, cooldown: 0 });
    d.step({ type: 'submit', job: job(0) });
    const again = d.step({ type: 'fail', jobId: 0, operator: 0 }, 100);
    expect(of(again, 'assign')).toEqual([{ type: 'assign', jobId: 0, operator: 0, price: 0, role: 'primary', committed: true }]);
    expect(of(again, 'settle')).toHaveLength(0);
    const out = d.step({ type: 'fail', jobId: 0, operator: 0 }, 200);
    expect(out.filter((x) => x.type !== 'refused')).toHaveLength(0);
    expect(of(d.step({ type: 'timer', jobId: 0, tag: CT_TAG_WINDOW }, 7200), 'assign')[0]).toMatchObject({ operator: 0, role: 'fallback' });
  });

  it('queues jobs when no node is free and assigns them FIFO as nodes free up', () => {
    const d = driver({ ...base, cooldown: 0 }, ops(1));
    d.step({ type: 'submit', job: job(0) });
    expect(of(d.step({ type: 'submit', job: job(1) }), 'assign')).toHaveLength(0);
    const out = d.step({ type: 'deliver', jobId: 0, operator: 0 }, 100);
    expect(of(out, 'assign')[0]).toMatchObject({ jobId: 1, operator: 0, role: 'primary' });
  });
});

describe('contestable: validity bonds, contests and the cooldown', () => {
  it('an uncontested proof posts its validity bond, is delivered at once and gets the bond back when the cooldown ends', () => {
    const d = driver();
    d.step({ type: 'submit', job: job(0) });
    const out = d.step({ type: 'deliver', jobId: 0, operator: 0 }, 100);
    expect(of(out, 'collateral')).toEqual([{ type: 'collateral', jobId: 0, operator: 0, amount: USD(40) }]);
    expect(of(out, 'done')[0]).toMatchObject({ outcome: 'delivered', operator: 0 });
    expect(of(out, 'close')).toHaveLength(0);
    expect(of(out, 'timer')).toContainEqual({ type: 'timer', jobId: 0, at: 1100, tag: CT_TAG_COOLDOWN });
    const end = d.step({ type: 'timer', jobId: 0, tag: CT_TAG_COOLDOWN }, 1100);
    expect(of(end, 'release')).toEqual([{ type: 'release', jobId: 0, operator: 0, amount: USD(40) }]);
    expect(of(end, 'close')).toHaveLength(1);
    expect(of(end, 'done')).toHaveLength(0);
  });

  it('a false contest of a correct proof loses the contest bond to the protocol and the prover keeps its bond', () => {
    // Draws: not wrong (0.99), contested anyway (0.001), contester index (0: node 1).
    const d = driver(base, ops(3), seq([0.99, 0.001, 0]));
    d.step({ type: 'submit', job: job(0) });
    const proof = d.step({ type: 'deliver', jobId: 0, operator: 0 }, 100);
    expect(of(proof, 'done')).toHaveLength(0);
    const c = d.step({ type: 'timer', jobId: 0, tag: CT_TAG_CONTEST }, 700);
    expect(of(c, 'collateral')).toEqual([{ type: 'collateral', jobId: 0, operator: 1, amount: USD(200) }]);
    expect(of(c, 'timer')).toEqual([{ type: 'timer', jobId: 0, at: 4300, tag: CT_TAG_RESOLVE }]);
    // The cooldown ends while the contest is pending: nothing happens.
    expect(of(d.step({ type: 'timer', jobId: 0, tag: CT_TAG_COOLDOWN }, 1100), 'close')).toHaveLength(0);
    const r = d.step({ type: 'timer', jobId: 0, tag: CT_TAG_RESOLVE }, 4300);
    expect(of(r, 'release')).toEqual([{ type: 'release', jobId: 0, operator: 0, amount: USD(40) }]);
    expect(of(r, 'slash')).toEqual([{ type: 'slash', jobId: 0, operator: 1, burn: 0, toOperator: -1, reward: 0, toTreasury: USD(200) }]);
    expect(of(r, 'done')[0]).toMatchObject({ outcome: 'delivered', operator: 0 });
    expect(of(r, 'close')).toHaveLength(1);
  });

  it('a contest of a wrong proof wins: contest bond back, 3/4 of 7/8 of the validity bond to the contester, the job reopens', () => {
    const d = driver(base, ops(3), seq([0.001, 0.5, 0.9]));
    d.step({ type: 'submit', job: job(0) });
    d.step({ type: 'deliver', jobId: 0, operator: 0 }, 100);
    const c = d.step({ type: 'timer', jobId: 0, tag: CT_TAG_CONTEST }, 700);
    expect(of(c, 'collateral')[0]).toMatchObject({ operator: 2, amount: USD(200) });
    const r = d.step({ type: 'timer', jobId: 0, tag: CT_TAG_RESOLVE }, 4300);
    const split = wrongProofSplit(USD(40));
    expect(split).toEqual({ contester: USD(26.25), reprover: USD(8.75), protocol: USD(5) });
    expect(of(r, 'release')).toEqual([{ type: 'release', jobId: 0, operator: 2, amount: USD(200) }]);
    expect(of(r, 'slash')).toEqual([
      { type: 'slash', jobId: 0, operator: 0, burn: 0, toOperator: 2, reward: USD(26.25), toTreasury: USD(5) },
    ]);
    // The wrong prover may not re-prove; the first other free node gets the final proof for the last quarter.
    expect(of(r, 'assign')).toEqual([{ type: 'assign', jobId: 0, operator: 1, price: USD(8.75), role: 'fallback', committed: false }]);
    const f = d.step({ type: 'deliver', jobId: 0, operator: 1 }, 5000);
    expect(of(f, 'slash')).toEqual([{ type: 'slash', jobId: 0, operator: 0, burn: 0, toOperator: 1, reward: USD(8.75), toTreasury: 0 }]);
    expect(of(f, 'done')[0]).toMatchObject({ outcome: 'delivered', operator: 1 });
    expect(of(f, 'collateral')).toHaveLength(0);
  });

  it('a reopened job that nobody re-proves by its deadline expires and the last quarter goes to the protocol', () => {
    const d = driver(base, ops(2), seq([0.001, 0.5, 0]));
    d.step({ type: 'submit', job: job(0, { deadline: 5000 }) });
    d.step({ type: 'deliver', jobId: 0, operator: 0 }, 100);
    d.step({ type: 'timer', jobId: 0, tag: CT_TAG_CONTEST }, 700);
    d.step({ type: 'timer', jobId: 0, tag: CT_TAG_RESOLVE }, 4300);
    d.step({ type: 'decline', jobId: 0, operator: 1 }, 4300);
    const e = d.step({ type: 'timer', jobId: 0, tag: CT_TAG_DEADLINE }, 5000);
    expect(of(e, 'slash')).toEqual([{ type: 'slash', jobId: 0, operator: 0, burn: 0, toOperator: -1, reward: 0, toTreasury: USD(8.75) }]);
    expect(of(e, 'done')[0]).toMatchObject({ outcome: 'expired' });
  });

  it('no contest once the cooldown has passed: a contest delay at or beyond the cooldown makes every proof final', () => {
    const d = driver({ ...base, contestDelay: 1000 }, ops(3), seq([0.001, 0.001]));
    d.step({ type: 'submit', job: job(0) });
    const out = d.step({ type: 'deliver', jobId: 0, operator: 0 }, 100);
    expect(of(out, 'timer').map((t) => t.tag)).toEqual([CT_TAG_COOLDOWN]);
    expect(of(out, 'done')[0]).toMatchObject({ outcome: 'delivered' });
  });

  it('contesters are drawn among the nodes in the network: a node that left is never drawn, a node that joined may be', () => {
    // Draws: wrong (0.001), then the contester draw 0.99 → the last of the other nodes.
    const d = driver(base, ops(3), seq([0.001, 0.5, 0.99]));
    d.step({ type: 'leave', operator: 2 });
    d.step({ type: 'join', operator: { id: 3, entity: 3, capacity: { cpus: 16, gpus: 1, memoryGb: 64 }, hardware: 'gpu' } });
    d.step({ type: 'submit', job: job(0) });
    d.step({ type: 'deliver', jobId: 0, operator: 0 }, 100);
    const c = d.step({ type: 'timer', jobId: 0, tag: CT_TAG_CONTEST }, 700);
    expect(of(c, 'collateral')[0]).toMatchObject({ operator: 3 });
  });

  it('refuses answers from nodes that hold nothing and about jobs that are not open', () => {
    const d = driver({ ...base, cooldown: 0 });
    d.step({ type: 'submit', job: job(0) });
    expect(of(d.step({ type: 'deliver', jobId: 0, operator: 1 }), 'refused')[0]!.reason).toBe('not-assigned');
    expect(of(d.step({ type: 'deliver', jobId: 9, operator: 0 }), 'refused')[0]!.reason).toBe('unknown-job');
    d.step({ type: 'deliver', jobId: 0, operator: 0 }, 10);
    expect(of(d.step({ type: 'fail', jobId: 0, operator: 0 }, 20), 'refused')[0]!.reason).toBe('unknown-job');
  });

  it('the presets carry the documented Taiko values', () => {
    expect(contestablePresets['taiko-pr14531']).toMatchObject({ provingWindow: 5400, livenessBond: 1024, openRewardBps: 5000 });
    expect(contestablePresets['taiko-pacaya']).toMatchObject({ provingWindow: 7200, livenessBond: 130, cooldown: 0 });
    expect(contestablePresets['taiko-mainnet-2024']).toMatchObject({ livenessBond: 250, validityBond: 250, contestBond: 1640 });
    expect(() => contestable({ openRewardBps: 20_000 })).toThrow(/openRewardBps/);
    expect(() => contestable({ bogus: 1 } as never)).toThrow(/unknown parameter/);
  });
});

describe('contestable: gang jobs (docs/gang.md)', () => {
  const gangJob = (id: number, n: number) => job(id, { gang: n });

  it('the assigned prover of a gang job is the first N free compatible nodes, lead first; the lead posts the bond', () => {
    const d = driver({ ...base, cooldown: 0 }, ops(4));
    const out = d.step({ type: 'submit', job: gangJob(0, 3) });
    expect(of(out, 'assign')).toEqual([
      { type: 'assign', jobId: 0, operator: 0, price: USD(10), role: 'primary', committed: true, members: [0, 1, 2] },
    ]);
    expect(of(out, 'collateral')).toEqual([{ type: 'collateral', jobId: 0, operator: 0, amount: USD(100) }]);
    // One node is left: a second gang of 3 waits, a single-node job does not.
    expect(of(d.step({ type: 'submit', job: gangJob(1, 3) }), 'assign')).toHaveLength(0);
    expect(of(d.step({ type: 'submit', job: job(2) }), 'assign')[0]).toMatchObject({ operator: 3 });
  });

  it('members stay busy until each reports available; then the waiting gang starts', () => {
    const d = driver({ ...base, cooldown: 0 }, ops(3));
    d.step({ type: 'submit', job: gangJob(0, 3) });
    d.step({ type: 'submit', job: gangJob(1, 3) });
    expect(of(d.step({ type: 'deliver', jobId: 0, operator: 0 }, 100), 'assign')).toHaveLength(0);
    expect(of(d.step({ type: 'available', operator: 1 }, 100), 'assign')).toHaveLength(0);
    const out = d.step({ type: 'available', operator: 2 }, 100);
    expect(of(out, 'assign')[0]).toMatchObject({ jobId: 1, operator: 0, members: [0, 1, 2] });
  });

  it('after the window the open gang skips the nodes that declined, and a gang no N nodes can serve is rejected', () => {
    const d = driver({ ...base, cooldown: 0 }, ops(5));
    d.step({ type: 'submit', job: gangJob(0, 2) });
    const open = d.step({ type: 'timer', jobId: 0, tag: CT_TAG_WINDOW }, 7200);
    expect(of(open, 'assign')[0]).toMatchObject({ operator: 2, members: [2, 3], role: 'fallback', price: USD(50) });
    // The lead declines: it is free again but excluded; member 3 is busy until its own `available`.
    expect(of(d.step({ type: 'decline', jobId: 0, operator: 2 }, 7200), 'assign')).toHaveLength(0);
    const next = d.step({ type: 'available', operator: 3 }, 7200);
    expect(of(next, 'assign')[0]).toMatchObject({ operator: 3, members: [3, 4] });
    expect(of(d.step({ type: 'submit', job: gangJob(1, 6) }), 'done')[0]).toMatchObject({ outcome: 'rejected' });
  });
});
