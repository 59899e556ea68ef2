/**
 * The verifier committee (issue 13, item 7), an option of every market mechanism: each delivered
 * proof is verified by max(size_min, ⌈share × provers⌉) provers drawn at random, the proving node
 * excluded, and each verifier is paid `fee_usd`. Source: ZkCloud, gevulotnetwork/gevulot-docs@1b722dc
 * `zkcloud-design/transactions.md:34-38` ("at least 10 participating", "1 percent of the entire set of
 * provers", VRF-chosen, "the prover who computes the proof is excluded") and `zkcloud-design/fees.md:51-53`
 * (verifiers "receive a small reward for all proofs on which all of the verifying provers agree").
 *
 * The shell carries it out (no mechanism sees it): verification is milliseconds of work and, per
 * `transactions.md:10`, the user need not wait for it, so it adds cost but no latency. The draw is a
 * hash of (the run's committee seed, job id, draw number): the same job draws the same way under
 * every mechanism when the same provers are active (common random numbers).
 */
import { hashUniform } from '../mechanisms/beacon.js';
import type { VerifierCommittee } from '../scenario/capacity-schema.js';
import type { DecisionHandler, MarketContext } from './context.js';
import { EMISSION, OPERATOR0, REQUESTERS } from './ledger.js';

/** Committee size for `provers` active provers: max(sizeMin, ⌈share × provers⌉). */
export function committeeSize(provers: number, sizeMin: number, share: number): number {
  // Rounded to 1e-9 first, so 0.01 × 300 (3.0000000000000004 in floating point) is 3, not 4.
  return Math.max(sizeMin, Math.ceil(Math.round(share * provers * 1e9) / 1e9));
}

/**
 * A uniform random k-subset of `eligible` (Floyd's algorithm: exactly k draws, no rejection), each
 * draw a hash of (seed, jobId, draw). All of `eligible` when k ≥ its length. Deterministic.
 */
export function drawCommittee(seed: number, jobId: number, eligible: readonly number[], k: number): number[] {
  const n = eligible.length;
  if (k >= n) return eligible.slice();
  const chosen = new Set<number>();
  const out: number[] = [];
  for (let j = n - k; j < n; j++) {
    const t = Math.floor(hashUniform(seed, jobId, j, 0x7e41) * (j + 1));
    const pick = chosen.has(t) ? j : t;
    chosen.add(pick);
    out.push(eligible[pick]!);
  }
  return out;
}

/** The committee of one run: wraps the outcomes room's `done` so each delivered proof is verified and paid. */
export interface CommitteeRoom {
  /** `done`, then (for a first delivery by a node) the committee's draw and payment. */
  wrap(done: DecisionHandler<'done'>): DecisionHandler<'done'>;
}

/**
 * Builds the committee of a market run, or undefined when the scenario has none (or it is switched
 * off). `seed` is the run's committee seed (its own named stream).
 */
export function createCommittee(ctx: MarketContext, rule: VerifierCommittee | undefined, seed: number): CommitteeRoom | undefined {
  if (!rule?.enabled) return undefined;
  const { nodes, ledger, metrics, jobs } = ctx;
  const fee = Math.round(rule.fee_usd * 1e6);
  const source = rule.paid_by === 'network' ? EMISSION : REQUESTERS;
  const eligible: number[] = [];

  function verify(jobId: number, prover: number): void {
    // The provers of the network now: active, not ejected (O(nodes) per proof; the option is opt-in).
    eligible.length = 0;
    let provers = 0;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      if (!n.active || n.ejected) continue;
      provers++;
      if (i !== prover) eligible.push(i);
    }
    const k = committeeSize(provers, rule!.size_min, rule!.share);
    const committee = drawCommittee(seed, jobId, eligible, k);
    metrics.verifications += committee.length;
    if (fee === 0) return;
    for (const v of committee) {
      ledger.transfer(source, OPERATOR0 + nodes[v]!.info.entity, fee);
      metrics.revenue += fee;
      metrics.verification += fee;
      if (source === EMISSION) metrics.emission += fee;
      else metrics.requesterPaid += fee;
    }
  }

  return {
    wrap(done) {
      return (d) => {
        const rec = jobs.get(d.jobId);
        const first = rec !== undefined && rec.outcome === '';
        done(d);
        if (first && d.outcome === 'delivered' && d.operator >= 0) verify(d.jobId, d.operator);
      };
    },
  };
}
