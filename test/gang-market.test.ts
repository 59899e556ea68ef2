/**
 * Gang jobs through the market shell: the entity-staffed rules of race, sealed-bid and reverse-dutch
 * (an entity serves a gang job with nodes it owns), the shell's contract (members busy together,
 * freed together, payments shared), and scenarios/realtime-ethereum.yaml.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/comparison/run-scenario.js';
import type { JobRow } from '../src/market/context.js';
import { runMarket } from '../src/market/market.js';
import { createMechanism, resolveMechanism } from '../src/comparison/run-scenario.js';
import { checkFeasibility } from '../src/scenario/feasibility.js';
import { loadScenarioFile } from '../src/scenario/load.js';
import { ROOT } from './cli.js';
import { scenario } from './helpers.js';

/** One 4-node entity among cheaper single-node owners; every job needs 4 nodes. */
function gangMarket(mechanism: unknown) {
  return scenario({
    seed: 3,
    duration: '2h',
    window: '1h',
    mechanisms: [mechanism],
    operators: [
      { name: 'big', entities: 1, nodes: 4, hardware: 'gpu-rtx4090', margin: 0.3, failure_prob: 0 },
      { name: 'solo', entities: 6, nodes: 1, hardware: 'gpu-rtx5090', margin: 0.01, failure_prob: 0 },
    ],
    requesters: [
      {
        name: 'blocks',
        kind: 'eth-block',
        arrival: { dist: 'exponential', mean: 600 },
        gang: 4,
        size_mcycles: 300,
        deadline: 1200,
        max_price_usd: 1,
      },
    ],
  });
}

function run(mechanism: unknown) {
  const s = gangMarket(mechanism);
  const rows: JobRow[] = [];
  const r = runMarket({
    scenario: s,
    mechanism: createMechanism(resolveMechanism(s.mechanisms[0]!)),
    seed: 3,
    onJob: (row) => rows.push(row),
  });
  return { r, rows, delivered: rows.filter((x) => x.outcome === 'delivered') };
}

describe('entity-staffed gangs: an entity serves a gang job with nodes it owns', () => {
  it.each([['race'], ['sealed-bid'], ['reverse-dutch']] as const)(
    '%s: every gang job is delivered by the one entity that owns 4 nodes, never by the single-node owners',
    (id) => {
      const mech = id === 'sealed-bid' ? { id, params: { auctionPeriod: 5 } } : id;
      const { r, delivered } = run(mech);
      expect(delivered.length).toBeGreaterThan(0);
      for (const d of delivered) expect(d.entity).toBe('big');
      // The solo owners never worked: their operator accounts saw no compute.
      const workers = r.metrics.topEntities(100).map((e) => r.population.entities[e]!.group);
      expect(workers).toEqual(['big']);
      // Members are freed with their gang.
      for (const n of r.population.nodes) expect(n.outstanding).toBe(0);
    },
  );

  it('a gang takes the curve time on all its members at once: 4 nodes are booked busy per delivered job', () => {
    const { r, delivered } = run('race');
    // busySeconds counts every member's time; one node alone would book a quarter of it.
    const perJob = r.metrics.busySeconds / delivered.length;
    const latency = delivered.reduce((a, d) => a + (d.ended_s - d.submitted_s), 0) / delivered.length;
    expect(perJob).toBeGreaterThan(3.5 * latency * 0.8);
  });
});

describe('protocol-chosen gangs mix owners and share the payment', () => {
  it('random allocation pays the single-node owners drawn into a gang their share', () => {
    const { r, delivered } = run('random');
    expect(delivered.length).toBeGreaterThan(0);
    // Seven owners, four members per gang: more than one owner gets delivered work (an equal share per member).
    expect(r.metrics.topEntities(100).length).toBeGreaterThan(1);
    expect(r.ledger.total()).toBe(0);
  });
});

describe('scenarios/realtime-ethereum.yaml', () => {
  const file = join(ROOT, 'scenarios/realtime-ethereum.yaml');

  it('names the entities that can serve each gang size alone', () => {
    const notes = checkFeasibility(loadScenarioFile(file)).filter((w) => w.kind === 'gang');
    expect(notes.map((w) => w.path)).toEqual([
      'requesters[block-gang-16].gang',
      'requesters[block-gang-64].gang',
      'requesters[block-gang-160].gang',
    ]);
    expect(notes[2]!.message).toContain('hypercube-farm');
    expect(notes[2]!.message).not.toContain('prism-cluster');
    expect(notes[1]!.message).toContain('prism-cluster');
    expect(notes[0]!.message).toContain('small-prover');
    expect(notes[0]!.message).not.toContain('home-prover');
  });

  it('runs under every mechanism (6 minutes of it), and entity-staffed markets give 160-GPU blocks only to the 160-GPU farm', () => {
    const s = { ...loadScenarioFile(file), duration: 360, window: 180 };
    const rows = new Map<string, JobRow[]>();
    const res = runScenario(s, { onJob: (m, row) => rows.set(m, [...(rows.get(m) ?? []), row]) });
    expect(res.summary.map((r) => r.mechanism)).toEqual([
      'random',
      'race',
      'order-book',
      'reverse-dutch',
      'sealed-bid',
      'sealed-bid-2s',
      'self-hosted',
      'first-fit',
      'batch-auction',
      'batch-auction-2s',
      'reputation:aztec-2489',
      'contestable:taiko-pacaya',
    ]);
    for (const r of res.summary) expect(r.jobs_submitted).toBe(30);
    for (const m of ['race', 'order-book', 'reverse-dutch', 'sealed-bid-2s', 'batch-auction-2s']) {
      for (const j of rows.get(m) ?? []) {
        if (j.outcome !== 'delivered') continue;
        if (j.requester === 2) expect(j.entity).toBe('hypercube-farm');
        if (j.requester === 1) expect(['hypercube-farm', 'prism-cluster']).toContain(j.entity);
      }
    }
    // The race delivers blocks in real time, and its market is concentrated (HHI reported).
    const race = res.summary.find((r) => r.mechanism === 'race')!;
    expect(race.jobs_on_time).toBeGreaterThan(0);
    expect(race.hhi).toBeGreaterThan(0);
  });
});
