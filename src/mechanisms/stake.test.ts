import { describe, expect, it } from 'vitest';
import { concurrency, eligible, freeStake, join, lock, noStake, restake, slash, stakeBook, unlock, type StakeParams } from './stake.js';
import type { Decision, OperatorInfo } from './types.js';

const info = (id: number, capitalUsd?: number): OperatorInfo => ({
  id,
  entity: id,
  capacity: { cpus: 8, gpus: 1, memoryGb: 32 },
  hardware: 'gpu',
  ...(capitalUsd !== undefined ? { capitalUsd } : {}),
});
const params = (over: Partial<StakeParams> = {}): StakeParams => ({
  ...noStake,
  stakeUsd: 100,
  perJobUsd: 25,
  slashShare: 1,
  slashBurnShare: 0.5,
  ...over,
});

describe('stake: posted at join, bounded by capital', () => {
  it('a node posts the required stake, or all its capital if that is less', () => {
    const b = stakeBook(params());
    join(b, info(0));
    join(b, info(1, 40));
    expect(freeStake(b, 0)).toBe(100_000_000);
    expect(freeStake(b, 1)).toBe(40_000_000);
  });

  it('stake sets how many jobs a node may hold at once (Succinct docs protocol/spn/staking: stake determines concurrent auctions)', () => {
    const b = stakeBook(params());
    join(b, info(0));
    join(b, info(1, 40));
    expect(concurrency(b, 0)).toBe(4);
    expect(concurrency(b, 1)).toBe(1);
    const out: Decision[] = [];
    for (let i = 0; i < 4; i++) {
      expect(eligible(b, 0, 0)).toBe(true);
      lock(b, 0, i, out);
    }
    expect(eligible(b, 0, 0)).toBe(false);
    expect(out.filter((d) => d.type === 'collateral')).toHaveLength(4);
  });

  it('a delivered job returns its locked stake', () => {
    const b = stakeBook(params());
    join(b, info(0));
    const out: Decision[] = [];
    const amount = lock(b, 0, 9, out);
    unlock(b, 0, 9, amount, out);
    expect(freeStake(b, 0)).toBe(100_000_000);
    expect(out).toEqual([
      { type: 'collateral', jobId: 9, operator: 0, amount: 25_000_000 },
      { type: 'release', jobId: 9, operator: 0, amount: 25_000_000 },
    ]);
  });

  it('a missed deadline slashes the stake backing the job, so a zero-price griefer still loses money (Succinct docs provers/how-it-works: "part of your stake will be slashed")', () => {
    const b = stakeBook(params());
    join(b, info(0));
    const out: Decision[] = [];
    const amount = lock(b, 0, 1, out);
    expect(slash(b, 0, 1, amount, 10, out)).toBe(25_000_000);
    expect(out[1]).toEqual({ type: 'slash', jobId: 1, operator: 0, burn: 12_500_000, toOperator: -1, reward: 0, toTreasury: 12_500_000 });
    expect(freeStake(b, 0)).toBe(75_000_000);
    expect(concurrency(b, 0)).toBe(3);
  });

  it('once its stake is gone a node is no longer eligible, unless it may re-stake from capital', () => {
    const b = stakeBook(params({ stakeUsd: 25 }));
    join(b, info(0, 25));
    const out: Decision[] = [];
    slash(b, 0, 1, lock(b, 0, 1, out), 0, out);
    expect(eligible(b, 0, 100)).toBe(false);
    expect(restake(b, 0, 100)).toBe(false);
  });

  it('a slashed or removed node re-stakes from its remaining capital and returns after the cooldown', () => {
    const b = stakeBook(params({ stakeUsd: 25, restake: true, restakeDelay: 60 }));
    join(b, info(0, 60));
    const out: Decision[] = [];
    slash(b, 0, 1, lock(b, 0, 1, out), 10, out);
    expect(eligible(b, 0, 20)).toBe(false);
    expect(eligible(b, 0, 70)).toBe(true);
    slash(b, 0, 2, lock(b, 0, 2, out), 80, out);
    // 60 of capital: 25 at join, 25 at the first re-stake, 10 left: not enough for a job.
    expect(eligible(b, 0, 1000)).toBe(false);
  });

  it('no stake rule: always eligible, no money moves', () => {
    const b = stakeBook(noStake);
    join(b, info(0));
    const out: Decision[] = [];
    expect(eligible(b, 0, 0)).toBe(true);
    expect(lock(b, 0, 1, out)).toBe(0);
    expect(concurrency(b, 0)).toBe(Infinity);
    expect(out).toEqual([]);
  });
});
