import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/comparison/run-scenario.js';
import { OPERATOR0 } from '../src/market/ledger.js';
import { mechanisms } from '../src/mechanisms/registry.js';
import { smallScenario } from './agents-helpers.js';

/** Every registered market mechanism (random without decline ejection, so leaving is always an exit). */
const marketRefs = (): (string | { id: string; params: Record<string, unknown> })[] =>
  mechanisms()
    .map((m) => m.id)
    .filter((id) => id !== 'self-hosted')
    .map((id) => (id === 'random' ? { id, params: { maxDeclines: 1e9 } } : id));

const activeSeries = (rows: Record<string, unknown>[], mechanism: string): number[] =>
  rows.filter((r) => r.mechanism === mechanism).map((r) => r.active_operators as number);

describe('exit', () => {
  it('an operator whose costs exceed every price it can get eventually exits, visible as a drop in active_operators (every market mechanism)', () => {
    const s = smallScenario({
      duration: '3d',
      mechanisms: marketRefs(),
      operators: [
        { name: 'cheap', entities: 4, nodes: 2, hardware: 'gpu-rtx4090', strategy: 'cost-plus', margin: 0.2 },
        // Rented L4s: slower and dearer per Mcycle than the requesters' limit and the incumbents; the rent runs idle too.
        {
          name: 'costly',
          hardware: 'gpu-l4',
          ownership: 'rented',
          strategy: 'truthful',
          fixed_usd_per_hour: 0.8,
          exit: { trailing: '1d', max_loss_usd: 5 },
        },
      ],
    });
    const res = runScenario(s);
    expect(res.summary.length).toBe(marketRefs().length);
    for (const row of res.summary) {
      const label = String(row.mechanism);
      const series = activeSeries(res.timeseries, label);
      expect(series[0], label).toBe(5);
      expect(series[series.length - 1], label).toBe(4);
      expect(row.honest_exits, label).toBe(1);
      expect(row.active_operators_end, label).toBe(4);
    }
  });

  it('an operator selling below cost exits once its losses exceed its capital', () => {
    const s = smallScenario({
      duration: '2d',
      operators: [
        { name: 'cheap', entities: 4, hardware: 'gpu-rtx4090' },
        { name: 'loss-maker', hardware: 'gpu-l4', ownership: 'rented', strategy: 'cost-plus', margin: -0.9, capital_usd: 2 },
      ],
    });
    let exitedAfterLoss = false;
    const res = runScenario(s, {
      onMechanismDone: (_l, r) => {
        const e = r.population.entities.find((x) => x.group === 'loss-maker')!;
        exitedAfterLoss = e.exited && r.ledger.balance(OPERATOR0 + e.id) < -2e6;
      },
    });
    expect(exitedAfterLoss).toBe(true);
    expect(res.summary[0]!.honest_exits).toBe(1);
    const series = activeSeries(res.timeseries, 'random');
    expect(series[0]).toBe(5);
    expect(series[series.length - 1]).toBe(4);
  });

  it('profitable operators and operators without capital or an exit rule never exit', () => {
    const s = smallScenario({
      duration: '2d',
      operators: [
        { name: 'cheap', entities: 4, hardware: 'gpu-rtx4090', capital_usd: 1, exit: { trailing: '6h', max_loss_usd: 0 } },
        { name: 'idle-forever', hardware: 'cpu-server', fixed_usd_per_hour: 10 },
      ],
    });
    const res = runScenario(s);
    expect(res.summary[0]!.honest_exits).toBe(0);
    expect(new Set(activeSeries(res.timeseries, 'random'))).toEqual(new Set([5]));
  });
});

describe('entry', () => {
  const withEntrants = (hurdle: number) =>
    smallScenario({
      duration: '4d',
      mechanisms: marketRefs(),
      operators: [
        { name: 'incumbent', hardware: 'gpu-rtx4090', nodes: 2, strategy: 'cost-plus', margin: 0.2 },
        { name: 'entrant', entities: 2, hardware: 'gpu-rtx4090', entry: { hurdle, lead_time: '1d', watch: '6h' } },
      ],
    });

  it('potential entrants wait outside, then enter one by one after the hardware lead time once the margin clears the hurdle', () => {
    const res = runScenario(withEntrants(-1));
    expect(res.summary.length).toBe(marketRefs().length);
    for (const row of res.summary) {
      const label = String(row.mechanism);
      const ts = res.timeseries.filter((r) => r.mechanism === label);
      const at = (t: number): number => ts.find((r) => r.t_start_s === t)!.active_operators as number;
      // Decision at the first window's end (6 h), entry 1 d later (30 h); the second decides then and enters at 54 h.
      expect(at(0), label).toBe(1);
      expect(at(24 * 3600), label).toBe(1);
      expect(at(30 * 3600), label).toBe(2);
      expect(at(54 * 3600), label).toBe(3);
      expect(row.active_operators_end, label).toBe(3);
    }
  });

  it('potential entrants stay out while the margin is below the hurdle', () => {
    const res = runScenario(withEntrants(1e6));
    for (const row of res.summary) {
      expect(new Set(activeSeries(res.timeseries, String(row.mechanism))), String(row.mechanism)).toEqual(new Set([1]));
    }
  });

  it('rejects a group with both entry and join_at', () => {
    expect(() => smallScenario({ operators: [{ name: 'x', hardware: 'gpu-rtx4090', join_at: '1d', entry: { hurdle: 0.1 } }] })).toThrow(
      /remove `join_at` or `entry`/,
    );
  });
});
