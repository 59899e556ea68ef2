import { describe, expect, it } from 'vitest';
import { createEntryExit } from '../src/market/entry-exit.js';
import type { Ledger } from '../src/market/ledger.js';
import type { Entity } from '../src/market/population.js';
import type { RunMetrics } from '../src/metrics/run-metrics.js';

/** Entities with `physical` nodes each, the odd ones inactive. */
function entities(physical: readonly number[]): Entity[] {
  return physical.map(
    (p, id) =>
      ({
        id,
        group: 'g',
        view: { attacker: false },
        nodes: [id],
        physicalNodes: p,
        capitalUsd: Infinity,
        active: id % 2 === 0,
        exited: false,
      }) as unknown as Entity,
  );
}

/** Node time as the rule defines it: each active entity's physical nodes × the window, added in id order. */
function reference(es: readonly Entity[], times: readonly number[]): number {
  let sum = 0;
  let last = 0;
  for (const t of times) {
    const dt = Math.max(0, t - last);
    last = t;
    for (const e of es) if (e.active) sum += e.physicalNodes! * dt;
  }
  return sum;
}

function nodeSeconds(es: Entity[], times: readonly number[]): number {
  const metrics = { nodeSeconds: 0, busySeconds: 0, fixedUsd: 0, capitalUsd: 0, attackerLossPeak: 0, windows: [] } as unknown as RunMetrics;
  const ledger = { balance: () => 0 } as unknown as Ledger;
  const rule = createEntryExit({ entities: es, nodes: [], ledger, metrics, window: 1 });
  for (const t of times) rule.onWindow(t);
  return metrics.nodeSeconds;
}

describe('the node time booked at each window', () => {
  it('is the sum over active entities in id order, to the last bit, with integer windows', () => {
    const es = entities([1, 3, 10, 2, 7, 1, 4]);
    const times = [86_400, 172_800, 200_000, 200_000, 259_201];
    expect(nodeSeconds(es, times)).toBe(reference(es, times));
  });

  it('is the same sum with fractional windows and node counts, where rounding depends on the order', () => {
    const es = entities([1, 3.5, 10, 2, 0.1, 1, 4]);
    const times = [1_000.1, 2_000.3, 2_500.7, 86_400.9];
    expect(nodeSeconds(es, times)).toBe(reference(es, times));
    const whole = entities([1, 3, 10, 2, 7, 1, 4]);
    expect(nodeSeconds(whole, times)).toBe(reference(whole, times));
  });
});
