/**
 * Gang jobs at the single-job level, per mechanism that chooses the members itself (random, first-fit,
 * self-hosted, batch-auction) or filters who may serve (order-book), and the core helpers. The
 * entity-staffed rules (race, sealed-bid, reverse-dutch) live in the shell: test/gang-market.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { audit } from './beacon.js';
import { batchAuction } from './batch-auction/index.js';
import { firstFit } from './first-fit/index.js';
import { FreeIndex } from './free-index.js';
import { canEverFit, splitAmong, takeGang } from './gang.js';
import { orderBook } from './order-book/index.js';
import { randomAllocation } from './random/index.js';
import { selfHosted } from './self-hosted/index.js';
import type { Decision, Input, InputDraft, Job, Mechanism, OperatorInfo, Random } from './types.js';
import { toMicros } from './types.js';

const rnd: Random = { next: () => 0.5 };

/** Nodes with one GPU each; `entities[i]` owns node i. */
const ops = (entities: number[]): OperatorInfo[] =>
  entities.map((e, i) => ({ id: i, entity: e, capacity: { cpus: 16, gpus: 1, memoryGb: 64 }, hardware: 'gpu' }));

function job(id: number, gang: number, over: Partial<Job> = {}): Job {
  return {
    id,
    requester: 0,
    kind: 'eth-block',
    mcycles: 200,
    request: { cpus: 0, gpus: 1, memoryGb: 16 },
    submittedAt: 0,
    deadline: 3600,
    maxPrice: toMicros(1),
    redundancy: 1,
    estSeconds: 60,
    gang,
    ...over,
  };
}

const beaconOf = (id: number): Uint8Array => new Uint8Array(32).map((_, i) => (id * 31 + i * 7) & 255);

function driver(m: Mechanism, operators: OperatorInfo[]) {
  const init: Decision[] = [];
  const state = m.init(operators, init);
  let nextId = 0;
  return {
    init,
    step(draft: InputDraft, now = 0): Decision[] {
      const out: Decision[] = [];
      const beacon = draft.type === 'submit' ? beaconOf(draft.job.id) : undefined;
      m.step(state, { ...draft, id: nextId++, ...(beacon ? { beacon } : {}) } as Input, now, rnd, out);
      return out;
    },
  };
}

const assigns = (ds: Decision[]) => ds.filter((d): d is Extract<Decision, { type: 'assign' }> => d.type === 'assign');

describe('core gang helpers', () => {
  it('splitAmong gives equal integer shares that sum to the amount, the remainder to the lead', () => {
    expect(splitAmong(10, 3)).toEqual([4, 3, 3]);
    expect(splitAmong(1_000_001, 4).reduce((a, b) => a + b, 0)).toBe(1_000_001);
    expect(splitAmong(2, 5)).toEqual([2, 0, 0, 0, 0]);
  });

  it('takeGang takes all N free nodes in id order, or none', () => {
    const idx = new FreeIndex(8);
    for (let i = 0; i < 5; i++) {
      idx.add(i, { cpus: 16, gpus: 1, memoryGb: 64 });
      idx.setFree(i, true);
    }
    const profiles = idx.eligibleProfiles({ cpus: 0, gpus: 1, memoryGb: 16 }, []);
    expect(takeGang(idx, profiles, 3, [1])).toEqual([0, 2, 3]);
    expect(idx.countFree(profiles)).toBe(2);
    expect(takeGang(idx, profiles, 3)).toBeUndefined();
    expect(idx.countFree(profiles)).toBe(2); // nothing held while it waits
  });

  it('canEverFit needs N compatible nodes', () => {
    const caps = ops([0, 0, 1]).map((o) => o.capacity);
    expect(canEverFit(caps, job(0, 3))).toBe(true);
    expect(canEverFit(caps, job(0, 4))).toBe(false);
  });
});

describe('random allocation: N beacon draws', () => {
  it('draws N distinct provers of any owner, auditable as draws 0..N-1 over the free eligible nodes', () => {
    const d = driver(randomAllocation(), ops([0, 1, 2, 3, 4, 5, 6, 7]));
    const a = assigns(d.step({ type: 'submit', job: job(0, 3) }));
    expect(a).toHaveLength(1);
    expect(a[0]!.members).toHaveLength(3);
    expect(a[0]!.operator).toBe(a[0]!.members![0]);
    expect(new Set(a[0]!.members).size).toBe(3);
    expect(a[0]!.draw).toBe(0);
    expect(audit(beaconOf(0), [0, 1, 2, 3, 4, 5, 6, 7], 0, 0, 3)).toEqual(a[0]!.members);
  });

  it('marks every member busy and waits, holding nothing, until N are free again', () => {
    const d = driver(randomAllocation(), ops([0, 1, 2, 3]));
    const first = assigns(d.step({ type: 'submit', job: job(0, 3) }))[0]!;
    // One node left: a second 3-node gang waits.
    expect(assigns(d.step({ type: 'submit', job: job(1, 3) }))).toHaveLength(0);
    // The first gang's lead delivers; the job waits for its members too.
    d.step({ type: 'deliver', jobId: 0, operator: first.operator }, 10);
    let later: Decision[] = d.step({ type: 'available', operator: first.operator }, 10);
    expect(assigns(later)).toHaveLength(0);
    later = d.step({ type: 'available', operator: first.members![1]! }, 10);
    expect(assigns(later)).toHaveLength(1);
    expect(assigns(later)[0]!.members).toHaveLength(3);
  });
});

describe('first-fit: the first N free compatible nodes', () => {
  it('takes nodes 0..N-1 of any owners, and queues a gang while fewer are free', () => {
    const d = driver(firstFit(), ops([0, 1, 2, 3]));
    const a = assigns(d.step({ type: 'submit', job: job(0, 3) }))[0]!;
    expect(a.members).toEqual([0, 1, 2]);
    expect(a.operator).toBe(0);
    expect(assigns(d.step({ type: 'submit', job: job(1, 2) }))).toHaveLength(0);
    // The lead's delivery frees it: nodes 0 and 3 are free, the 2-node gang takes them.
    const next = assigns(d.step({ type: 'deliver', jobId: 0, operator: 0 }, 5));
    expect(next[0]!.members).toEqual([0, 3]);
  });

  it('rejects a gang larger than the network at submission', () => {
    const d = driver(firstFit(), ops([0, 1]));
    expect(d.step({ type: 'submit', job: job(0, 3) })).toContainEqual({ type: 'done', jobId: 0, outcome: 'rejected', operator: -1 });
  });
});

describe('self-hosted: the cluster runs a gang on its first N free nodes', () => {
  it('starts the gang when N nodes are free', () => {
    const d = driver(selfHosted({ nodes: 4 }), ops([0, 0, 0, 0]));
    const a = assigns(d.step({ type: 'submit', job: job(0, 4) }))[0]!;
    expect(a.members).toEqual([0, 1, 2, 3]);
    expect(a.price).toBe(0);
    expect(assigns(d.step({ type: 'submit', job: job(1, 2) }))).toHaveLength(0);
  });
});

describe('batch auction: an offer covers N nodes of one entity', () => {
  it('trades a gang with an entity whose N asks clear, all its members named; an entity with fewer nodes makes no offer', () => {
    // Entity 0 owns two cheap nodes (no 3-node offer); entities 1 and 2 own three each.
    const d = driver(batchAuction({ period: 10 }), ops([0, 0, 1, 1, 1, 2, 2, 2]));
    const usd = [0.00001, 0.00001, 0.0001, 0.00012, 0.00011, 0.004, 0.004, 0.004];
    usd.forEach((p, op) => d.step({ type: 'ask', operator: op, pricePerMcycle: p, expiresAt: 3600 }));
    // Two gang bids: $1 and $0.60 for 200 Mcycles (5,000 and 3,000 µUSD per Mcycle).
    d.step({ type: 'submit', job: job(0, 3) });
    d.step({ type: 'submit', job: job(1, 3, { maxPrice: toMicros(0.6) }) });
    const out = d.step({ type: 'timer', jobId: 0, tag: 1 }, 10);
    const a = assigns(out);
    // McAfee: the second pair (3,000 bid, 4,000 offer) does not trade and sets the price 3,500 per Mcycle.
    expect(a).toHaveLength(1);
    expect(a[0]!.jobId).toBe(0);
    expect(a[0]!.members).toEqual([2, 4, 3]);
    expect(a[0]!.operator).toBe(2);
    expect(a[0]!.price).toBe(3500 * 200);
  });
});

describe('order book: only an entity that can field N nodes trades a gang', () => {
  it('skips cheaper asks of entities too small for the gang and trades with the one that can field it, whose entity staffs it', () => {
    // Nodes 0-1: entity 0 (cheap asks); nodes 2-4: entity 1.
    const d = driver(orderBook(), ops([0, 0, 1, 1, 1]));
    for (let op = 0; op < 5; op++) d.step({ type: 'ask', operator: op, pricePerMcycle: op < 2 ? 0.0001 : 0.0002, expiresAt: 3600 });
    const a = assigns(d.step({ type: 'submit', job: job(0, 3) }))[0]!;
    expect([2, 3, 4]).toContain(a.operator);
    expect(a.members).toBeUndefined();
    // A single-node job still takes the cheapest ask.
    const b = assigns(d.step({ type: 'submit', job: job(1, 1, { gang: undefined }) }))[0]!;
    expect([0, 1]).toContain(b.operator);
  });
});
