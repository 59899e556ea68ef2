/**
 * Gode and Sunder (1993), "Allocative efficiency of markets with zero-intelligence traders",
 * JPE 101(1): 119-137, reproduced on pmsim's continuous double auction (the `order-book`
 * mechanism, price-time priority, resting price rule), driven directly through its `step`.
 *
 * Schedule (one unit per trader per period): 10 buyers with values 150, 140, ..., 60 and 10 sellers
 * with costs 50, 60, ..., 140 (USD per unit; a unit is a 1-Mcycle job). Competitive equilibrium:
 * 6 units trade at a price of 100-110, the largest total surplus is 100 + 80 + 60 + 40 + 20 + 0 = 300.
 * Prices lie in [1, 200] as in Gode and Sunder. Each period is a fresh book; 600 times a trader who
 * has not traded yet is drawn at random and submits a fresh order (a seller replaces its ask; a
 * buyer cancels its resting bid and submits a new one). Traders: sellers are the `zi-c` / `zi-u`
 * operator strategies (asks uniform in [cost, 200] / [0, 200]); buyers bid by the `zi-c` / `zi-u`
 * requester rules (uniform in [1, value] / [1, 200]). Efficiency = realised surplus Σ(value − cost)
 * over the trades / 300. 50 periods per trader type.
 *
 * Gode and Sunder's Table 1: ZI-C 97.1-99.9%, ZI-U 28.7-90.0% over their five markets. Tolerance:
 * ZI-C mean efficiency ≥ 90%; ZI-U at least 10 points lower.
 */
import { describe, expect, it } from 'vitest';
import { createStrategy } from '../src/agents/registry.js';
import { requesterBid } from '../src/agents/requester-bidding.js';
import { BOOK_TAG_DEADLINE } from '../src/mechanisms/order-book/index.js';
import type { Decision } from '../src/mechanisms/types.js';
import { entity, job, orderBookExchange, rng } from './econ-driver.js';

const VALUES = [150, 140, 130, 120, 110, 100, 90, 80, 70, 60];
const COSTS = [50, 60, 70, 80, 90, 100, 110, 120, 130, 140];
const MAX_SURPLUS = 300;
const CEILING = 200;

function period(kind: 'zi-c' | 'zi-u', r: { next(): number }, first: number): number {
  const n = COSTS.length;
  const ex = orderBookExchange(n);
  const sellers = COSTS.map((c) => createStrategy(kind, { spread: (CEILING - c) / c }));
  const sold = new Array<boolean>(n).fill(false);
  const bought = new Array<boolean>(VALUES.length).fill(false);
  const bidOf = new Map<number, number>(); // job id → buyer
  const live = new Array<number>(VALUES.length).fill(-1); // buyer → its resting job id
  let nextId = first;
  let surplus = 0;
  const settle = (out: Decision[]): void => {
    for (const d of out) {
      if (d.type !== 'assign') continue;
      const b = bidOf.get(d.jobId)!;
      bought[b] = true;
      sold[d.operator] = true;
      live[b] = -1;
      surplus += VALUES[b]! - COSTS[d.operator]!;
    }
  };
  for (let k = 0; k < 600; k++) {
    const open = [...COSTS.keys()]
      .filter((i) => !sold[i])
      .map((i) => -1 - i)
      .concat([...VALUES.keys()].filter((b) => !bought[b]));
    if (open.length === 0) break;
    const who = open[Math.floor(r.next() * open.length)]!;
    if (who < 0) {
      const i = -1 - who;
      const ask = sellers[i]!.ask(COSTS[i]!, entity(i), r.next());
      if (ask !== null) settle(ex.step({ type: 'ask', operator: i, pricePerMcycle: ask, expiresAt: 1e9 }, k));
    } else {
      if (live[who]! >= 0) ex.step({ type: 'timer', jobId: live[who]!, tag: BOOK_TAG_DEADLINE }, k);
      const bid = requesterBid(kind, VALUES[who]!, r.next(), 1, CEILING);
      const id = nextId++;
      bidOf.set(id, who);
      live[who] = id;
      settle(ex.step({ type: 'submit', job: job(id, bid, { mcycles: 1, estSeconds: 0, submittedAt: k, deadline: 1e9 }) }, k));
    }
  }
  return surplus / MAX_SURPLUS;
}

export function efficiency(kind: 'zi-c' | 'zi-u', seed: number): number {
  const r = rng(seed);
  let sum = 0;
  for (let p = 0; p < 50; p++) sum += period(kind, r, p * 10_000);
  return sum / 50;
}

describe('economics: Gode and Sunder (1993) on the order book (10 buyers, 10 sellers, 50 periods)', () => {
  it('zero-intelligence constrained traders (zi-c both sides) reach allocative efficiency ≥ 90%', () => {
    expect(efficiency('zi-c', 1993)).toBeGreaterThanOrEqual(0.9);
  });
  it('unconstrained traders (zi-u both sides) are clearly less efficient: at least 10 points below zi-c', () => {
    const c = efficiency('zi-c', 1993);
    const u = efficiency('zi-u', 1993);
    expect(u).toBeLessThan(c - 0.1);
  });
});
