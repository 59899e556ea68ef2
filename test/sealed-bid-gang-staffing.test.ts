/**
 * Sealed bid with bid classes and entity-staffed gangs (docs/mechanisms/sealed-bid.md, "Gang jobs"):
 * the lead's entity staffs a gang from its own nodes and the assign does not name them, so the core
 * cannot mark them busy. While the entity holds a gang job, the class walk names its idle members as
 * busy, and the shell reads their queues: a member working in the gang bids on a single-node job only
 * if it can finish by the deadline, as a busy node does.
 */
import { describe, expect, it } from 'vitest';
import type { JobRow } from '../src/market/context.js';
import { runMarket } from '../src/market/market.js';
import { createMechanism, resolveMechanism } from '../src/comparison/run-scenario.js';
import { scenario } from './helpers.js';

/** A cheap 4-node entity (one bid class) that wins a long gang job, then short single-node jobs with tight deadlines. */
function market() {
  return scenario({
    seed: 5,
    duration: '3h',
    window: '1h',
    mechanisms: [{ id: 'sealed-bid', preset: 'succinct' }],
    operators: [
      { name: 'big', entities: 1, nodes: 4, hardware: 'gpu-rtx4090', strategy: 'truthful', cost_factor: 0.5, failure_prob: 0 },
      { name: 'other', entities: 1, nodes: 1, hardware: 'gpu-rtx4090', strategy: 'truthful', failure_prob: 0 },
    ],
    requesters: [
      { name: 'blocks', arrival: 100, max_jobs: 1, gang: 4, size_mcycles: 20_000, deadline: 7200, max_price_usd: 100 },
      { name: 'apps', start: 400, arrival: 400, max_jobs: 4, size_mcycles: 50, deadline: 600, max_price_usd: 10 },
    ],
  });
}

function run() {
  const s = market();
  const rows: JobRow[] = [];
  const r = runMarket({
    scenario: s,
    mechanism: createMechanism(resolveMechanism(s.mechanisms[0]!)),
    seed: s.seed,
    onJob: (x) => rows.push(x),
  });
  return { r, rows };
}

describe('sealed bid: members staffed into an entity gang are not counted as idle class bidders', () => {
  it('single-node jobs that arrive while the gang runs go on time to a node that can finish them, not to a staffed member', () => {
    const { rows } = run();
    const gang = rows.filter((x) => x.requester === 0);
    const apps = rows.filter((x) => x.requester === 1);
    expect(gang).toHaveLength(1);
    expect(gang[0]!.outcome).toBe('delivered');
    expect(gang[0]!.entity).toBe('big');
    // The gang is still running when every single-node job is auctioned and due.
    expect(apps).toHaveLength(4);
    for (const a of apps) expect(a.deadline_s).toBeLessThan(gang[0]!.ended_s);
    for (const a of apps) {
      expect(a.outcome).toBe('delivered');
      expect(a.on_time).toBe(true);
      expect(a.entity).toBe('other');
    }
  });
});
