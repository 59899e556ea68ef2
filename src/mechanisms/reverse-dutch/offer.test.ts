import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as core from '../index.js';
import type { Job } from '../types.js';
import { deadline, lockDeadline, priceAt, timeAtPrice, validateOffer, type Offer } from './offer.js';
import { offerFor } from './index.js';
import { reverseDutchDefaults, reverseDutchPresets } from './params.js';

// The example offer of Boundless auction.mdx (reference §5 item 1), in wei.
const T0 = 1_700_000_000;
const example: Offer<bigint> = {
  minPrice: 100_000_000_000_000n, // 1e14 wei
  maxPrice: 250_000_000_000_000n, // 2.5e14 wei
  rampUpStart: T0,
  rampUpPeriod: 170,
  lockTimeout: 625,
  timeout: 1500,
  lockCollateral: 20n * 10n ** 18n, // 20 ZKC
};

// The same shape in micro-USD (numbers), as pmsim's ledger uses.
const micro: Offer = {
  minPrice: 100_000,
  maxPrice: 250_000,
  rampUpStart: 1000,
  rampUpPeriod: 170,
  lockTimeout: 625,
  timeout: 1500,
  lockCollateral: 2_500_000,
};

describe('priceAt on the Boundless example offer (auction.mdx)', () => {
  it('is 1.75e14 wei 85 s into the 170 s ramp', () => {
    expect(priceAt(example, T0 + 85)).toBe(175_000_000_000_000n);
  });
  it('is 0 one second after the lock deadline (rampUpStart + 626)', () => {
    expect(priceAt(example, T0 + 626)).toBe(0n);
  });
  it('puts the lock deadline at rampUpStart + 625 and the deadline at rampUpStart + 1500', () => {
    expect(lockDeadline(example)).toBe(T0 + 625);
    expect(deadline(example)).toBe(T0 + 1500);
  });
});

describe('pmsim/core', () => {
  it("exports priceAt, lockDeadline and deadline (src/mechanisms/index.ts is the package's ./core entry)", () => {
    expect(core.priceAt(example, T0 + 85)).toBe(175_000_000_000_000n);
    expect(core.lockDeadline(example)).toBe(T0 + 625);
    expect(core.deadline(example)).toBe(T0 + 1500);
  });
});

describe('priceAt at every boundary', () => {
  it('is minPrice before and at rampUpStart', () => {
    expect(priceAt(example, T0 - 1000)).toBe(example.minPrice);
    expect(priceAt(example, T0 - 1)).toBe(example.minPrice);
    expect(priceAt(example, T0)).toBe(example.minPrice);
  });
  it('rises by floor((t − rampUpStart)(max − min)/rampUpPeriod) one second into the ramp', () => {
    // 1.5e14 / 170 = 882,352,941,176.47 → floored.
    expect(priceAt(example, T0 + 1)).toBe(100_000_000_000_000n + 882_352_941_176n);
  });
  it('is maxPrice at the end of the ramp and one second after it', () => {
    expect(priceAt(example, T0 + 169)).toBe(100_000_000_000_000n + (169n * 150_000_000_000_000n) / 170n);
    expect(priceAt(example, T0 + 169) < example.maxPrice).toBe(true);
    expect(priceAt(example, T0 + 170)).toBe(example.maxPrice);
    expect(priceAt(example, T0 + 171)).toBe(example.maxPrice);
  });
  it('is maxPrice at the lock deadline and 0 one second after it', () => {
    expect(priceAt(example, T0 + 625)).toBe(example.maxPrice);
    expect(priceAt(example, T0 + 626)).toBe(0n);
    expect(priceAt(example, T0 + 1500)).toBe(0n);
    expect(priceAt(example, T0 + 1501)).toBe(0n);
  });
  it('reads fractional simulated time as the whole-second block timestamp', () => {
    expect(priceAt(example, T0 + 85.999)).toBe(priceAt(example, T0 + 85));
    expect(priceAt(example, T0 + 625.5)).toBe(example.maxPrice);
    expect(priceAt(example, T0 + 0.5)).toBe(example.minPrice);
  });
  it('computes the same prices on numbers (micro-USD) as on bigints', () => {
    expect(priceAt(micro, 1000)).toBe(100_000);
    expect(priceAt(micro, 1085)).toBe(175_000);
    expect(priceAt(micro, 1001)).toBe(100_000 + Math.floor(150_000 / 170));
    expect(priceAt(micro, 1170)).toBe(250_000);
    expect(priceAt(micro, 1625)).toBe(250_000);
    expect(priceAt(micro, 1626)).toBe(0);
  });
  it('holds minPrice then jumps to maxPrice with a zero-length ramp', () => {
    const o: Offer = { ...micro, rampUpPeriod: 0 };
    expect(priceAt(o, 1000)).toBe(100_000);
    expect(priceAt(o, 1001)).toBe(250_000);
  });
  it('matches exact BigInt arithmetic for any offer, also beyond 2^53 (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 0, max: 1e15 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 200_000 }),
        (min, rise, period, dt) => {
          const o: Offer = {
            minPrice: min,
            maxPrice: min + rise,
            rampUpStart: 10,
            rampUpPeriod: period,
            lockTimeout: period + 5,
            timeout: period + 9,
            lockCollateral: 0,
          };
          const ob: Offer<bigint> = { ...o, minPrice: BigInt(min), maxPrice: BigInt(min + rise), lockCollateral: 0n };
          expect(BigInt(priceAt(o, 10 + dt))).toBe(priceAt(ob, 10 + dt));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('timeAtPrice (OfferLibrary.timeAtPrice)', () => {
  it('is the first second at which the offer is worth at least the price', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100_001, max: 250_000 }), (price) => {
        const t = timeAtPrice(micro, price);
        expect(priceAt(micro, t)).toBeGreaterThanOrEqual(price);
        expect(priceAt(micro, t - 1)).toBeLessThan(price);
      }),
    );
    expect(timeAtPrice(example, 175_000_000_000_000n)).toBe(T0 + 85);
  });
  it('is 0 at or below minPrice and rejects a price above maxPrice', () => {
    expect(timeAtPrice(micro, 100_000)).toBe(0);
    expect(() => timeAtPrice(micro, 250_001)).toThrow();
  });
});

describe('validateOffer (OfferLibrary.validate)', () => {
  it('accepts the example and rejects inconsistent offers', () => {
    expect(() => validateOffer(example)).not.toThrow();
    expect(() => validateOffer({ ...micro, minPrice: 300_000 })).toThrow(/minPrice/);
    expect(() => validateOffer({ ...micro, rampUpPeriod: 700 })).toThrow(/rampUpPeriod/);
    expect(() => validateOffer({ ...micro, lockTimeout: 1600 })).toThrow(/lockTimeout/);
    expect(() => validateOffer({ ...micro, rampUpStart: 1000.5 })).toThrow(/whole/);
  });
});

describe('offerFor with the boundless preset (SDK defaults)', () => {
  const p = { ...reverseDutchDefaults, ...reverseDutchPresets.boundless };
  const j = (mcycles: number, maxPrice = 2_000_000): Job => ({
    id: 1,
    requester: 0,
    kind: 'zkvm',
    mcycles,
    request: { cpus: 0, gpus: 1, memoryGb: 16 },
    submittedAt: 99.5,
    deadline: 99.5 + 3600,
    maxPrice,
    redundancy: 1,
    estSeconds: 1,
  });
  it('starts the ramp after max(30 s, executor time at 1 MHz), at most 1 h (boundless@3835bc4 request_builder/mod.rs:822,847-860)', () => {
    expect(offerFor(j(10), 99.5, p).rampUpStart).toBe(100 + 30);
    expect(offerFor(j(1000), 99.5, p).rampUpStart).toBe(100 + 1000);
    expect(offerFor(j(999.2), 99.5, p).rampUpStart).toBe(100 + 1000);
    expect(offerFor(j(5000), 99.5, p).rampUpStart).toBe(100 + 3600);
  });
  it('posts a flat 20 ZKC lock collateral, whatever the price (offer_layer.rs:883-906, Base mainnet)', () => {
    expect(offerFor(j(1000, 2_000_000), 99.5, p).lockCollateral).toBe(20_000_000);
    expect(offerFor(j(1000, 50_000), 99.5, p).lockCollateral).toBe(20_000_000);
    expect(offerFor(j(1000, 50_000), 99.5, { ...p, zkcUsd: 0.25 }).lockCollateral).toBe(5_000_000);
  });
  it('sets lockTimeout = 1800 + 7 s/Mcycle, timeout = 2 × lockTimeout, rampUpPeriod = 600 + 2 s/Mcycle', () => {
    const o = offerFor(j(1000), 99.5, p);
    expect(o.rampUpStart).toBe(1100);
    expect(o.lockTimeout).toBe(8800);
    expect(o.timeout).toBe(17600);
    expect(o.rampUpPeriod).toBe(2600);
  });
  it('caps lockTimeout at 14400 s and rampUpPeriod at 7200 s', () => {
    const o = offerFor(j(5000), 99.5, p);
    expect(o.lockTimeout).toBe(14400);
    expect(o.timeout).toBe(28800);
    expect(o.rampUpPeriod).toBe(7200);
  });
  it('ramps from minPrice 0 to the job price limit, with collateral 10 × maxPrice without a flat collateral', () => {
    const o = offerFor(j(1000, 2_000_000), 99.5, { ...p, collateralZkc: 0 });
    expect(o.minPrice).toBe(0);
    expect(o.maxPrice).toBe(2_000_000);
    expect(o.lockCollateral).toBe(20_000_000);
  });
  it('fits the offer inside the job deadline in `job` mode', () => {
    const o = offerFor(j(1000), 99.5, { ...p, timeouts: 'job', lockShare: 0.5, rampShare: 0.5, rampUpDelay: 0, rampUpDelayPerMcycle: 0 });
    expect(deadline(o)).toBeLessThanOrEqual(99.5 + 3600);
    expect(o.timeout).toBe(3599);
    expect(o.lockTimeout).toBe(1799);
    expect(o.rampUpPeriod).toBe(899);
  });
});
