import { describe, expect, it } from 'vitest';
import { QUARTER_S, energyAt, softwareFactor } from '../src/hardware-models/node-model.js';
import { buildPopulation } from '../src/market/population.js';
import { runScenario } from '../src/comparison/run-scenario.js';
import { mechanismById } from '../src/mechanisms/registry.js';
import { smallScenario } from './agents-helpers.js';

/** A population whose models read the returned clock. */
function popAt(over: Record<string, unknown>) {
  let now = 0;
  const s = smallScenario(over);
  const pop = buildPopulation(s, () => now);
  return { pop, set: (t: number) => (now = t) };
}

const work = (d: number, setup = 1): number => d - setup;

describe('software speed-ups per quarter', () => {
  it('step mode: proving gets per_quarter times faster at each quarter boundary', () => {
    const { pop, set } = popAt({ software_speedup: { per_quarter: 3, mode: 'step' } });
    const m = pop.nodes[0]!.model;
    const d0 = work(m.duration(1000, 'zkvm'));
    set(QUARTER_S - 1);
    expect(work(m.duration(1000, 'zkvm'))).toBeCloseTo(d0, 9);
    set(QUARTER_S + 1);
    expect(d0 / work(m.duration(1000, 'zkvm'))).toBeCloseTo(3, 9);
    set(2 * QUARTER_S + 1);
    expect(d0 / work(m.duration(1000, 'zkvm'))).toBeCloseTo(9, 9);
  });

  it('continuous mode compounds smoothly, from `start`, only for the listed kinds', () => {
    const tl = { softwareSpeedup: { perQuarter: 4, start: 1000, mode: 'continuous' as const, kinds: ['zkvm'] } };
    expect(softwareFactor(tl, 1000, 'zkvm')).toBe(1);
    expect(softwareFactor(tl, 1000 + QUARTER_S / 2, 'zkvm')).toBeCloseTo(2, 9);
    expect(softwareFactor(tl, 1000 + QUARTER_S / 2, 'aggregation')).toBe(1);
  });
});

describe('energy price changes', () => {
  it('change the hourly cost of owned hardware from each change on, and leave rented hardware alone', () => {
    const { pop, set } = popAt({
      energy_usd_per_kwh: 0.1,
      energy_schedule: [
        { at: '1d', usd_per_kwh: 0.3 },
        { at: '2d', usd_per_kwh: 0.05 },
      ],
      operators: [
        { name: 'owned', hardware: 'gpu-rtx4090' },
        { name: 'rented', hardware: 'gpu-rtx4090', ownership: 'rented' },
      ],
    });
    const owned = pop.nodes[0]!.model;
    const rented = pop.nodes[1]!.model;
    const c0 = owned.hourlyCostUsd;
    const r0 = rented.hourlyCostUsd;
    set(86400);
    expect(owned.hourlyCostUsd - c0).toBeCloseTo(0.45 * 0.2, 9);
    set(2 * 86400 + 5);
    expect(owned.hourlyCostUsd - c0).toBeCloseTo(-0.45 * 0.05, 9);
    expect(rented.hourlyCostUsd).toBe(r0);
    expect(energyAt(undefined, 1e9, 0.12)).toBe(0.12);
  });

  it.skipIf(!mechanismById('sealed-bid'))('raise cost-plus bid prices after an energy price jump (sealed-bid)', () => {
    const s = smallScenario({
      duration: '2d',
      mechanisms: ['sealed-bid'],
      energy_schedule: [{ at: '1d', usd_per_kwh: 3 }],
      requesters: [
        { name: 'apps', arrival: { dist: 'exponential', mean: '5m' }, size_mcycles: 500, deadline: '2h', max_price_usd_per_mcycle: 0.01 },
      ],
    });
    const ts = runScenario(s).timeseries;
    const mean = (rows: Record<string, unknown>[]): number =>
      rows.reduce((a, r) => a + (r.price_per_mcycle_mean_usd as number), 0) / rows.length;
    const before = mean(ts.filter((r) => (r.t_start_s as number) < 86400));
    const after = mean(ts.filter((r) => (r.t_start_s as number) >= 86400 + 21600));
    expect(after / before).toBeGreaterThan(5);
  });
});

describe('VPU arrival', () => {
  it('a group speed-up per workload kind multiplies the profile speed for that kind only', () => {
    const { pop } = popAt({
      operators: [
        { name: 'gpu', hardware: 'gpu-rtx4090' },
        { name: 'vpu', hardware: 'gpu-rtx4090', speedup: { zkvm: 8 } },
      ],
    });
    const g = pop.nodes[0]!.model;
    const v = pop.nodes[1]!.model;
    expect(work(g.duration(1000, 'zkvm')) / work(v.duration(1000, 'zkvm'))).toBeCloseTo(8, 9);
    expect(v.duration(1000, 'eth-block')).toBeCloseTo(g.duration(1000, 'eth-block'), 9);
  });

  it('a VPU group joining at a time shows in active_operators from then on', () => {
    const s = smallScenario({
      duration: '2d',
      operators: [
        { name: 'gpu', entities: 3, hardware: 'gpu-rtx4090' },
        { name: 'vpu', entities: 2, hardware: 'vpu-fabric', join_at: '1d', speedup: { zkvm: 1.5 } },
      ],
    });
    const ts = runScenario(s).timeseries;
    expect(ts.filter((r) => (r.t_start_s as number) < 86400 - 21600).every((r) => r.active_operators === 3)).toBe(true);
    expect(ts.filter((r) => (r.t_start_s as number) >= 86400).every((r) => r.active_operators === 5)).toBe(true);
  });
});
