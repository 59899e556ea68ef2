import { describe, expect, it } from 'vitest';
import * as core from './index.js';

describe('pmsim/core exports the whole protocol', () => {
  it('every factory, step, audit, priceAt and the registry', () => {
    for (const name of [
      'randomAllocation',
      'proofRace',
      'orderBook',
      'reverseDutch',
      'sealedBid',
      'selfHosted',
      'firstFit',
      'batchAuction',
      'reputationSelection',
      'auditReputation',
      'contestable',
      'step',
      'audit',
      'verifySelection',
      'priceAt',
      'sha256',
      'mechanisms',
    ] as const) {
      // biome-ignore lint/performance/noDynamicNamespaceImportAccess: the test walks the public names of the entry point
      expect(typeof core[name], name).toBe('function');
    }
    expect(
      core
        .mechanisms()
        .map((m) => m.id)
        .sort(),
    ).toEqual([
      'batch-auction',
      'contestable',
      'first-fit',
      'order-book',
      'race',
      'random',
      'reputation',
      'reverse-dutch',
      'sealed-bid',
      'self-hosted',
    ]);
  });

  const factories: [string, (p: Record<string, unknown>) => unknown][] = [
    ['random', (p) => core.randomAllocation(p)],
    ['race', (p) => core.proofRace(p)],
    ['order-book', (p) => core.orderBook(p)],
    ['reverse-dutch', (p) => core.reverseDutch(p)],
    ['sealed-bid', (p) => core.sealedBid(p)],
    ['self-hosted', (p) => core.selfHosted(p)],
    ['reputation', (p) => core.reputationSelection(p)],
  ];
  for (const [id, make] of factories) {
    it(`${id}: a factory refuses an unknown parameter, naming it and the known names`, () => {
      expect(() => make({ typo: 1 })).toThrow(new RegExp(`unknown parameter "typo" for mechanism ${id} \\(known: \\w+`));
      expect(() => make({})).not.toThrow();
    });
  }

  it('every mechanism built by a factory is driven by the shared step over its handler table', () => {
    const m = core.sealedBid();
    const s = m.init([]);
    const out: core.Decision[] = [];
    const job = {
      id: 1,
      requester: 0,
      kind: 'zkvm',
      mcycles: 1,
      request: { cpus: 0, gpus: 0, memoryGb: 0 },
      submittedAt: 0,
      deadline: 10,
      maxPrice: 5,
      redundancy: 1,
      estSeconds: 1,
    };
    core.step(m, s, { type: 'submit', id: 7, job }, 0, { next: () => 0 }, out);
    expect(out.map((d) => d.type)).toEqual(['solicit', 'timer']);
    core.step(m, s, { type: 'submit', id: 7, job }, 0, { next: () => 0 }, out);
    expect(out[2]).toEqual({ type: 'refused', inputId: 7, input: 'submit', reason: 'duplicate' });
  });

  it('a mechanism that declares readsBeacon false decides the same with or without a submission beacon', () => {
    const node = (id: number): core.OperatorInfo => ({ id, entity: id, capacity: { cpus: 8, gpus: 1, memoryGb: 64 }, hardware: 'gpu' });
    const job = (id: number): core.Job => ({
      id,
      requester: 0,
      kind: 'zkvm',
      mcycles: 10,
      request: { cpus: 1, gpus: 1, memoryGb: 16 },
      submittedAt: 0,
      deadline: 1000,
      maxPrice: 1_000_000,
      redundancy: 1,
      estSeconds: 10,
    });
    const quiet: core.Mechanism[] = [core.selfHosted(), core.firstFit()];
    expect(quiet.map((m) => m.readsBeacon)).toEqual([false, false]);
    // Mechanisms that draw at random read it (and refuse a submission without one).
    expect(core.randomAllocation().readsBeacon).toBe(true);
    for (const m of quiet) {
      const run = (beacon: Uint8Array | undefined): core.Decision[] => {
        const s = m.init([node(0), node(1)]);
        const out: core.Decision[] = [];
        for (let i = 0; i < 3; i++)
          m.step(s, { type: 'submit', id: i, job: job(i), ...(beacon ? { beacon } : {}) }, i, { next: () => 0.5 }, out);
        return out;
      };
      const decided = run(undefined);
      expect(decided.filter((d) => d.type === 'assign')).toHaveLength(2);
      expect(run(new Uint8Array(32).fill(7))).toEqual(decided);
    }
  });
});
