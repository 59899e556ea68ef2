import { describe, expect, it } from 'vitest';
import {
  priceAt,
  reverseDutch,
  slashSplit,
  timeAtPrice,
  TAG_DIRECT,
  TAG_EXPIRED,
  TAG_INTENT0,
  TAG_LOCK_EXPIRED,
  type ReverseDutchParams,
} from '../src/mechanisms/reverse-dutch/index.js';
import { Driver, job, op, rng } from './mechanisms-rd-sb-sh.driver.js';

/**
 * The Boundless example offer of auction.mdx (reference §5 item 1) in micro-USD, one "ZKC" = $1:
 * min $1.00, max $2.50, rampUpStart = submission + 85 s, ramp 170 s, lockTimeout 625 s, timeout
 * 1500 s, collateral 20 ZKC = 8 × maxPrice.
 */
const EXAMPLE: Partial<ReverseDutchParams> = {
  minPriceShare: 0.4,
  collateralMultiple: 8,
  timeouts: 'sdk',
  lockTimeoutBase: 625,
  lockTimeoutPerMcycle: 0,
  lockTimeoutMax: 1e9,
  timeoutMultiple: 2.4,
  rampUpBase: 170,
  rampUpPerMcycle: 0,
  rampUpMax: 1e9,
  rampUpDelay: 85,
  lockDelay: 0,
  resolicit: 0,
};
const MAX = 2_500_000;
const START = 85; // rampUpStart for a job submitted at 0
const LOCK_DL = START + 625; // 710
const DL = START + 1500; // 1585
const COLL = 20_000_000;
const P85 = 1_750_000; // priceAt(rampUpStart + 85)

function setup(extra: Partial<ReverseDutchParams> = {}) {
  const d = new Driver(reverseDutch({ ...EXAMPLE, ...extra }), [op(0), op(1), op(2)]);
  d.submit(job({ id: 0, maxPrice: MAX }), 0);
  return d;
}

/** Locks job 0 for operator 0 at rampUpStart + 85 (price 1.75 ZKC). */
function locked(extra: Partial<ReverseDutchParams> = {}) {
  const d = setup(extra);
  d.step({ type: 'lock', jobId: 0, operator: 0 }, START + 85);
  return d;
}

describe('reverse-dutch: the offer a job becomes', () => {
  it('solicits locks on the ramp from minPrice at rampUpStart to maxPrice at the end of the ramp, until the lock deadline', () => {
    const d = setup();
    const s = d.of('solicit');
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({
      mode: 'lock',
      reward: 1_000_000,
      until: LOCK_DL,
      ramp: { start: START, end: START + 170, from: 1_000_000, to: MAX },
    });
  });
  it('sets timers one second after the lock deadline and one second after the deadline', () => {
    const d = setup();
    const t = d.of('timer');
    expect(t).toContainEqual({ type: 'timer', jobId: 0, at: LOCK_DL + 1, tag: TAG_LOCK_EXPIRED });
    expect(t).toContainEqual({ type: 'timer', jobId: 0, at: DL + 1, tag: TAG_EXPIRED });
  });
});

describe('reverse-dutch: locking', () => {
  it('locks at priceAt(now): 1.75 ZKC at rampUpStart + 85, posting 20 ZKC of collateral, committed', () => {
    const d = locked();
    expect(d.of('collateral')).toEqual([{ type: 'collateral', jobId: 0, operator: 0, amount: COLL }]);
    expect(d.of('assign')).toEqual([{ type: 'assign', jobId: 0, operator: 0, price: P85, role: 'winner', committed: true }]);
  });
  it('gives the job to the first locker only', () => {
    const d = locked();
    expect(d.step({ type: 'lock', jobId: 0, operator: 1 }, START + 86)).toEqual([
      { type: 'refused', inputId: expect.any(Number), input: 'lock', reason: 'taken' },
    ]);
  });
  it('accepts a lock at the lock deadline and rejects one a second later', () => {
    const a = setup();
    a.step({ type: 'lock', jobId: 0, operator: 0 }, LOCK_DL + 0.5);
    expect(a.of('assign')[0]!.price).toBe(MAX);
    const b = setup();
    expect(b.step({ type: 'lock', jobId: 0, operator: 0 }, LOCK_DL + 1)).toEqual([
      { type: 'refused', inputId: expect.any(Number), input: 'lock', reason: 'late' },
    ]);
  });
  it('with a reaction delay, locks when the decision lands, at the then-current price; the first decision wins', () => {
    const d = setup({ lockDelay: 2 });
    expect(d.step({ type: 'lock', jobId: 0, operator: 1 }, START + 85)).toEqual([
      { type: 'timer', jobId: 0, at: START + 87, tag: TAG_INTENT0 + 1 },
    ]);
    d.step({ type: 'lock', jobId: 0, operator: 2 }, START + 86);
    expect(d.of('assign')).toHaveLength(0);
    d.step({ type: 'timer', jobId: 0, tag: TAG_INTENT0 + 1 }, START + 87);
    d.step({ type: 'timer', jobId: 0, tag: TAG_INTENT0 + 2 }, START + 88);
    const a = d.of('assign');
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ operator: 1, price: 1_000_000 + Math.floor((87 * 1_500_000) / 170) });
  });
  it('tells the lock decision window so a delayed lock still lands by the lock deadline', () => {
    const d = setup({ lockDelay: 2 });
    expect(d.of('solicit')[0]!.until).toBe(LOCK_DL - 2);
  });
});

describe('reverse-dutch: money rules of one job', () => {
  it('pays a locker that delivers by the lock deadline its lock price and returns its collateral', () => {
    const d = locked();
    d.step({ type: 'deliver', jobId: 0, operator: 0 }, LOCK_DL + 0.9);
    expect(d.of('settle')).toEqual([{ type: 'settle', jobId: 0, operator: 0, amount: P85, source: 'escrow' }]);
    expect(d.of('release')).toEqual([{ type: 'release', jobId: 0, operator: 0, amount: COLL }]);
    expect(d.done.get(0)).toMatchObject({ outcome: 'delivered', operator: 0 });
    expect(d.closed.has(0)).toBe(true);
    expect(d.bal.requester).toBe(-P85);
    expect(d.bal.op0).toBe(P85);
    expect(d.of('slash')).toHaveLength(0);
    expect(d.conserved()).toBe(true);
  });

  it('opens a secondary race one second after the lock deadline, for the unburned half of the collateral', () => {
    const d = locked();
    d.step({ type: 'timer', jobId: 0, tag: TAG_LOCK_EXPIRED }, LOCK_DL + 1);
    expect(d.of('solicit').at(-1)).toEqual({ type: 'solicit', jobId: 0, mode: 'race', reward: COLL / 2, until: DL, exclude: [0] });
  });

  it('slashes a locker that missed the lock deadline: 10 ZKC burned, 10 ZKC to the secondary, requester refunded', () => {
    const d = locked();
    d.step({ type: 'timer', jobId: 0, tag: TAG_LOCK_EXPIRED }, LOCK_DL + 1);
    d.step({ type: 'join-race', jobId: 0, operator: 1 }, LOCK_DL + 1); // joins the race
    expect(d.of('assign').at(-1)).toMatchObject({ operator: 1, role: 'racer', committed: true });
    d.step({ type: 'deliver', jobId: 0, operator: 1 }, 1200);
    // Delivered after the lock deadline: price 0, the lock price goes back to the requester, the locker stops.
    expect(d.of('settle')).toHaveLength(0);
    expect(d.of('refund')).toEqual([{ type: 'refund', jobId: 0, amount: P85 }]);
    expect(d.of('abort')).toEqual([{ type: 'abort', jobId: 0, operator: 0 }]);
    expect(d.done.get(0)).toMatchObject({ outcome: 'delivered', operator: 1 });
    expect(d.closed.has(0)).toBe(false); // the slash waits for the deadline
    d.step({ type: 'timer', jobId: 0, tag: TAG_EXPIRED }, DL + 1);
    expect(d.of('slash')).toEqual([
      { type: 'slash', jobId: 0, operator: 0, burn: 10_000_000, toOperator: 1, reward: 10_000_000, toTreasury: 0 },
    ]);
    expect(d.closed.has(0)).toBe(true);
    expect(d.bal.requester).toBe(0);
    expect(d.bal.op0).toBe(-COLL);
    expect(d.bal.op1).toBe(10_000_000);
    expect(d.bal.burned).toBe(10_000_000);
    expect(d.bal.treasury).toBe(0);
    expect(d.conserved()).toBe(true);
  });

  it('sends the unburned half to the treasury and refunds the requester when nobody fulfils', () => {
    const d = locked();
    d.step({ type: 'timer', jobId: 0, tag: TAG_LOCK_EXPIRED }, LOCK_DL + 1);
    d.step({ type: 'timer', jobId: 0, tag: TAG_EXPIRED }, DL + 1);
    expect(d.of('slash')).toEqual([
      { type: 'slash', jobId: 0, operator: 0, burn: 10_000_000, toOperator: -1, reward: 0, toTreasury: 10_000_000 },
    ]);
    expect(d.of('refund')).toEqual([{ type: 'refund', jobId: 0, amount: P85 }]);
    expect(d.of('abort')).toEqual([{ type: 'abort', jobId: 0, operator: 0 }]);
    expect(d.done.get(0)).toMatchObject({ outcome: 'failed', operator: -1 });
    expect(d.bal.requester).toBe(0);
    expect(d.bal.treasury).toBe(10_000_000);
    expect(d.bal.burned).toBe(10_000_000);
    expect(d.conserved()).toBe(true);
  });

  it('treats a locker that delivers after the lock deadline as the fulfiller: unpaid, slashed, and given back the unburned half', () => {
    const d = locked();
    d.step({ type: 'timer', jobId: 0, tag: TAG_LOCK_EXPIRED }, LOCK_DL + 1);
    d.step({ type: 'deliver', jobId: 0, operator: 0 }, LOCK_DL + 1);
    d.step({ type: 'timer', jobId: 0, tag: TAG_EXPIRED }, DL + 1);
    expect(d.of('slash')).toEqual([
      { type: 'slash', jobId: 0, operator: 0, burn: 10_000_000, toOperator: 0, reward: 10_000_000, toTreasury: 0 },
    ]);
    expect(d.of('settle')).toHaveLength(0);
    expect(d.bal.op0).toBe(-10_000_000);
    expect(d.bal.requester).toBe(0);
  });

  it('counts a secondary delivery within the deadline second and ignores one a second later', () => {
    const inTime = locked();
    inTime.step({ type: 'timer', jobId: 0, tag: TAG_LOCK_EXPIRED }, LOCK_DL + 1);
    inTime.step({ type: 'join-race', jobId: 0, operator: 1 }, LOCK_DL + 1);
    inTime.step({ type: 'deliver', jobId: 0, operator: 1 }, DL + 0.5);
    expect(inTime.done.get(0)).toMatchObject({ outcome: 'delivered', operator: 1 });
    const late = locked();
    late.step({ type: 'timer', jobId: 0, tag: TAG_LOCK_EXPIRED }, LOCK_DL + 1);
    late.step({ type: 'join-race', jobId: 0, operator: 1 }, LOCK_DL + 1);
    late.step({ type: 'deliver', jobId: 0, operator: 1 }, DL + 1);
    expect(late.done.has(0)).toBe(false);
    late.step({ type: 'timer', jobId: 0, tag: TAG_EXPIRED }, DL + 1);
    expect(late.done.get(0)).toMatchObject({ outcome: 'failed' });
    expect(late.of('slash')[0]).toMatchObject({ toOperator: -1, toTreasury: 10_000_000 });
  });

  it('takes a market fee from the price when marketFeeBps > 0', () => {
    const d = locked({ marketFeeBps: 100 });
    d.step({ type: 'deliver', jobId: 0, operator: 0 }, 300);
    expect(d.of('settle')[0]!.amount).toBe(P85 - 17_500);
    expect(d.of('fee')).toEqual([{ type: 'fee', jobId: 0, amount: 17_500 }]);
    expect(d.bal.requester).toBe(-P85);
  });

  it('expires a job nobody locked one second after its lock deadline, moving no money', () => {
    const d = setup();
    d.step({ type: 'timer', jobId: 0, tag: TAG_LOCK_EXPIRED }, LOCK_DL + 1);
    expect(d.done.get(0)).toMatchObject({ outcome: 'expired', operator: -1 });
    expect(d.closed.has(0)).toBe(true);
    expect(d.bal.requester).toBe(0);
    expect(d.of('settle').length + d.of('refund').length + d.of('slash').length).toBe(0);
  });

  it('ends every job once: a second delivery and late timers are ignored', () => {
    const d = locked();
    d.step({ type: 'deliver', jobId: 0, operator: 0 }, 300);
    expect(d.step({ type: 'deliver', jobId: 0, operator: 0 }, 301)).toEqual([
      { type: 'refused', inputId: expect.any(Number), input: 'deliver', reason: 'unknown-job' },
    ]);
    expect(d.step({ type: 'timer', jobId: 0, tag: TAG_LOCK_EXPIRED }, LOCK_DL + 1)).toEqual([]);
    expect(d.step({ type: 'timer', jobId: 0, tag: TAG_EXPIRED }, DL + 1)).toEqual([]);
  });

  it('splits an odd collateral with the burn rounded down (the contract: stake × bps / 10^4)', () => {
    expect(slashSplit(21, 5000)).toEqual({ burn: 10, rest: 11 });
    expect(slashSplit(20_000_000, 5000)).toEqual({ burn: 10_000_000, rest: 10_000_000 });
  });
});

describe('reverse-dutch: fulfilment without a lock (directFulfil)', () => {
  it('opens the unlocked job to a race at maxPrice once the ramp is over, paying priceAt at delivery', () => {
    const d = setup({ directFulfil: true });
    expect(d.of('timer')).toContainEqual({ type: 'timer', jobId: 0, at: START + 171, tag: TAG_DIRECT });
    d.step({ type: 'timer', jobId: 0, tag: TAG_DIRECT }, START + 171);
    expect(d.of('solicit').at(-1)).toMatchObject({ mode: 'race', reward: MAX, until: LOCK_DL });
    d.step({ type: 'join-race', jobId: 0, operator: 1 }, START + 171);
    d.step({ type: 'join-race', jobId: 0, operator: 2 }, START + 171);
    d.step({ type: 'deliver', jobId: 0, operator: 2 }, 500);
    expect(d.of('settle')).toEqual([{ type: 'settle', jobId: 0, operator: 2, amount: MAX, source: 'escrow' }]);
    expect(d.of('abort')).toEqual([{ type: 'abort', jobId: 0, operator: 1 }]);
    expect(d.of('collateral')).toHaveLength(0);
    expect(d.closed.has(0)).toBe(true);
    expect(d.conserved()).toBe(true);
  });
});

describe('reverse-dutch: re-offering to nodes that become free', () => {
  it('re-solicits an unlocked job when a node becomes available, and stops once it is locked', () => {
    const d = setup({ resolicit: 4 });
    d.step({ type: 'available', operator: 2 }, 100);
    expect(d.of('solicit')).toHaveLength(2);
    expect(d.of('solicit')[1]).toMatchObject({
      mode: 'lock',
      reward: priceAt(
        { minPrice: 1_000_000, maxPrice: MAX, rampUpStart: START, rampUpPeriod: 170, lockTimeout: 625, timeout: 1500, lockCollateral: 0 },
        100,
      ),
    });
    d.step({ type: 'lock', jobId: 0, operator: 2 }, 101);
    d.step({ type: 'available', operator: 1 }, 102);
    expect(d.of('solicit')).toHaveLength(2);
  });
});

describe('reverse-dutch validation: a reverse Dutch auction is a first-price auction', () => {
  // n truthful lockers with costs U(a, b) lock when the price reaches their cost, so the winner is
  // the cheapest and is paid about its cost: E[price] = a + (b − a)/(n + 1) (order statistics of
  // the uniform; Krishna, Auction Theory, §2.1 and §4.1 strategic equivalence of Dutch and first-price).
  // Tolerance: 1% of (b − a) plus one ramp step (the price moves in whole seconds).
  it.each([2, 5, 10])('n = %i lockers: mean lock price within 1%% of a + (b − a)/(n + 1)', (n) => {
    const a = 1_200_000;
    const b = 2_200_000;
    const step = Math.ceil(1_500_000 / 170);
    const r = rng(1000 + n);
    const reps = 20_000;
    let sum = 0;
    for (let k = 0; k < reps; k++) {
      const d = new Driver(reverseDutch(EXAMPLE), [op(0)]);
      d.submit(job({ id: 0, maxPrice: MAX }), 0);
      const offer = {
        minPrice: 1_000_000,
        maxPrice: MAX,
        rampUpStart: START,
        rampUpPeriod: 170,
        lockTimeout: 625,
        timeout: 1500,
        lockCollateral: 0,
      };
      const times: [number, number][] = [];
      for (let i = 0; i < n; i++) times.push([timeAtPrice(offer, Math.round(a + (b - a) * r.next())), i]);
      times.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      for (const [t, i] of times) d.step({ type: 'lock', jobId: 0, operator: i }, t);
      sum += d.of('assign')[0]!.price;
    }
    const expected = a + (b - a) / (n + 1);
    expect(Math.abs(sum / reps - expected)).toBeLessThan(0.01 * (b - a) + step);
  });
});
