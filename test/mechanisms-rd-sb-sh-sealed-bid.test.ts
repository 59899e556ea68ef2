import { describe, expect, it } from 'vitest';
import { clear, rotationDraw, sealedBid, TAG_CLOSE, TAG_DEADLINE, type SealedBidParams } from '../src/mechanisms/sealed-bid/index.js';
import { Driver, job, op, rng } from './mechanisms-rd-sb-sh.driver.js';

const LIMIT = 1_000_000;

function auction(
  params: Partial<SealedBidParams> & { preset?: string },
  bids: [number, number][],
  j = job({ id: 0, maxPrice: LIMIT, deadline: 3600 }),
) {
  const d = new Driver(sealedBid({ auctionPeriod: 30, ...params }), [op(0), op(1), op(2), op(3)]);
  d.submit(j, 0);
  for (const [operator, price] of bids) d.step({ type: 'bid', jobId: j.id, operator, price }, 5);
  d.step({ type: 'timer', jobId: j.id, tag: TAG_CLOSE }, 30);
  return d;
}

describe('sealed-bid: the auction', () => {
  it('solicits sealed bids until the end of the auction period and sets a timer at the close', () => {
    const d = new Driver(sealedBid({ auctionPeriod: 30 }), [op(0)]);
    d.submit(job({ id: 3, maxPrice: LIMIT }), 10);
    expect(d.of('solicit')).toEqual([{ type: 'solicit', jobId: 3, mode: 'bid', reward: LIMIT, until: 40, exclude: [] }]);
    expect(d.of('timer')).toEqual([{ type: 'timer', jobId: 3, at: 40, tag: TAG_CLOSE }]);
  });
  it('gives the job to the lowest bid at the close, committed, with a deadline timer', () => {
    const d = auction({ preset: 'succinct' }, [
      [0, 700_000],
      [1, 500_000],
      [2, 600_000],
    ]);
    expect(d.of('assign')).toEqual([{ type: 'assign', jobId: 0, operator: 1, price: 500_000, role: 'winner', committed: true }]);
    expect(d.of('timer').at(-1)).toEqual({ type: 'timer', jobId: 0, at: 3600, tag: TAG_DEADLINE });
  });
  it("breaks a tie by the job's arrival rotation, which starts at a node drawn from its beacon, whatever order the bids come in", () => {
    const winners = new Set<number>();
    for (let id = 0; id < 24; id++) {
      const j = job({ id, maxPrice: LIMIT, deadline: 3600 });
      const a = auction(
        {},
        [
          [2, 500_000],
          [1, 500_000],
        ],
        j,
      ).of('assign')[0]!.operator;
      const b = auction(
        {},
        [
          [1, 500_000],
          [2, 500_000],
        ],
        j,
      ).of('assign')[0]!.operator;
      // Four nodes fit: the rotation starts at node floor(u × 4) and goes up, then wraps.
      const start = Math.floor(rotationDraw(undefined, id) * 4);
      expect(a).toBe(b);
      expect(a).toBe(start === 2 ? 2 : 1);
      winners.add(a);
    }
    expect([...winners].sort()).toEqual([1, 2]);
  });
  it('ignores bids after the auction period, bids above the price limit, and second bids of an operator', () => {
    const d = new Driver(sealedBid({ auctionPeriod: 30 }), [op(0), op(1), op(2)]);
    d.submit(job({ id: 0, maxPrice: LIMIT }), 0);
    d.step({ type: 'bid', jobId: 0, operator: 0, price: LIMIT + 1 }, 1);
    d.step({ type: 'bid', jobId: 0, operator: 1, price: 900_000 }, 2);
    d.step({ type: 'bid', jobId: 0, operator: 1, price: 100_000 }, 3);
    d.step({ type: 'bid', jobId: 0, operator: 2, price: 200_000 }, 30.5);
    d.step({ type: 'timer', jobId: 0, tag: TAG_CLOSE }, 30.5);
    expect(d.of('assign')).toEqual([{ type: 'assign', jobId: 0, operator: 1, price: 900_000, role: 'winner', committed: true }]);
  });
});

describe('sealed-bid: settlement', () => {
  const bids: [number, number][] = [
    [0, 700_000],
    [1, 500_000],
    [2, 600_000],
  ];
  it('first price (succinct): the winner is paid its own bid on delivery', () => {
    const d = auction({ preset: 'succinct' }, bids);
    d.step({ type: 'deliver', jobId: 0, operator: 1 }, 400);
    expect(d.of('settle')).toEqual([{ type: 'settle', jobId: 0, operator: 1, amount: 500_000, source: 'escrow' }]);
    expect(d.done.get(0)).toMatchObject({ outcome: 'delivered', operator: 1 });
    expect(d.bal.requester).toBe(-500_000);
    expect(d.conserved()).toBe(true);
  });
  it('second price (brevis): the winner is paid the lowest losing bid', () => {
    const d = auction({ preset: 'brevis' }, bids);
    expect(d.of('assign')[0]).toMatchObject({ operator: 1, price: 600_000 });
    d.step({ type: 'deliver', jobId: 0, operator: 1 }, 400);
    expect(d.of('settle')[0]!.amount).toBe(600_000);
    expect(d.bal.requester).toBe(-600_000);
  });
  it('second price with a single bid pays the price limit (the reserve)', () => {
    const d = auction({ settlement: 'second' }, [[2, 300_000]]);
    expect(d.of('assign')[0]).toMatchObject({ operator: 2, price: LIMIT });
  });
  it('takes a protocol fee from the price when protocolFeeBps > 0', () => {
    const d = auction({ settlement: 'first', protocolFeeBps: 250 }, bids);
    d.step({ type: 'deliver', jobId: 0, operator: 1 }, 400);
    expect(d.of('settle')[0]!.amount).toBe(487_500);
    expect(d.of('fee')).toEqual([{ type: 'fee', jobId: 0, amount: 12_500 }]);
  });
});

describe('sealed-bid: failures', () => {
  it('fails a job that drew no bid at the close (no re-auction), moving no money', () => {
    const d = auction({}, []);
    expect(d.done.get(0)).toMatchObject({ outcome: 'failed', operator: -1 });
    expect(d.closed.has(0)).toBe(true);
    expect(d.bal.requester).toBe(0);
  });
  it('fails a priced-out job: every bid above the price limit is ignored (reference §5 item 2)', () => {
    const d = auction({}, [
      [0, 1_200_000],
      [1, 1_100_000],
    ]);
    expect(d.of('assign')).toHaveLength(0);
    expect(d.done.get(0)).toMatchObject({ outcome: 'failed' });
  });
  it('refunds the agreed price when the winner misses the deadline, without slashing by default', () => {
    const d = auction({ preset: 'succinct' }, [[1, 500_000]]);
    d.step({ type: 'timer', jobId: 0, tag: TAG_DEADLINE }, 3600);
    expect(d.of('abort')).toEqual([{ type: 'abort', jobId: 0, operator: 1 }]);
    expect(d.of('refund')).toEqual([{ type: 'refund', jobId: 0, amount: 500_000 }]);
    expect(d.of('slash')).toHaveLength(0);
    expect(d.done.get(0)).toMatchObject({ outcome: 'failed' });
    expect(d.bal.requester).toBe(0);
  });
  it('with deadline slashing, takes collateral at the award and slashes it on a miss: half burned, half to the treasury', () => {
    const d = auction({ slashOnMiss: true, collateralMultiple: 2, slashBurnBps: 5000 }, [[1, 500_000]]);
    expect(d.of('collateral')).toEqual([{ type: 'collateral', jobId: 0, operator: 1, amount: 1_000_000 }]);
    d.step({ type: 'fail', jobId: 0, operator: 1 }, 200);
    expect(d.of('slash')).toEqual([
      { type: 'slash', jobId: 0, operator: 1, burn: 500_000, toOperator: -1, reward: 0, toTreasury: 500_000 },
    ]);
    expect(d.of('refund')).toEqual([{ type: 'refund', jobId: 0, amount: 500_000 }]);
    expect(d.bal.op1).toBe(-1_000_000);
    expect(d.bal.requester).toBe(0);
    expect(d.conserved()).toBe(true);
  });
  it('with deadline slashing, returns the collateral to a winner that delivers', () => {
    const d = auction({ slashOnMiss: true, collateralMultiple: 2 }, [[1, 500_000]]);
    d.step({ type: 'deliver', jobId: 0, operator: 1 }, 200);
    expect(d.of('release')).toEqual([{ type: 'release', jobId: 0, operator: 1, amount: 1_000_000 }]);
    expect(d.bal.op1).toBe(500_000);
  });
});

describe('sealed-bid: the stake cap', () => {
  it('skips an operator already holding maxConcurrent jobs and pays the next bid', () => {
    const d = new Driver(sealedBid({ auctionPeriod: 30, maxConcurrent: 1, settlement: 'first' }), [op(0), op(1)]);
    d.submit(job({ id: 0, maxPrice: LIMIT }), 0);
    d.step({ type: 'bid', jobId: 0, operator: 0, price: 100_000 }, 1);
    d.step({ type: 'timer', jobId: 0, tag: TAG_CLOSE }, 30);
    d.submit(job({ id: 1, maxPrice: LIMIT }), 31);
    d.step({ type: 'bid', jobId: 1, operator: 0, price: 100_000 }, 32);
    d.step({ type: 'bid', jobId: 1, operator: 1, price: 400_000 }, 32);
    d.step({ type: 'timer', jobId: 1, tag: TAG_CLOSE }, 61);
    expect(d.of('assign').map((a) => [a.jobId, a.operator, a.price])).toEqual([
      [0, 0, 100_000],
      [1, 1, 400_000],
    ]);
    // Once operator 0 delivers, it may win again.
    d.step({ type: 'deliver', jobId: 0, operator: 0 }, 70);
    d.submit(job({ id: 2, maxPrice: LIMIT }), 71);
    d.step({ type: 'bid', jobId: 2, operator: 0, price: 100_000 }, 72);
    d.step({ type: 'timer', jobId: 2, tag: TAG_CLOSE }, 101);
    expect(d.of('assign').at(-1)).toMatchObject({ jobId: 2, operator: 0 });
  });
});

describe('sealed-bid: clear() is a pure clearing rule', () => {
  const b = (operator: number, price: number, seq: number) => ({ operator, price, seq });
  it('returns no winner when no bid is eligible', () => {
    expect(clear([b(0, 5, 0)], () => false, 'first', 10)).toEqual({ winner: -1, price: 0 });
  });
  it('prices at the second-lowest eligible bid', () => {
    expect(clear([b(0, 5, 0), b(1, 3, 1), b(2, 4, 2)], (x) => x.operator !== 2, 'second', 10)).toEqual({ winner: 1, price: 5 });
  });
});

describe('sealed-bid validation: order statistics of uniform costs', () => {
  // n bidders bid their costs, drawn U(a, b). The lowest of n uniforms has mean a + (b − a)/(n + 1)
  // and the second lowest a + 2(b − a)/(n + 1) (David & Nagaraja, Order Statistics, §2.1), so
  // first-price-at-cost pays the first and a second-price auction the second (Vickrey 1961).
  // Tolerance: 1% of (b − a) over 20,000 auctions (standard error ≈ 0.1% of (b − a)).
  const a = 200_000;
  const hi = 800_000;
  function meanPrice(n: number, settlement: 'first' | 'second', seed: number): number {
    const r = rng(seed);
    const mech = sealedBid({ auctionPeriod: 10, settlement, maxConcurrent: 0 });
    const d = new Driver(
      mech,
      Array.from({ length: n }, (_, i) => op(i)),
    );
    const reps = 20_000;
    let sum = 0;
    for (let k = 0; k < reps; k++) {
      d.submit(job({ id: k, maxPrice: LIMIT }), k * 100);
      for (let i = 0; i < n; i++) d.step({ type: 'bid', jobId: k, operator: i, price: Math.round(a + (hi - a) * r.next()) }, k * 100 + 1);
      d.step({ type: 'timer', jobId: k, tag: TAG_CLOSE }, k * 100 + 10);
      const w = d.of('assign').at(-1)!;
      sum += w.price;
      d.step({ type: 'deliver', jobId: k, operator: w.operator }, k * 100 + 20);
      d.log.length = 0;
    }
    expect(d.conserved()).toBe(true);
    return sum / reps;
  }
  it.each([2, 5, 10])('n = %i: first price ≈ a + (b − a)/(n + 1), second price ≈ a + 2(b − a)/(n + 1)', (n) => {
    const first = meanPrice(n, 'first', 11 + n);
    const second = meanPrice(n, 'second', 11 + n);
    expect(Math.abs(first - (a + (hi - a) / (n + 1)))).toBeLessThan(0.01 * (hi - a));
    expect(Math.abs(second - (a + (2 * (hi - a)) / (n + 1)))).toBeLessThan(0.01 * (hi - a));
  });
});
