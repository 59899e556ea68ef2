/**
 * Sealed bid's close-time search (docs/mechanisms/sealed-bid.md, "The close-time search"): where a class
 * bid stands for every busy member (`OperatorInfo.busyBids`), the close finds the class's lowest two
 * eligible bids itself, from the may-hold bitset and the log of the flags since the open, and the shell
 * names only the busy members that cannot finish. It must pick what the class walk picks (the walk
 * keeps the ready members and names the busy ones at submission), job by job, under load: nodes at
 * their stake cap, busy members that cannot finish by a tight deadline, nodes leaving and rejoining.
 * The same run without `busyBids` takes the walk; every job row must match.
 */
import { describe, expect, it } from 'vitest';
import type { JobRow } from '../src/market/context.js';
import { runMarket } from '../src/market/market.js';
import { createMechanism, resolveMechanism } from '../src/comparison/run-scenario.js';
import { parseScenario } from '../src/scenario/index.js';
import type { Decision, Input, Mechanism, OperatorInfo } from '../src/mechanisms/types.js';
import { rotationDraw, sealedBid, TAG_CLOSE } from '../src/mechanisms/sealed-bid/index.js';
import { Driver, job, op } from './mechanisms-rd-sb-sh.driver.js';

function scenario(preset: 'succinct' | 'brevis') {
  return parseScenario(
    {
      name: 'sealed-bid-search',
      seed: 5,
      duration: 6 * 3600,
      window: 1800,
      mechanisms: [{ id: 'sealed-bid', preset }],
      operators: [
        { name: 'gpu', entities: 300, nodes: 1, hardware: 'gpu-rtx4090', strategy: 'truthful', margin: 0.1 },
        { name: 'farm', entities: 20, nodes: 10, devices: 2, hardware: 'gpu-rtx4090', strategy: 'cost-plus', margin: 0.2 },
        // Entities that enter and leave with the market's profits: nodes leave while auctions they bid in are open.
        {
          name: 'late',
          entities: 40,
          nodes: 2,
          hardware: 'gpu-rtx4090',
          strategy: 'truthful',
          margin: 0.05,
          exit: { trailing: 1800, max_loss_usd: 0 },
          entry: { hurdle: 0, lead_time: 600, watch: 1800 },
        },
      ],
      requesters: [
        {
          name: 'apps',
          arrival: { dist: 'exponential', mean: 0.4 },
          size_mcycles: { dist: 'lognormal', median: 400, sigma: 1.2 },
          deadline: 1200,
          max_price_usd_per_mcycle: 0.001,
          max_jobs: 30_000,
        },
      ],
    },
    'sealed-bid-search.yaml',
  );
}

/** What the wrapped mechanism saw: solicitations that listed classes to search, and class bids with exceptions. */
interface Seen {
  every: number;
  except: number;
  leave: number;
}

/** The mechanism, with `busyBids` taken off every node when `walk` (so every class is walked), counting what it sees. */
function wrapped(m: Mechanism, walk: boolean, seen: Seen): Mechanism {
  const strip = (o: OperatorInfo): OperatorInfo => {
    if (!walk) return o;
    const { busyBids, ...rest } = o;
    return rest;
  };
  return {
    ...m,
    init: (ops: readonly OperatorInfo[], out?: Decision[], now?: number) => m.init(ops.map(strip), out, now),
    step(state: never, input: Input, now: number, random, out: Decision[]) {
      const i = input.type === 'join' ? { ...input, operator: strip(input.operator) } : input;
      if (i.type === 'bid' && (i.except?.length ?? 0) > 0) seen.except++;
      if (i.type === 'leave') seen.leave++;
      const n = out.length;
      m.step(state, i, now, random, out);
      for (let k = n; k < out.length; k++) {
        const d = out[k]!;
        if (d.type === 'solicit' && d.every !== undefined) seen.every++;
      }
    },
  } as Mechanism;
}

function run(preset: 'succinct' | 'brevis', walk: boolean) {
  const s = scenario(preset);
  const rows: JobRow[] = [];
  const seen: Seen = { every: 0, except: 0, leave: 0 };
  const r = runMarket({
    scenario: s,
    mechanism: wrapped(createMechanism(resolveMechanism(s.mechanisms[0]!)), walk, seen),
    seed: s.seed,
    onJob: (row) => rows.push(row),
  });
  return { rows, seen, r };
}

describe('sealed bid: the close-time search picks what the class walk picks', () => {
  for (const preset of ['succinct', 'brevis'] as const) {
    it(`${preset}: every job row is the same with the search as with the walk, under load, tight deadlines and departures`, () => {
      const search = run(preset, false);
      const walk = run(preset, true);
      // The search ran, and met busy members that could not finish; the walk never searched.
      expect(search.seen.every).toBeGreaterThan(10_000);
      expect(search.seen.except).toBeGreaterThan(100);
      expect(walk.seen.every).toBe(0);
      expect(search.rows.length).toBeGreaterThan(10_000);
      // Some jobs fail (no eligible bid or a missed deadline), so the caps and the deadline bind.
      expect(search.rows.some((r) => r.outcome !== 'delivered')).toBe(true);
      expect(search.rows).toEqual(walk.rows);
    });
  }
});

/** Four nodes in one bid class, whose class bid stands for the busy members (`busyBids`) or not (the walk). */
function classDriver(busyBids: boolean) {
  const nodes = [0, 1, 2, 3].map((id) => ({ ...op(id), bidClass: 0, ...(busyBids ? { busyBids: true } : {}) }));
  return new Driver(sealedBid({ preset: 'brevis', auctionPeriod: 30 }), nodes);
}

/** Job `id`'s first node in the arrival rotation of the four (no beacon: drawn from the id). */
const first = (id: number): number => Math.floor(rotationDraw(undefined, id) * 4);

describe('sealed bid: the close-time search, rule by rule', () => {
  it('lists the class to search in the solicitation and names no busy member', () => {
    const d = classDriver(true);
    d.submit(job({ id: 0, maxPrice: 1_000_000 }), 0);
    expect(d.of('solicit')[0]).toMatchObject({ bidders: 4, busy: [], every: [0] });
    expect(classDriver(false).submit(job({ id: 0, maxPrice: 1_000_000 }), 0)[0]).not.toHaveProperty('every', [0]);
  });
  it('a member ready at the open that leaves before the close still wins: its sealed bid stands, as with the walk', () => {
    for (const busyBids of [true, false]) {
      const d = classDriver(busyBids);
      d.submit(job({ id: 0, maxPrice: 1_000_000 }), 0);
      d.step({ type: 'bid', jobId: 0, operator: 0, price: 400_000, bidClass: 0, ...(busyBids ? { except: [] } : {}) }, 1);
      d.step({ type: 'leave', operator: first(0) }, 10);
      d.step({ type: 'timer', jobId: 0, tag: TAG_CLOSE }, 30);
      expect(d.of('assign')[0]).toMatchObject({ operator: first(0), price: 400_000 });
    }
  });
  it('a busy member bids through its class unless the bidder names it as unable to finish (`except`)', () => {
    // Job 0 goes to the first of its rotation, which is then busy; job 1's rotation starts at that node too.
    const j1 = [...Array(64).keys()].slice(1).find((id) => first(id) === first(0))!;
    const busy = first(0);
    const winner = (except: number[]): number => {
      const d = classDriver(true);
      d.submit(job({ id: 0, maxPrice: 1_000_000 }), 0);
      d.step({ type: 'bid', jobId: 0, operator: 0, price: 400_000, bidClass: 0, except: [] }, 1);
      d.step({ type: 'timer', jobId: 0, tag: TAG_CLOSE }, 30);
      d.submit(job({ id: j1, maxPrice: 1_000_000 }), 40);
      d.step({ type: 'bid', jobId: j1, operator: 0, price: 300_000, bidClass: 0, except }, 41);
      d.step({ type: 'timer', jobId: j1, tag: TAG_CLOSE }, 70);
      return d.of('assign').find((a) => a.jobId === j1)!.operator;
    };
    expect(winner([])).toBe(busy);
    expect(winner([busy])).toBe((busy + 1) % 4);
  });
});
