import { describe, expect, it } from 'vitest';
import { ESCROW } from '../src/market/ledger.js';
import { runMarket, type MarketResult } from '../src/market/market.js';
import { createMechanism, resolveMechanism } from '../src/comparison/run-scenario.js';
import { committeeSize, drawCommittee } from '../src/market/verifier-committee.js';
import { ScenarioError } from '../src/scenario/errors.js';
import { scenario } from './helpers.js';

function run(over: Record<string, unknown>, mechanism: unknown = 'random'): MarketResult {
  const s = scenario({ mechanisms: [mechanism], ...over });
  return runMarket({ scenario: s, mechanism: createMechanism(resolveMechanism(s.mechanisms[0]!)), seed: s.seed });
}

const ops = (entities: number) => [{ name: 'gpus', entities, hardware: 'gpu-rtx4090', margin: 0.1, failure_prob: 0.05 }];

describe('the verifier committee size', () => {
  it('is max(size_min, ceil(share × provers)): at least 10, 1% of the provers beyond 1,000 (ZkCloud)', () => {
    expect(committeeSize(5, 10, 0.01)).toBe(10);
    expect(committeeSize(1000, 10, 0.01)).toBe(10);
    expect(committeeSize(1001, 10, 0.01)).toBe(11);
    expect(committeeSize(1500, 10, 0.01)).toBe(15);
    expect(committeeSize(300, 1, 0.01)).toBe(3);
    expect(committeeSize(40, 1, 0.1)).toBe(4);
  });
});

describe('the committee draw', () => {
  const eligible = Array.from({ length: 40 }, (_, i) => i * 3);
  it('draws k distinct members of the eligible set, the same for the same (seed, job)', () => {
    for (let job = 0; job < 50; job++) {
      const c = drawCommittee(7, job, eligible, 10);
      expect(c).toHaveLength(10);
      expect(new Set(c).size).toBe(10);
      for (const v of c) expect(eligible).toContain(v);
      expect(drawCommittee(7, job, eligible, 10)).toEqual(c);
    }
    expect(drawCommittee(7, 1, eligible, 10)).not.toEqual(drawCommittee(8, 1, eligible, 10));
  });
  it('takes the whole eligible set when the committee is as large or larger', () => {
    expect(drawCommittee(1, 2, [4, 5, 6], 3)).toEqual([4, 5, 6]);
    expect(drawCommittee(1, 2, [4, 5, 6], 10)).toEqual([4, 5, 6]);
  });
  it('picks every eligible prover about equally often (each k/n of the draws, within 10%)', () => {
    const count = new Map<number, number>();
    const jobs = 20_000;
    for (let job = 0; job < jobs; job++) for (const v of drawCommittee(3, job, eligible, 10)) count.set(v, (count.get(v) ?? 0) + 1);
    const expected = (jobs * 10) / eligible.length;
    for (const v of eligible) expect(Math.abs(count.get(v)! / expected - 1)).toBeLessThan(0.1);
  });
});

describe('a market run with a verifier committee', () => {
  const committee = { size_min: 4, share: 0.01, fee_usd: 0.002 };
  const without = run({ operators: ops(20) });
  const withIt = run({ operators: ops(20), verifier_committee: committee });

  it('verifies each delivered proof by max(size_min, 1%) provers and pays each fee_usd', () => {
    const m = withIt.metrics;
    expect(m.delivered).toBeGreaterThan(50);
    expect(m.verifications).toBe(4 * m.delivered);
    expect(m.verification).toBe(2000 * m.verifications);
  });

  it('changes money only: the same jobs end the same way, and the requesters pay exactly the committee on top', () => {
    const a = without.metrics;
    const b = withIt.metrics;
    expect([b.submitted, b.delivered, b.onTime, b.failed, b.expired]).toEqual([a.submitted, a.delivered, a.onTime, a.failed, a.expired]);
    expect(b.requesterPaid - a.requesterPaid).toBe(b.verification);
    expect(b.revenue - a.revenue).toBe(b.verification);
    expect(a.verification).toBe(0);
  });

  it('conserves money: balances sum to zero and requesters pay = revenue − emission + protocol + burned − slashed', () => {
    for (const r of [withIt, run({ operators: ops(20), verifier_committee: { ...committee, paid_by: 'network' } })]) {
      const m = r.metrics;
      expect(r.ledger.total()).toBe(0);
      expect(r.ledger.escrowTotal()).toBe(r.ledger.balance(ESCROW));
      expect(m.requesterPaid + m.slashed).toBe(m.revenue - m.emission + m.protocol + m.burned);
    }
  });

  it('mints the fees when paid_by is network (counted in emission, not in the requesters’ cost)', () => {
    const net = run({ operators: ops(20), verifier_committee: { ...committee, paid_by: 'network' } });
    expect(net.metrics.emission).toBe(net.metrics.verification);
    expect(net.metrics.requesterPaid).toBe(without.metrics.requesterPaid);
  });

  it('excludes the prover: with a committee larger than the network, the other provers verify', () => {
    const r = run({ operators: ops(6), verifier_committee: { size_min: 50, fee_usd: 0.001 } });
    expect(r.metrics.verifications).toBe(5 * r.metrics.delivered);
  });

  it('is off with enabled: false, and under the self-hosted baseline', () => {
    expect(run({ operators: ops(20), verifier_committee: { ...committee, enabled: false } }).metrics.verifications).toBe(0);
    const sh = run({ operators: ops(20), verifier_committee: committee }, { id: 'self-hosted', params: { nodes: 4 } });
    expect(sh.metrics.delivered).toBeGreaterThan(0);
    expect(sh.metrics.verifications).toBe(0);
  });

  it('works under every mechanism (each pays its committee and conserves money)', () => {
    for (const mech of ['race', 'order-book', 'reverse-dutch', 'sealed-bid', 'first-fit', 'batch-auction']) {
      const r = run({ operators: ops(12), verifier_committee: committee, duration: '12h' }, mech);
      const m = r.metrics;
      expect(m.verifications, mech).toBe(4 * m.delivered);
      expect(r.ledger.total(), mech).toBe(0);
      expect(m.requesterPaid + m.slashed, mech).toBe(m.revenue - m.emission + m.protocol + m.burned);
    }
  });
});

describe('the verifier_committee key', () => {
  const err = (vc: unknown): string => {
    try {
      scenario({ verifier_committee: vc });
    } catch (e) {
      if (e instanceof ScenarioError) return e.message;
      throw e;
    }
    return '';
  };
  it('refuses a share outside 0-1, a size below 1, a missing fee and unknown keys, naming the field', () => {
    expect(err({ fee_usd: 0.01, share: 2 })).toMatch(/verifier_committee\.share: expected a share from 0 to 1/);
    expect(err({ fee_usd: 0.01, size_min: 0 })).toMatch(/verifier_committee\.size_min: expected an integer ≥ 1/);
    expect(err({})).toMatch(/verifier_committee\.fee_usd/);
    expect(err({ fee_usd: 0.01, size: 3 })).toMatch(/verifier_committee: unknown key "size"/);
    expect(err({ fee_usd: 0.01, paid_by: 'me' })).toMatch(/verifier_committee\.paid_by/);
  });
});
