import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkStrategy, createStrategy, strategyIds } from '../src/agents/registry.js';
import { job, quote, uniforms, view } from './agents-helpers.js';

const FIXED_IDS = ['truthful', 'cost-plus', 'zi-c', 'zi-u', 'adaptive', 'predatory', 'sybil', 'flaky', 'griefer', 'overcommit', 'cartel'];

describe('strategy registry', () => {
  it('knows every strategy id that scenario files may name', () => {
    for (const id of FIXED_IDS) expect(strategyIds()).toContain(id);
  });

  it('rejects unknown parameters and out-of-range values with a message naming them', () => {
    expect(checkStrategy('predatory', { target: 0.5 })[0]).toMatch(/unknown parameter "target" for strategy predatory/);
    expect(checkStrategy('flaky', { fail_prob: 1.5 })[0]).toMatch(/fail_prob.*≤ 1/);
    expect(checkStrategy('cartel', { floor_usd_per_mcycle: 'high' })[0]).toMatch(/expected a number/);
    expect(() => createStrategy('zi-c', { spread: -1 })).toThrow(/spread/);
    expect(checkStrategy('adaptive', { step: 0.05 })).toEqual([]);
  });
});

const cost = fc.double({ min: 1e-6, max: 100, noNaN: true });
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('zi-c (zero intelligence, constrained)', () => {
  it('never prices, asks or sells below its cost', () => {
    fc.assert(
      fc.property(
        cost,
        unit,
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (c, u, spread, below) => {
          const s = createStrategy('zi-c', { spread });
          const q = quote({ costUsd: c });
          expect(s.bid(q, view(), u)!).toBeGreaterThanOrEqual(c);
          expect(s.lockPrice(q, view(), u)!).toBeGreaterThanOrEqual(c);
          expect(s.ask(c, view(), u)!).toBeGreaterThanOrEqual(c);
          expect(s.accept(q, c * below * 0.999999, view(), u)).toBe(false);
          expect(s.joinRace(q, c * below * 0.999999, 1, view(), u)).toBe(false);
        },
      ),
    );
  });

  it('draws its asks uniformly over [cost, cost x (1 + spread)]', () => {
    const s = createStrategy('zi-c', { spread: 1 });
    const u = uniforms(7);
    const xs = Array.from({ length: 4000 }, () => s.bid(quote({ costUsd: 1 }), view(), u())!);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...xs)).toBeLessThanOrEqual(2);
    expect(xs.reduce((a, b) => a + b, 0) / xs.length).toBeCloseTo(1.5, 1);
  });
});

describe('zi-u (zero intelligence, unconstrained)', () => {
  it('prices below its cost about 1 / (1 + spread) of the time, and accepts prices below cost', () => {
    const s = createStrategy('zi-u', { spread: 1 });
    const u = uniforms(11);
    const n = 4000;
    let below = 0;
    for (let i = 0; i < n; i++) if (s.bid(quote({ costUsd: 1 }), view(), u())! < 1) below++;
    expect(below / n).toBeGreaterThan(0.45);
    expect(below / n).toBeLessThan(0.55);
    expect(s.accept(quote({ costUsd: 1 }), 0.5, view(), 0.1)).toBe(true);
    expect(s.ask(1, view(), 0.2)!).toBeLessThan(1);
  });
});

describe('adaptive', () => {
  it('raises its markup after a win and lowers it after a loss, and prices at cost x (1 + markup)', () => {
    const s = createStrategy('adaptive', { step: 0.05, decrease: 0.5 });
    const e = view({ margin: 0.2 });
    expect(s.bid(quote({ costUsd: 1 }), e, 0)).toBeCloseTo(1.2, 10);
    s.observe!(true, 0.2, e);
    expect(e.memory.markup).toBeCloseTo(0.25, 10);
    expect(s.bid(quote({ costUsd: 1 }), e, 0)).toBeCloseTo(1.25, 10);
    s.observe!(false, 0, e);
    expect(e.memory.markup).toBeCloseTo(0.125, 10);
    expect(s.lockPrice(quote({ costUsd: 1 }), e, 0)).toBeCloseTo(1.125, 10);
    expect(e.memory.wins).toBe(1);
    expect(e.memory.losses).toBe(1);
  });

  it('keeps its markup within [min_markup, max_markup] whatever the sequence of outcomes', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 200 }), (outcomes) => {
        const s = createStrategy('adaptive', { step: 0.3, decrease: 0.4, min_markup: 0.05, max_markup: 1 });
        const e = view({ margin: 0.5 });
        for (const w of outcomes) s.observe!(w, 0, e);
        const m = e.memory.markup ?? 0.5;
        return m >= 0.05 - 1e-12 && m <= 1 + 1e-12;
      }),
    );
  });

  it('treats a standing ask that went unmatched for longer than patience_s as a loss', () => {
    const s = createStrategy('adaptive', { decrease: 0.5, patience_s: 100 });
    const e = view({ margin: 0.4 });
    expect(s.ask(1, e, 0, 0)).toBeCloseTo(1.4, 10);
    expect(s.ask(1, e, 0, 50)).toBeCloseTo(1.4, 10);
    expect(s.ask(1, e, 0, 150)).toBeCloseTo(1.2, 10);
    s.observe!(true, 0.1, e);
    const m = e.memory.markup!;
    s.ask(1, e, 0, 400);
    expect(e.memory.markup).toBe(m);
  });
});

describe('predatory', () => {
  it('prices below cost while its share is below the target, and at or above cost once it reaches it', () => {
    const s = createStrategy('predatory', { target_share: 0.6, predation_price: 0.5 });
    const e = view({ margin: 0.1 });
    for (const share of [0, 0.2, 0.59]) {
      e.share = share;
      expect(s.bid(quote({ costUsd: 1 }), e, 0)!).toBeLessThan(1);
      expect(s.lockPrice(quote({ costUsd: 1 }), e, 0)!).toBeLessThan(1);
      expect(s.ask(1, e, 0, 0)!).toBeLessThan(1);
      expect(s.accept(quote({ costUsd: 1 }), 0.01, e, 0)).toBe(true);
    }
    e.share = 0.6;
    expect(s.bid(quote({ costUsd: 1 }), e, 0)!).toBeGreaterThanOrEqual(1);
    expect(s.ask(1, e, 0, 0)!).toBeGreaterThanOrEqual(1);
    expect(s.accept(quote({ costUsd: 1 }), 0.5, e, 0)).toBe(false);
  });

  it('prices at zero by default during predation', () => {
    const s = createStrategy('predatory', {});
    expect(s.bid(quote({ costUsd: 3 }), view(), 0)).toBe(0);
  });

  it('after dominance raises its price from cost x (1 + margin) to the requester limit over ramp_s', () => {
    const s = createStrategy('predatory', { target_share: 0.5, ramp_s: 1000 });
    const e = view({ margin: 0.2, share: 0.9 });
    const lim = job().maxPrice / 1e6;
    const p0 = s.bid(quote({ costUsd: 0.1, now: 100 }), e, 0)!;
    const p1 = s.bid(quote({ costUsd: 0.1, now: 600 }), e, 0)!;
    const p2 = s.bid(quote({ costUsd: 0.1, now: 1100 }), e, 0)!;
    const p3 = s.bid(quote({ costUsd: 0.1, now: 5000 }), e, 0)!;
    expect(p0).toBeCloseTo(0.12, 10);
    expect(p1).toBeGreaterThan(p0);
    expect(p1).toBeLessThan(p2);
    expect(p2).toBeCloseTo(lim, 10);
    expect(p3).toBeCloseTo(lim, 10);
  });

  it('goes back to predation when its share falls below target x release_fraction', () => {
    const s = createStrategy('predatory', { target_share: 0.8, release_fraction: 0.5 });
    const e = view({ share: 0.9 });
    expect(s.bid(quote({ costUsd: 1 }), e, 0)!).toBeGreaterThanOrEqual(1);
    e.share = 0.5;
    expect(s.bid(quote({ costUsd: 1 }), e, 0)!).toBeGreaterThanOrEqual(1);
    e.share = 0.3;
    expect(s.bid(quote({ costUsd: 1 }), e, 0)!).toBeLessThan(1);
  });
});

describe('cartel', () => {
  it('never bids, locks, asks or accepts below the shared floor', () => {
    fc.assert(
      fc.property(
        cost,
        fc.double({ min: 0, max: 0.01, noNaN: true }),
        fc.double({ min: 1, max: 1e4, noNaN: true }),
        unit,
        (c, floor, mcycles, u) => {
          const s = createStrategy('cartel', { floor_usd_per_mcycle: floor });
          const q = quote({ costUsd: c, job: job({ mcycles }) });
          const min = floor * mcycles;
          expect(s.bid(q, view({ margin: 0 }), u)!).toBeGreaterThanOrEqual(min);
          expect(s.lockPrice(q, view({ margin: 0 }), u)!).toBeGreaterThanOrEqual(min);
          expect(s.ask(c / mcycles, view({ margin: 0 }), u)!).toBeGreaterThanOrEqual(floor);
          if (min > 1e-12) expect(s.accept(q, min * 0.999, view({ margin: -1 }), u)).toBe(false);
        },
      ),
    );
  });

  it('prices at cost-plus when that is above the floor', () => {
    const s = createStrategy('cartel', { floor_usd_per_mcycle: 0.0001 });
    expect(s.bid(quote({ costUsd: 1 }), view({ margin: 0.2 }), 0)).toBeCloseTo(1.2, 10);
    expect(s.bid(quote({ costUsd: 0.001 }), view({ margin: 0.2 }), 0)).toBeCloseTo(0.01, 10);
  });
});

describe('overcommit', () => {
  it('bids, locks, races and accepts work it cannot finish by the deadline, where cost-plus abstains', () => {
    const late = quote({ finishAt: 9999, busy: true });
    const oc = createStrategy('overcommit');
    const cp = createStrategy('cost-plus');
    expect(oc.overcommits).toBe(true);
    expect(oc.bid(late, view(), 0)).not.toBeNull();
    expect(oc.lockPrice(late, view(), 0)).not.toBeNull();
    expect(oc.joinRace(late, 1, 1, view(), 0)).toBe(true);
    expect(oc.accept(late, 1, view(), 0)).toBe(true);
    expect(cp.bid(late, view(), 0)).toBeNull();
    expect(cp.lockPrice(late, view(), 0)).toBeNull();
    expect(cp.accept(late, 1, view(), 0)).toBe(false);
  });
});

describe('flaky', () => {
  it('is offline (abstains or declines) about offline_prob of the time and carries its failure rate', () => {
    const s = createStrategy('flaky', { offline_prob: 0.3, fail_prob: 0.25 });
    expect(s.failureProb).toBe(0.25);
    const u = uniforms(3);
    const n = 5000;
    let off = 0;
    let declined = 0;
    for (let i = 0; i < n; i++) {
      if (s.bid(quote(), view(), u()) === null) off++;
      if (!s.accept(quote(), 10, view(), u())) declined++;
    }
    expect(off / n).toBeGreaterThan(0.27);
    expect(off / n).toBeLessThan(0.33);
    expect(declined / n).toBeGreaterThan(0.27);
    expect(declined / n).toBeLessThan(0.33);
  });
});

describe('griefer', () => {
  it('takes jobs for free (never joining races) and abandons them with abandon_prob, after abandon_after_s', () => {
    const s = createStrategy('griefer', { abandon_prob: 0.5, abandon_after_s: 42 });
    expect(s.lockPrice(quote(), view(), 0)).toBe(0);
    expect(s.bid(quote(), view(), 0)).toBe(0);
    expect(s.accept(quote({ busy: true }), 0, view(), 0)).toBe(true);
    expect(s.joinRace(quote(), 100, 1, view(), 0)).toBe(false);
    expect(s.abandon!(quote(), view(), 0.49)).toBe(true);
    expect(s.abandon!(quote(), view(), 0.51)).toBe(false);
    expect(s.abandonAfter!(quote(), view())).toBe(42);
  });
});

describe('sybil', () => {
  it('advertises `identities` identities per node and accepts regardless of its shared queue', () => {
    const s = createStrategy('sybil', { identities: 25 });
    expect(s.identities).toBe(25);
    expect(s.overcommits).toBe(true);
    expect(s.accept(quote({ busy: true, finishAt: 1e6 }), 1, view({ margin: 0 }), 0)).toBe(true);
    expect(s.accept(quote(), 0.05, view({ margin: 0 }), 0)).toBe(false);
  });
});

describe('truthful and cost-plus', () => {
  it('truthful prices at cost whatever the group margin; cost-plus adds the margin', () => {
    expect(createStrategy('truthful').bid(quote({ costUsd: 2 }), view({ margin: 0.5 }), 0)).toBe(2);
    expect(createStrategy('cost-plus').bid(quote({ costUsd: 2 }), view({ margin: 0.5 }), 0)).toBe(3);
  });
});
