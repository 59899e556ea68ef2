import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ESCROW } from '../src/market/ledger.js';
import { runMarket } from '../src/market/market.js';
import { createMechanism, resolveMechanism } from '../src/comparison/run-scenario.js';
import { scenario } from './helpers.js';

const arbScenario = fc.record({
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  entities: fc.integer({ min: 1, max: 12 }),
  failure: fc.double({ min: 0, max: 0.5, noNaN: true }),
  redundancy: fc.integer({ min: 1, max: 3 }),
  meanGap: fc.integer({ min: 30, max: 1200 }),
  deadline: fc.integer({ min: 600, max: 14400 }),
  priceLimit: fc.double({ min: 0.0001, max: 0.002, noNaN: true }),
  // Issue 13: a verifier committee (either payer) on some of the generated scenarios.
  committee: fc.option(
    fc.record({
      size_min: fc.integer({ min: 1, max: 15 }),
      share: fc.double({ min: 0, max: 0.5, noNaN: true }),
      fee_usd: fc.double({ min: 0, max: 0.01, noNaN: true }),
      paid_by: fc.constantFrom('requester', 'network'),
    }),
    { nil: undefined },
  ),
  // Issue 13: multi-job nodes (bin packing) on some of the generated scenarios.
  concurrent: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  // Issue 13: chunked proving with aggregation on some of the generated scenarios.
  chunking: fc.option(
    fc.record({
      chunk_mcycles: fc.integer({ min: 50, max: 600 }),
      overhead_s: fc.integer({ min: 0, max: 60 }),
      aggregation_mcycles: fc.integer({ min: 0, max: 40 }),
    }),
    { nil: undefined },
  ),
  mechanism: fc.constantFrom(
    'random',
    { id: 'random', preset: 'zkcloud' },
    { id: 'random', preset: 'gevulot-2023' },
    { id: 'random', params: { onNoCapacity: 'fail', lastResortRace: true, protocolShare: 0.1, txFeeUsd: 0.01 } },
    'first-fit',
    { id: 'first-fit', preset: 'fermah' },
    { id: 'first-fit', params: { committed: false, priceShare: 0.8, protocolFeeBps: 500, retries: 0 } },
    'batch-auction',
    { id: 'batch-auction', preset: 'dara-5m' },
    { id: 'batch-auction', params: { period: 15, askTtl: 600, retries: 0 } },
    'reputation',
    { id: 'reputation', preset: 'aztec-2489' },
    { id: 'reputation', params: { weighting: 'reputation', topShare: 0.5, exploration: 0.3, backupProvers: 3, protocolFeeBps: 250 } },
    { id: 'reputation', params: { backupProvers: 0, windowShare: 0.1 } },
    'contestable',
    { id: 'contestable', preset: 'taiko-pacaya' },
    { id: 'contestable', preset: 'taiko-pr14531' },
    // Cooldowns short enough to end within the run's drain; wrong proofs and false contests frequent.
    { id: 'contestable', params: { cooldown: 1800, contestDelay: 60, resolveDelay: 600, invalidProofProb: 0.2, falseContestProb: 0.2 } },
    { id: 'contestable', preset: 'taiko-ontake', params: { provingWindow: 300, cooldown: 3600, invalidProofProb: 0.3, taikoUsd: 0.01 } },
  ),
});

describe('the ledger', () => {
  it('reconciles to zero, escrow matches the per-job escrows, and every closed job leaves no escrow (generated scenarios)', () => {
    fc.assert(
      fc.property(arbScenario, (g) => {
        const s = scenario({
          seed: g.seed,
          duration: '12h',
          mechanisms: [g.mechanism],
          operators: [
            {
              name: 'gpus',
              entities: g.entities,
              hardware: 'gpu-rtx4090',
              margin: 0.1,
              failure_prob: g.failure,
              ...(g.concurrent ? { devices: g.concurrent, concurrent_jobs: true } : {}),
            },
          ],
          requesters: [
            {
              name: 'apps',
              arrival: { dist: 'exponential', mean: g.meanGap },
              size_mcycles: { dist: 'lognormal', median: 300, sigma: 0.8 },
              deadline: g.deadline,
              redundancy: g.redundancy,
              max_price_usd_per_mcycle: g.priceLimit,
              ...(g.chunking ? { chunking: g.chunking } : {}),
            },
          ],
          ...(g.committee ? { verifier_committee: g.committee } : {}),
        });
        const r = runMarket({ scenario: s, mechanism: createMechanism(resolveMechanism(s.mechanisms[0]!)), seed: g.seed });
        const m = r.metrics;
        expect(r.ledger.total()).toBe(0);
        expect(r.ledger.escrowTotal()).toBe(r.ledger.balance(ESCROW));
        if (r.openJobs === 0) expect(r.ledger.openEscrows()).toBe(0);
        // Every dollar a requester paid, or an operator forfeited (ZkCloud's fallback top-up from the
        // failed prover's stake), went to an operator, the protocol, or was burned.
        expect(m.requesterPaid + m.slashed).toBe(m.revenue - m.emission + m.protocol + m.burned);
        // Every job ended in exactly one state.
        expect(m.delivered + m.failed + m.expired + m.rejected + r.openJobs).toBe(m.submitted);
        expect(m.onTime).toBeLessThanOrEqual(m.delivered);
      }),
      { numRuns: 60 },
    );
  });

  it('reconciles with gang jobs too: N nodes per job, payments shared among members, under every mechanism (generated scenarios)', () => {
    const arbGang = fc.record({
      seed: fc.integer({ min: 0, max: 1_000_000 }),
      gang: fc.integer({ min: 2, max: 6 }),
      bigNodes: fc.integer({ min: 2, max: 10 }),
      solos: fc.integer({ min: 0, max: 6 }),
      failure: fc.double({ min: 0, max: 0.4, noNaN: true }),
      meanGap: fc.integer({ min: 60, max: 900 }),
      deadline: fc.integer({ min: 120, max: 3600 }),
      mechanism: fc.constantFrom(
        'random',
        { id: 'random', preset: 'zkcloud' },
        'race',
        'order-book',
        'reverse-dutch',
        { id: 'sealed-bid', params: { auctionPeriod: 5 } },
        { id: 'sealed-bid', preset: 'succinct' },
        { id: 'self-hosted', params: { nodes: 6 } },
        'first-fit',
        { id: 'first-fit', params: { committed: false, priceShare: 0.8, protocolFeeBps: 500 } },
        { id: 'batch-auction', params: { period: 15 } },
        { id: 'contestable', preset: 'taiko-pacaya' },
        // A short window and cooldown (the run drains for 3 h): late gangs, open gangs, contests.
        {
          id: 'contestable',
          params: { provingWindow: 300, cooldown: 600, contestDelay: 30, resolveDelay: 120, invalidProofProb: 0.3, falseContestProb: 0.2 },
        },
      ),
    });
    fc.assert(
      fc.property(arbGang, (g) => {
        const s = scenario({
          seed: g.seed,
          duration: '3h',
          window: '1h',
          mechanisms: [g.mechanism],
          operators: [
            { name: 'big', entities: 2, nodes: g.bigNodes, hardware: 'gpu-rtx4090', margin: 0.1, failure_prob: g.failure },
            ...(g.solos > 0 ? [{ name: 'solo', entities: g.solos, hardware: 'gpu-rtx5090', margin: 0.05, failure_prob: g.failure }] : []),
          ],
          requesters: [
            {
              name: 'blocks',
              kind: 'eth-block',
              arrival: { dist: 'exponential', mean: g.meanGap },
              gang: g.gang,
              size_mcycles: { dist: 'lognormal', median: 300, sigma: 0.6 },
              deadline: g.deadline,
              max_price_usd: 0.5,
            },
          ],
        });
        const r = runMarket({ scenario: s, mechanism: createMechanism(resolveMechanism(s.mechanisms[0]!)), seed: g.seed });
        const m = r.metrics;
        expect(r.ledger.total()).toBe(0);
        expect(r.ledger.escrowTotal()).toBe(r.ledger.balance(ESCROW));
        if (r.openJobs === 0) expect(r.ledger.openEscrows()).toBe(0);
        // The self-hosted requester also pays its cluster's rent, outside any job (self-hosted-cluster.ts).
        const rent = typeof g.mechanism === 'object' && g.mechanism.id === 'self-hosted';
        if (!rent) expect(m.requesterPaid + m.slashed).toBe(m.revenue - m.emission + m.protocol + m.burned);
        // Every job ended at most once; an open job may already be `done` (reverse Dutch closes at the request's expiry).
        const ended = m.delivered + m.failed + m.expired + m.rejected;
        expect(ended).toBeLessThanOrEqual(m.submitted);
        expect(ended + r.openJobs).toBeGreaterThanOrEqual(m.submitted);
        // No node is left busy: every gang member was freed when its gang ended.
        if (r.openJobs === 0) for (const n of r.population.nodes) expect(n.outstanding).toBe(0);
      }),
      { numRuns: 40 },
    );
  });
});
