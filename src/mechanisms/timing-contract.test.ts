/**
 * The timing contract of `types.ts`, under every mechanism: answers that arrive late, twice or out
 * of order get the documented result (a `refused` decision with its reason), and a repeated input
 * id changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { orderBook, orderBookDefaults, BOOK_TAG_POST } from './order-book/index.js';
import { proofRace, raceDefaults, RACE_TAG_JOIN_CLOSED } from './race/index.js';
import { randomAllocation } from './random/index.js';
import { reverseDutch, TAG_INTENT0 } from './reverse-dutch/index.js';
import { sealedBid, TAG_CLOSE } from './sealed-bid/index.js';
import { reputationSelection } from './reputation/index.js';
import { selfHosted } from './self-hosted/index.js';
import type { Decision, Input, InputDraft, Job, Mechanism, OperatorInfo, ProtocolState } from './types.js';
import { toMicros } from './types.js';

const ops = (n: number): OperatorInfo[] =>
  Array.from({ length: n }, (_, i) => ({ id: i, entity: i, capacity: { cpus: 16, gpus: 1, memoryGb: 64 }, hardware: 'gpu' }));
const job = (id: number, over: Partial<Job> = {}): Job => ({
  id,
  requester: 0,
  kind: 'zkvm',
  mcycles: 1000,
  request: { cpus: 0, gpus: 1, memoryGb: 16 },
  submittedAt: 0,
  deadline: 3600,
  maxPrice: toMicros(10),
  redundancy: 1,
  estSeconds: 600,
  ...over,
});
const BEACON = new Uint8Array(32).fill(7);

/** Feeds drafts with fresh ids (or the id given), returning each step's decisions. */
function drive<S extends ProtocolState>(m: Mechanism<S>, operators = ops(4)) {
  const opening: Decision[] = [];
  const state = m.init(operators, opening, 0);
  let next = 1000;
  return {
    opening,
    step(draft: InputDraft, now = 0, id = next++): Decision[] {
      const out: Decision[] = [];
      m.step(state, { ...draft, id } as Input, now, { next: () => 0.5 }, out);
      return out;
    },
  };
}
const refused = (input: Input['type'], reason: string) => [{ type: 'refused', inputId: expect.any(Number), input, reason }];
const of = <T extends Decision['type']>(ds: Decision[], t: T) => ds.filter((d): d is Extract<Decision, { type: T }> => d.type === t);

const all: [string, () => Mechanism<ProtocolState>][] = [
  ['random', () => randomAllocation()],
  ['race', () => proofRace()],
  ['order-book', () => orderBook()],
  ['reverse-dutch', () => reverseDutch()],
  ['sealed-bid', () => sealedBid()],
  ['self-hosted', () => selfHosted()],
  ['reputation', () => reputationSelection()],
];

describe('timing contract: a repeated input id is a no-op that says so', () => {
  for (const [name, make] of all) {
    it(`${name}: the second submit with id 1 is refused as a duplicate and decides nothing else`, () => {
      const d = drive(make());
      const first = d.step({ type: 'submit', job: job(0), beacon: BEACON }, 0, 1);
      expect(first.length).toBeGreaterThan(0);
      expect(d.step({ type: 'submit', job: job(0), beacon: BEACON }, 0, 1)).toEqual(refused('submit', 'duplicate'));
    });
  }
});

describe('timing contract: answers about a job that is not open are refused as unknown-job', () => {
  for (const [name, make] of all) {
    it(`${name}: a delivery for a job never submitted`, () => {
      expect(drive(make()).step({ type: 'deliver', jobId: 99, operator: 0 })).toEqual(refused('deliver', 'unknown-job'));
    });
  }
});

describe('timing contract: late answers', () => {
  it('race: a join applied after the join window closed is refused as late; one inside it is admitted', () => {
    const d = drive(proofRace());
    d.step({ type: 'submit', job: job(0) });
    expect(of(d.step({ type: 'join-race', jobId: 0, operator: 0 }, raceDefaults.joinWindow / 2), 'assign')).toHaveLength(1);
    d.step({ type: 'timer', jobId: 0, tag: RACE_TAG_JOIN_CLOSED }, raceDefaults.joinWindow);
    expect(d.step({ type: 'join-race', jobId: 0, operator: 1 }, raceDefaults.joinWindow + 1)).toEqual(refused('join-race', 'late'));
  });

  it('race: out of order, the closing timer applied before a join sent earlier still closes the window', () => {
    const d = drive(proofRace());
    d.step({ type: 'submit', job: job(0) });
    d.step({ type: 'timer', jobId: 0, tag: RACE_TAG_JOIN_CLOSED }, raceDefaults.joinWindow);
    expect(d.step({ type: 'join-race', jobId: 0, operator: 0 }, raceDefaults.joinWindow)).toEqual(refused('join-race', 'late'));
  });

  it('race: a stale closing timer (an earlier window) does not close the current one', () => {
    const d = drive(proofRace(), ops(1));
    d.step({ type: 'submit', job: job(0) });
    d.step({ type: 'timer', jobId: 0, tag: RACE_TAG_JOIN_CLOSED }, raceDefaults.joinWindow); // nobody joined: waits
    d.step({ type: 'available', operator: 0 }, 100); // re-opened at 100
    d.step({ type: 'timer', jobId: 0, tag: RACE_TAG_JOIN_CLOSED }, 100); // the first window's timer, echoed late
    expect(of(d.step({ type: 'join-race', jobId: 0, operator: 0 }, 100), 'assign')).toHaveLength(1);
  });

  it('sealed-bid: a bid after the auction period closed is refused as late', () => {
    const m = sealedBid({ auctionPeriod: 10 });
    const d = drive(m);
    d.step({ type: 'submit', job: job(0) });
    expect(d.step({ type: 'bid', jobId: 0, operator: 0, price: 1_000_000 }, 5)).toEqual([]);
    d.step({ type: 'timer', jobId: 0, tag: TAG_CLOSE }, 10);
    expect(d.step({ type: 'bid', jobId: 0, operator: 1, price: 500_000 }, 11)).toEqual(refused('bid', 'late'));
  });

  it('reverse-dutch: a lock after the lock deadline is refused as late; a lock landing after another is taken', () => {
    const m = reverseDutch({ lockDelay: 2 });
    const d = drive(m);
    const s = of(d.step({ type: 'submit', job: job(0) }), 'solicit')[0]!;
    d.step({ type: 'lock', jobId: 0, operator: 0 }, 10);
    d.step({ type: 'lock', jobId: 0, operator: 1 }, 10.5);
    expect(of(d.step({ type: 'timer', jobId: 0, tag: TAG_INTENT0 }, 12), 'assign')).toHaveLength(1);
    expect(d.step({ type: 'lock', jobId: 0, operator: 2 }, 13)).toEqual(refused('lock', 'taken'));
    const late = drive(reverseDutch());
    late.step({ type: 'submit', job: job(0) });
    expect(late.step({ type: 'lock', jobId: 0, operator: 0 }, s.until + 5)).toEqual(refused('lock', 'late'));
  });

  it('order-book: an ask that has already expired is refused as late', () => {
    const d = drive(orderBook());
    expect(d.step({ type: 'ask', operator: 0, pricePerMcycle: 0.001, expiresAt: 5 }, 10)).toEqual(refused('ask', 'late'));
  });

  it('order-book: a held bid is posted when the asked nodes answer, in any order, or after askWait if one never does', () => {
    const m = orderBook({ askTtl: 100 });
    const d = drive(m, ops(2));
    d.step({ type: 'ask', operator: 0, pricePerMcycle: 0.001, expiresAt: 100 });
    d.step({ type: 'ask', operator: 1, pricePerMcycle: 0.002, expiresAt: 100 });
    // At 150 both asks have expired: the bid is held and both nodes asked again.
    const held = d.step({ type: 'submit', job: job(0, { submittedAt: 150, deadline: 9000 }) }, 150);
    expect(
      of(held, 'request-ask')
        .map((r) => r.operator)
        .sort(),
    ).toEqual([0, 1]);
    expect(of(held, 'assign')).toEqual([]);
    // Node 1 answers first (dearer), node 0 never does: the bid waits for askWait, then takes node 1.
    expect(of(d.step({ type: 'ask', operator: 1, pricePerMcycle: 0.002, expiresAt: 500 }, 150.5), 'assign')).toEqual([]);
    const posted = d.step({ type: 'timer', jobId: 0, tag: BOOK_TAG_POST }, 150 + orderBookDefaults.askWait);
    expect(of(posted, 'assign').map((a) => a.operator)).toEqual([1]);
  });

  it('order-book: with every answer in (the cheaper one last), the bid takes the best of them at once', () => {
    const d = drive(orderBook({ askTtl: 100 }), ops(2));
    d.step({ type: 'ask', operator: 0, pricePerMcycle: 0.001, expiresAt: 100 });
    d.step({ type: 'ask', operator: 1, pricePerMcycle: 0.002, expiresAt: 100 });
    d.step({ type: 'submit', job: job(0, { submittedAt: 150, deadline: 9000 }) }, 150);
    expect(of(d.step({ type: 'ask', operator: 1, pricePerMcycle: 0.002, expiresAt: 500 }, 150.2), 'assign')).toEqual([]);
    expect(
      of(d.step({ type: 'ask', operator: 0, pricePerMcycle: 0.0015, expiresAt: 500 }, 150.4), 'assign').map((a) => a.operator),
    ).toEqual([0]);
  });

  it('random: a decline after the job was delivered is refused; a join when no race is open is late', () => {
    const d = drive(randomAllocation());
    const a = of(d.step({ type: 'submit', job: job(0), beacon: BEACON }), 'assign')[0]!;
    expect(of(d.step({ type: 'deliver', jobId: 0, operator: a.operator }, 10), 'done')).toHaveLength(1);
    expect(d.step({ type: 'decline', jobId: 0, operator: a.operator }, 11)).toEqual(refused('decline', 'unknown-job'));
    const e = drive(randomAllocation());
    e.step({ type: 'submit', job: job(0, { redundancy: 1 }), beacon: BEACON });
    expect(e.step({ type: 'join-race', jobId: 0, operator: 3 }, 1)).toEqual(refused('join-race', 'late'));
  });

  it('self-hosted: a second delivery of the same job is refused (the job is closed)', () => {
    const d = drive(selfHosted());
    const a = of(d.step({ type: 'submit', job: job(0) }), 'assign')[0]!;
    d.step({ type: 'deliver', jobId: 0, operator: a.operator }, 5);
    expect(d.step({ type: 'deliver', jobId: 0, operator: a.operator }, 6)).toEqual(refused('deliver', 'unknown-job'));
  });
});

describe('timing contract: answers given twice (new ids) and out of order', () => {
  it('race: a second join of the same node is refused as already', () => {
    const d = drive(proofRace());
    d.step({ type: 'submit', job: job(0) });
    d.step({ type: 'join-race', jobId: 0, operator: 0 });
    expect(d.step({ type: 'join-race', jobId: 0, operator: 0 })).toEqual(refused('join-race', 'already'));
  });

  it('sealed-bid: a second bid of the same operator is refused as already; a bid above the limit is invalid', () => {
    const d = drive(sealedBid());
    d.step({ type: 'submit', job: job(0) });
    expect(d.step({ type: 'bid', jobId: 0, operator: 0, price: 1_000_000 })).toEqual([]);
    expect(d.step({ type: 'bid', jobId: 0, operator: 0, price: 900_000 })).toEqual(refused('bid', 'already'));
    expect(d.step({ type: 'bid', jobId: 0, operator: 1, price: toMicros(11) })).toEqual(refused('bid', 'invalid'));
  });

  it('reverse-dutch: a second lock intent of the same operator is refused as already', () => {
    const d = drive(reverseDutch({ lockDelay: 2 }));
    d.step({ type: 'submit', job: job(0) });
    d.step({ type: 'lock', jobId: 0, operator: 0 }, 10);
    expect(d.step({ type: 'lock', jobId: 0, operator: 0 }, 10.5)).toEqual(refused('lock', 'already'));
  });

  it('sealed-bid, order-book, random: a delivery from an operator that holds no assignment is refused as not-assigned', () => {
    for (const m of [sealedBid(), randomAllocation()] as Mechanism<ProtocolState>[]) {
      const d = drive(m);
      d.step({ type: 'submit', job: job(0), beacon: BEACON });
      expect(d.step({ type: 'deliver', jobId: 0, operator: 3 }, 1)).toEqual(refused('deliver', 'not-assigned'));
    }
    const b = drive(orderBook(), ops(1));
    b.step({ type: 'submit', job: job(0) }); // rests: no ask yet
    expect(b.step({ type: 'deliver', jobId: 0, operator: 0 }, 1)).toEqual(refused('deliver', 'not-assigned'));
  });
});
