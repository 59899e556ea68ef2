import { describe, expect, it } from 'vitest';
import {
  budgetMicros,
  closeEpoch,
  credit,
  onEpochTimer,
  EPOCH_JOB,
  emissionBook,
  feeShareReward,
  proofWeight,
  TAG_EPOCH,
  type EmissionParams,
} from './emission.js';
import type { Decision } from './types.js';

const params = (over: Partial<EmissionParams> = {}): EmissionParams => ({
  epochSeconds: 100,
  tokensPerEpoch: 10,
  tokenUsd: 2,
  split: 'work',
  fullAtWeight: 0,
  ...over,
});
const settles = (out: Decision[]) => out.filter((d): d is Extract<Decision, { type: 'settle' }> => d.type === 'settle');

describe('emission: a per-epoch budget split by a rule', () => {
  it('the budget is tokens per epoch × token USD value (a scenario parameter)', () => {
    expect(budgetMicros(params())).toBe(20_000_000);
  });

  it('the first credit of an epoch asks for a timer at the epoch end', () => {
    const b = emissionBook(params());
    const out: Decision[] = [];
    credit(b, 3, 500, 7, 250, out);
    expect(out).toEqual([{ type: 'timer', jobId: EPOCH_JOB, at: 300, tag: TAG_EPOCH }]);
  });

  it('splits the budget in proportion to work, as Boundless PoVW (boundless@3835bc4 crates/povw/mint-calculator/src/main.rs: update value / epoch total work)', () => {
    const b = emissionBook(params());
    const out: Decision[] = [];
    credit(b, 0, 100, 1, 10, out);
    credit(b, 1, 300, 2, 20, out);
    credit(b, 0, 100, 3, 30, out);
    closeEpoch(b, out);
    const s = settles(out);
    expect(s.map((d) => [d.operator, d.amount, d.source, d.jobId])).toEqual([
      [0, 8_000_000, 'emission', 3],
      [1, 12_000_000, 'emission', 2],
    ]);
  });

  it('caps the total per epoch whatever the demand: ten times the work pays the same total', () => {
    const total = (work: number) => {
      const b = emissionBook(params());
      const out: Decision[] = [];
      for (let i = 0; i < 10; i++) credit(b, i, work, i, 50, out);
      closeEpoch(b, out);
      return settles(out).reduce((a, d) => a + d.amount, 0);
    };
    expect(total(10)).toBe(20_000_000);
    expect(total(100)).toBe(20_000_000);
  });

  it('below fullAtWeight an epoch pays budget × work / fullAt (Aleo R_coinbase = R_anchor × min(P, C_R) / C, ProvableHQ/snarkVM@ca47c59 ledger/block/src/helpers/target.rs coinbase_reward_v2)', () => {
    const b = emissionBook(params({ fullAtWeight: 1000 }));
    const out: Decision[] = [];
    credit(b, 0, 250, 1, 0, out);
    expect(closeEpoch(b, out)).toBe(5_000_000);
    credit(b, 0, 5000, 2, 100, out);
    expect(closeEpoch(b, out)).toBe(20_000_000);
  });

  it('a credit in a later epoch closes the open epoch first', () => {
    const b = emissionBook(params());
    const out: Decision[] = [];
    credit(b, 0, 1, 1, 10, out);
    credit(b, 1, 1, 2, 150, out);
    expect(settles(out)).toHaveLength(1);
    expect(settles(out)[0]!.operator).toBe(0);
    expect(b.epoch).toBe(1);
  });

  it('a stale epoch timer does not close the next epoch early', () => {
    const b = emissionBook(params());
    const out: Decision[] = [];
    credit(b, 0, 1, 1, 10, out);
    credit(b, 1, 1, 2, 150, out);
    expect(onEpochTimer(b, 100, out)).toBe(0);
    expect(onEpochTimer(b, 200, out)).toBe(20_000_000);
  });

  it('per-proof split gives equal shares; no emission without a budget', () => {
    expect(proofWeight('proof', 999)).toBe(1);
    expect(proofWeight('work', 999)).toBe(999);
    const b = emissionBook(params({ tokensPerEpoch: 0 }));
    const out: Decision[] = [];
    credit(b, 0, 1, 1, 10, out);
    expect(out).toEqual([]);
  });

  it('the ZkCloud network reward is a fixed share of the fee (gevulot-docs@1b722dc zkcloud-design/fees.md:49)', () => {
    expect(feeShareReward(1_000_000, 0.1)).toBe(100_000);
    expect(feeShareReward(1_000_000, 0)).toBe(0);
  });

  it('rejects a non-positive epoch', () => {
    expect(() => emissionBook(params({ epochSeconds: 0 }))).toThrow(/epochSeconds/);
  });
});
