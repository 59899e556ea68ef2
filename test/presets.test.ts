/**
 * One test per rule of issue 12's table: each preset against its protocol's source. Money rules are
 * checked on a single job. Sources: docs/mechanisms/*.md ("Sources" sections).
 */
import { describe, expect, it } from 'vitest';
import { EPOCH_JOB, TAG_EPOCH } from '../src/mechanisms/emission.js';
import { proofRace } from '../src/mechanisms/race/index.js';
import { randomAllocation, TAG_CAP0, TAG_READMIT0 } from '../src/mechanisms/random/index.js';
import { reverseDutch, TAG_LOCK_EXPIRED } from '../src/mechanisms/reverse-dutch/index.js';
import { sealedBid, TAG_CLOSE } from '../src/mechanisms/sealed-bid/index.js';
import type { Decision, Input, InputDraft, Mechanism, ProtocolState } from '../src/mechanisms/types.js';
import { Driver, job, op } from './mechanisms-rd-sb-sh.driver.js';

const LIMIT = 1_000_000;

/** Feeds numbered inputs to a mechanism (the core refuses a repeated input id). */
let nextId = 1;
function feeder<S extends ProtocolState>(m: Mechanism<S>, s: S, out: Decision[]): (input: InputDraft, now: number) => void {
  const rnd = { next: () => 0.5 };
  return (input, now) => m.step(s, { ...input, id: nextId++ } as Input, now, rnd, out);
}

describe('succinct (succinctlabs/network@b80c118, docs.succinct.xyz)', () => {
  const win = (params: Parameters<typeof sealedBid>[0], price: number, ops = [op(0), op(1)]) => {
    const d = new Driver(sealedBid(params), ops);
    d.submit(job({ id: 0, maxPrice: LIMIT, deadline: 3600 }), 0);
    d.step({ type: 'bid', jobId: 0, operator: 0, price }, 1);
    d.step({ type: 'timer', jobId: 0, tag: TAG_CLOSE }, 30);
    return d;
  };

  it('cost = bid + base fee: the prover is paid both, the requester pays both (crates/vapp/src/state.rs:902)', () => {
    const d = win({ preset: 'succinct', baseFeeUsd: 0.1 }, 400_000);
    expect(d.of('assign')[0]!.price).toBe(500_000);
    d.step({ type: 'deliver', jobId: 0, operator: 0 }, 200);
    expect(d.of('settle')).toEqual([{ type: 'settle', jobId: 0, operator: 0, amount: 500_000, source: 'escrow' }]);
    expect(d.bal.requester).toBe(-500_000);
    expect(d.conserved()).toBe(true);
  });

  it('a bid above the price limit minus the base fee is ignored (max cost = base_fee + max_price_per_pgu × gas_limit, PROTOCOL.md:121)', () => {
    const d = win({ preset: 'succinct', baseFeeUsd: 0.1 }, 950_000);
    expect(d.of('assign')).toHaveLength(0);
    expect(d.done.get(0)?.outcome).toBe('failed');
  });

  it('stake sets how many auctions a node may join at once; a node without capital for stake cannot bid (docs protocol/spn/staking)', () => {
    const d = new Driver(sealedBid({ preset: 'succinct', stakeUsd: 20, stakePerJobUsd: 10 }), [op(0), { ...op(1), capitalUsd: 5 }]);
    for (let i = 0; i < 3; i++) {
      d.submit(job({ id: i, maxPrice: LIMIT, deadline: 3600 }), i);
      d.step({ type: 'bid', jobId: i, operator: 0, price: 100_000 }, i);
      d.step({ type: 'bid', jobId: i, operator: 1, price: 50_000 }, i);
      d.step({ type: 'timer', jobId: i, tag: TAG_CLOSE }, i + 0.5);
    }
    // Node 1 ($5 of capital) never wins despite bidding lower; node 0 holds 2 (= $20 / $10), the third fails.
    expect(d.of('assign').map((a) => a.operator)).toEqual([0, 0]);
    expect(d.done.get(2)?.outcome).toBe('failed');
    // Without slashing the stake is only counted: no money moves.
    expect(d.of('collateral')).toEqual([]);
  });

  it('a missed deadline slashes stake, so a zero-price griefer loses money and, once its capital is gone, stops winning (docs provers/how-it-works)', () => {
    const d = new Driver(sealedBid({ preset: 'succinct', slashOnMiss: true, stakeUsd: 10, stakePerJobUsd: 10, restake: true }), [
      { ...op(0), capitalUsd: 20 },
      op(1),
    ]);
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const t = i * 10_000;
      d.submit(job({ id: i, maxPrice: LIMIT, deadline: t + 3600 }), t);
      d.step({ type: 'bid', jobId: i, operator: 0, price: 0 }, t + 1);
      d.step({ type: 'bid', jobId: i, operator: 1, price: 300_000 }, t + 1);
      d.step({ type: 'timer', jobId: i, tag: TAG_CLOSE }, t + 30);
      const winner = d.of('assign').at(-1)!.operator;
      if (winner === 0) d.step({ type: 'fail', jobId: i, operator: 0 }, t + 90);
      else d.step({ type: 'deliver', jobId: i, operator: 1 }, t + 500);
      outcomes.push(`${winner}:${d.done.get(i)!.outcome}`);
    }
    // $20 of capital: $10 staked, slashed, re-staked, slashed; the third job goes to the honest bid.
    expect(outcomes).toEqual(['0:failed', '0:failed', '1:delivered']);
    expect(d.bal.op0).toBe(-20_000_000);
    expect(d.of('slash').map((s) => s.burn + s.toTreasury)).toEqual([10_000_000, 10_000_000]);
    expect(d.conserved()).toBe(true);
  });

  it('the dispenser pays DISPENSE_RATE × epoch in tokens to stakers in proportion to stake (SuccinctStaking.sol dispense; docs protocol/spn/parameters)', () => {
    const m = sealedBid({ preset: 'succinct', dispenseTokenUsd: 1, dispenseRate: 0.063, dispenseEpoch: 100, stakeUsd: 30 });
    const s = m.init([op(0), { ...op(1), capitalUsd: 10 }]);
    const out: Decision[] = [];
    const step = feeder(m, s, out);
    step({ type: 'submit', job: job({ id: 0, maxPrice: LIMIT }) }, 5);
    expect(out.filter((d) => d.type === 'timer' && d.jobId === EPOCH_JOB)).toEqual([
      { type: 'timer', jobId: EPOCH_JOB, at: 100, tag: TAG_EPOCH },
    ]);
    out.length = 0;
    step({ type: 'timer', jobId: EPOCH_JOB, tag: TAG_EPOCH }, 100);
    const paid = out.filter((d): d is Extract<Decision, { type: 'settle' }> => d.type === 'settle');
    // 6.3 tokens × $1 = 6,300,000 µUSD, split 30 : 10.
    expect(paid.map((p) => [p.operator, p.amount, p.source])).toEqual([
      [0, 4_725_000, 'emission'],
      [1, 1_575_000, 'emission'],
    ]);
  });

  it('the succinct preset caps a node at 4 jobs by stake ($40 at $10 per auction), as the flat cap did', () => {
    const m = sealedBid({ preset: 'succinct' });
    expect(m.params).toMatchObject({ stakeUsd: 40, stakePerJobUsd: 10, slashOnMiss: false });
  });
});

describe('aleo (ProvableHQ/snarkVM@ca47c59 target.rs, synthesizer/src/vm/helpers/rewards.rs)', () => {
  const settles = (out: Decision[]) => out.filter((d): d is Extract<Decision, { type: 'settle' }> => d.type === 'settle');

  it('every accepted solution is paid puzzle_reward × target / Σ target from the epoch budget, not winner-take-all (rewards.rs proving_rewards)', () => {
    const m = proofRace({ preset: 'aleo', epochTokens: 10, epochFullAtMcycles: 0 });
    const s = m.init([op(0), op(1)]);
    const out: Decision[] = [];
    const step = feeder(m, s, out);
    step({ type: 'submit', job: job({ id: 0, mcycles: 300, deadline: 3600 }) }, 0);
    step({ type: 'submit', job: job({ id: 1, mcycles: 100, deadline: 3600 }) }, 0);
    step({ type: 'join-race', jobId: 0, operator: 0 }, 0);
    step({ type: 'join-race', jobId: 1, operator: 1 }, 0);
    step({ type: 'deliver', jobId: 0, operator: 0 }, 50);
    step({ type: 'deliver', jobId: 1, operator: 1 }, 60);
    expect(settles(out)).toEqual([]);
    expect(out.some((d) => d.type === 'abort')).toBe(false);
    out.length = 0;
    step({ type: 'timer', jobId: EPOCH_JOB, tag: TAG_EPOCH }, 3600);
    // $10 split 300 : 100.
    expect(settles(out).map((d) => [d.operator, d.amount, d.source])).toEqual([
      [0, 7_500_000, 'emission'],
      [1, 2_500_000, 'emission'],
    ]);
  });

  it('two racers on one job both earn: the second solution counts too (losers do not abort)', () => {
    const m = proofRace({ preset: 'aleo', epochTokens: 8, epochFullAtMcycles: 0 });
    const s = m.init([op(0), op(1)]);
    const out: Decision[] = [];
    const step = feeder(m, s, out);
    step({ type: 'submit', job: job({ id: 0, mcycles: 200, deadline: 3600 }) }, 0);
    step({ type: 'join-race', jobId: 0, operator: 0 }, 0);
    step({ type: 'join-race', jobId: 0, operator: 1 }, 0);
    step({ type: 'deliver', jobId: 0, operator: 1 }, 40);
    step({ type: 'deliver', jobId: 0, operator: 0 }, 45);
    step({ type: 'timer', jobId: EPOCH_JOB, tag: TAG_EPOCH }, 3600);
    expect(settles(out).map((d) => [d.operator, d.amount])).toEqual([
      [1, 4_000_000],
      [0, 4_000_000],
    ]);
  });

  it('the epoch pays at most its budget whatever the work, and budget × work / C below the coinbase target C (target.rs coinbase_reward_v2)', () => {
    const paidFor = (mcycles: number[]) => {
      const m = proofRace({ preset: 'aleo' });
      const s = m.init(mcycles.map((_, i) => op(i)));
      const out: Decision[] = [];
      const step = feeder(m, s, out);
      mcycles.forEach((mc, i) => {
        step({ type: 'submit', job: job({ id: i, mcycles: mc, deadline: 3600 }) }, 0);
        step({ type: 'join-race', jobId: i, operator: i }, 0);
        step({ type: 'deliver', jobId: i, operator: i }, 100);
      });
      step({ type: 'timer', jobId: EPOCH_JOB, tag: TAG_EPOCH }, 3600);
      return settles(out).reduce((a, d) => a + d.amount, 0);
    };
    // The preset: $31.40 an hour, in full at 62,800 Mcycles ($0.0005 per Mcycle below it).
    expect(paidFor([1000, 1000])).toBe(1_000_000);
    expect(paidFor([60_000, 60_000])).toBe(31_400_000);
    // Ten times the work: still the budget (each share rounded down, the remainder never minted).
    const capped = paidFor([600_000, 600_000, 600_000]);
    expect(capped).toBeLessThanOrEqual(31_400_000);
    expect(capped).toBeGreaterThan(31_400_000 - 3);
  });
});

describe('boundless (boundless-xyz/boundless@3835bc4)', () => {
  const submitAndLock = (params: Parameters<typeof reverseDutch>[0], ops = [op(0), op(1)]) => {
    const d = new Driver(reverseDutch({ preset: 'boundless', lockDelay: 0, ...params }), ops);
    d.submit(job({ id: 0, mcycles: 100, maxPrice: LIMIT, deadline: 7200 }), 0);
    d.step({ type: 'lock', jobId: 0, operator: 0 }, 200);
    return d;
  };

  it("a lock reverts when the prover's collateral balance is below the lock collateral (BoundlessMarket.sol:227)", () => {
    const d = submitAndLock({}, [{ ...op(0), capitalUsd: 19 }, op(1)]);
    expect(d.of('assign')).toHaveLength(0);
    expect(d.of('collateral')).toHaveLength(0);
    d.step({ type: 'lock', jobId: 0, operator: 1 }, 201);
    expect(d.of('assign').map((a) => a.operator)).toEqual([1]);
    expect(d.of('collateral')).toEqual([{ type: 'collateral', jobId: 0, operator: 1, amount: 20_000_000 }]);
  });

  it('a slashed collateral leaves the balance short: the next lock of that prover reverts', () => {
    const d = new Driver(reverseDutch({ preset: 'boundless', lockDelay: 0, proofRetries: 0 }), [{ ...op(0), capitalUsd: 30 }, op(1)]);
    d.submit(job({ id: 0, mcycles: 100, maxPrice: LIMIT, deadline: 7200 }), 0);
    d.step({ type: 'lock', jobId: 0, operator: 0 }, 200);
    d.step({ type: 'fail', jobId: 0, operator: 0 }, 300);
    const lockDl = 0 + 130 + 1800 + 700; // rampUpStart (30 s base + 100 s executor) + lockTimeout
    d.step({ type: 'timer', jobId: 0, tag: TAG_LOCK_EXPIRED }, lockDl + 1);
    d.step({ type: 'timer', jobId: 0, tag: 2 }, 99_999);
    expect(d.of('slash')).toHaveLength(1);
    d.submit(job({ id: 1, mcycles: 100, maxPrice: LIMIT, deadline: 200_000 }), 100_000);
    d.step({ type: 'lock', jobId: 1, operator: 0 }, 100_200);
    expect(d.of('assign').filter((a) => a.jobId === 1)).toHaveLength(0);
  });

  it("with proofRetries: 1 a failed locker may retry once while its lock stands (the broker's proof_retry_count = 1, broker-template.toml; the boundless preset leaves it to the shell)", () => {
    const d = submitAndLock({ proofRetries: 1 });
    d.step({ type: 'fail', jobId: 0, operator: 0 }, 300);
    expect(d.of('assign').map((a) => [a.operator, a.role])).toEqual([
      [0, 'winner'],
      [0, 'winner'],
    ]);
    d.step({ type: 'fail', jobId: 0, operator: 0 }, 400);
    expect(d.of('assign')).toHaveLength(2);
    const retried = submitAndLock({ proofRetries: 1 });
    retried.step({ type: 'fail', jobId: 0, operator: 0 }, 300);
    retried.step({ type: 'deliver', jobId: 0, operator: 0 }, 500);
    expect(retried.done.get(0)).toMatchObject({ outcome: 'delivered', operator: 0 });
    expect(retried.of('release')).toEqual([{ type: 'release', jobId: 0, operator: 0, amount: 20_000_000 }]);
  });

  it('PoVW pays 75% of the epoch emission to provers in proportion to their work (zkc@9cf057e ZKC.sol:58, povw mint-calculator)', () => {
    const m = reverseDutch({ preset: 'boundless', lockDelay: 0, povwZkcUsd: 1e-4, povwEpoch: 1000 });
    const s = m.init([op(0), op(1)]);
    const out: Decision[] = [];
    const step = feeder(m, s, out);
    step({ type: 'submit', job: job({ id: 0, mcycles: 300, maxPrice: LIMIT, deadline: 7200 }) }, 0);
    step({ type: 'submit', job: job({ id: 1, mcycles: 100, maxPrice: LIMIT, deadline: 7200 }) }, 0);
    step({ type: 'lock', jobId: 0, operator: 0 }, 200);
    step({ type: 'lock', jobId: 1, operator: 1 }, 200);
    step({ type: 'deliver', jobId: 0, operator: 0 }, 400);
    step({ type: 'deliver', jobId: 1, operator: 1 }, 500);
    out.length = 0;
    step({ type: 'timer', jobId: EPOCH_JOB, tag: TAG_EPOCH }, 1000);
    const minted = out.filter((d): d is Extract<Decision, { type: 'settle' }> => d.type === 'settle');
    // 0.75 × 7% × 1e9 / 182 = 288,461.5 ZKC at $0.0001: $28.85, split 3 : 1.
    const budget = Math.floor(((0.75 * 0.07 * 1e9) / 182) * 1e-4 * 1e6);
    expect(minted.map((d) => [d.operator, d.source])).toEqual([
      [0, 'emission'],
      [1, 'emission'],
    ]);
    expect(minted[0]!.amount).toBe(Math.floor((budget * 3) / 4));
    expect(minted[1]!.amount).toBe(Math.floor(budget / 4));
  });
});

describe('zkcloud (gevulot-docs@1b722dc zkcloud-design/provers.md, fees.md)', () => {
  const gpu = (id: number, capitalUsd?: number) => ({ ...op(id), ...(capitalUsd !== undefined ? { capitalUsd } : {}) });
  const driver = (params: Parameters<typeof randomAllocation>[0], ops = [gpu(0), gpu(1), gpu(2)]) => {
    const m = randomAllocation({ preset: 'zkcloud', ...params });
    const st = m.init(ops);
    const rnd = { next: () => 0.25 };
    return {
      m,
      step(input: InputDraft, now: number): Decision[] {
        const out: Decision[] = [];
        // Every submission carries a 32-byte beacon, as the core requires.
        const beacon = input.type === 'submit' ? new Uint8Array(32).map((_, i) => (input.job.id * 31 + i * 7) & 255) : undefined;
        m.step(st, { ...input, ...(beacon ? { beacon } : {}), id: nextId++ } as Input, now, rnd, out);
        return out;
      },
    };
  };
  const of = <T extends Decision['type']>(ds: Decision[], t: T) => ds.filter((d): d is Extract<Decision, { type: T }> => d.type === t);
  const j = (id: number, submittedAt = 0) =>
    job({ id, mcycles: 1000, maxPrice: 10_000_000, estSeconds: 3600, submittedAt, deadline: submittedAt + 7200 });

  it('a second decline within a week removes the prover, even under the 4-a-month limit (provers.md:41)', () => {
    const d = driver({}, [gpu(0)]);
    d.step({ type: 'submit', job: j(0) }, 0);
    expect(of(d.step({ type: 'decline', jobId: 0, operator: 0 }, 10), 'timer').some((t) => t.tag >= TAG_READMIT0)).toBe(false);
    d.step({ type: 'submit', job: j(1, 86_400) }, 86_400);
    const out = d.step({ type: 'decline', jobId: 1, operator: 0 }, 86_410);
    expect(of(out, 'timer').filter((t) => t.tag === TAG_READMIT0 + 0)).toHaveLength(1);
    // Eight days later, one decline a week is allowed again (a fresh prover).
    const d2 = driver({}, [gpu(0)]);
    d2.step({ type: 'submit', job: j(0) }, 0);
    d2.step({ type: 'decline', jobId: 0, operator: 0 }, 10);
    d2.step({ type: 'submit', job: j(1, 8 * 86_400) }, 8 * 86_400);
    expect(of(d2.step({ type: 'decline', jobId: 1, operator: 0 }, 8 * 86_400 + 10), 'timer').some((t) => t.tag >= TAG_READMIT0)).toBe(
      false,
    );
  });

  it('a prover that never answers holds the job only until the max compute time; the fallback then takes it and the silent prover is removed (provers.md:39,47-53; no acceptance input in the core, see random.md)', () => {
    const d = driver({});
    const a = of(d.step({ type: 'submit', job: j(0) }, 0), 'assign')[0]!;
    const fb = d.step({ type: 'timer', jobId: 0, tag: TAG_CAP0 + a.operator }, 3600 * 1.2);
    const f = of(fb, 'assign')[0]!;
    expect(f.role).toBe('fallback');
    const out = d.step({ type: 'deliver', jobId: 0, operator: f.operator }, 5000);
    expect(of(out, 'timer').filter((t) => t.tag === TAG_READMIT0 + a.operator)).toHaveLength(1);
  });

  it('an attempt still running at the declared max compute time is stopped; if the fallback also runs out, the fee is burned (fees.md:29)', () => {
    const d = driver({});
    const a = of(d.step({ type: 'submit', job: j(0) }, 0), 'assign')[0]!;
    const cap = 3600 * 1.2;
    const fb = d.step({ type: 'timer', jobId: 0, tag: TAG_CAP0 + a.operator }, cap);
    expect(of(fb, 'abort')).toEqual([{ type: 'abort', jobId: 0, operator: a.operator }]);
    const f = of(fb, 'assign')[0]!;
    expect(f.role).toBe('fallback');
    const out = d.step({ type: 'timer', jobId: 0, tag: TAG_CAP0 + f.operator }, 2 * cap);
    expect(of(out, 'burn')).toEqual([{ type: 'burn', jobId: 0, amount: a.price }]);
  });

  it('the fallback starts at the max compute time, not at the instant of the failure (provers.md:47)', () => {
    const d = driver({});
    const a = of(d.step({ type: 'submit', job: j(0) }, 0), 'assign')[0]!;
    expect(of(d.step({ type: 'fail', jobId: 0, operator: a.operator }, 60), 'assign')).toEqual([]);
    expect(of(d.step({ type: 'timer', jobId: 0, tag: TAG_CAP0 + a.operator }, 4320), 'assign')).toHaveLength(1);
  });

  it('a removed prover re-stakes from its capital and returns after the cooldown; without the capital to restore its stake it stays out (provers.md:29,33)', () => {
    const run = (capitalUsd?: number) => {
      const d = driver({ restakeAfter: 1000 }, [gpu(0, capitalUsd), gpu(1, capitalUsd)]);
      const a = of(d.step({ type: 'submit', job: j(0) }, 0), 'assign')[0]!;
      d.step({ type: 'fail', jobId: 0, operator: a.operator }, 60);
      const f = of(d.step({ type: 'timer', jobId: 0, tag: TAG_CAP0 + a.operator }, 4320), 'assign')[0]!;
      const done = d.step({ type: 'deliver', jobId: 0, operator: f.operator }, 5000);
      d.step({ type: 'timer', jobId: -1, tag: TAG_READMIT0 + a.operator }, 6000);
      // The fallback prover has not reported itself free: only a returned first prover can take job 1.
      return { a, done, next: of(d.step({ type: 'submit', job: j(1, 6000) }, 6000), 'assign') };
    };
    const back = run(undefined);
    // Its stake paid the requester's refund: slashed to the fallback prover.
    expect(of(back.done, 'slash')[0]!.reward).toBe(Math.floor(back.a.price / 2));
    expect(back.next.map((x) => x.operator)).toEqual([back.a.operator]);
    // $100 of capital, all of it staked at join: the slashed part cannot be restored.
    expect(run(100).next).toEqual([]);
  });

  it('a network reward, a share of the fee, is minted for an on-time proof (fees.md:49)', () => {
    const d = driver({ networkRewardShare: 0.1 });
    const a = of(d.step({ type: 'submit', job: j(0) }, 0), 'assign')[0]!;
    const out = d.step({ type: 'deliver', jobId: 0, operator: a.operator }, 3000);
    expect(of(out, 'settle').map((x) => [x.amount, x.source])).toEqual([
      [a.price, 'escrow'],
      [Math.floor(a.price * 0.1), 'emission'],
    ]);
  });
});
