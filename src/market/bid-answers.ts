import { hashUniform } from '../mechanisms/beacon.js';
import type { Decision, Job } from '../mechanisms/types.js';
import { fits } from '../mechanisms/types.js';
import { BusyIndex } from './bid-busy-index.js';
import { eligible } from './lock-answers.js';
import type { ResponderContext } from './responses.js';

type Solicit = Extract<Decision, { type: 'solicit' }>;

/**
 * The agents' answers to a bid solicitation (sealed bid): one class bid per class of pure bidders
 * (`mechanisms/bid-classes.ts`) when the mechanism names the busy members, or one bid per eligible
 * node, in an order that starts from a per-job random node.
 */
export function createBidAnswers(ctx: ResponderContext): { respond(d: Solicit, job: Job): void; nodeChanged(id: number): void } {
  // Built at the first bid solicitation (sealed bid): O(N), and no other mechanism asks for bids.
  let bidClasses: ReturnType<typeof bidClassTable> | undefined;
  let busyIndex: BusyIndex | undefined;
  const durOf: number[] = [];
  const durJob: number[] = [];
  const everyJob: number[] = [];
  const found: number[] = [];

  /** The node's bid in micro-USD, -1 if its strategy does not bid or cannot finish in time (and is not capacity-blind). */
  function priceOf(id: number, job: Job, n: number, u: number, idle: boolean): number {
    const e = ctx.entities[ctx.nodes[id]!.info.entity]!;
    let q = ctx.quote(ctx.nodes[id]!, job, n);
    // A class's representative bids as an idle member would: its queue plays no part.
    if (idle) q = { ...q, finishAt: q.now + q.durationS, busy: false };
    const b = e.strategy.bid(q, e.view, u);
    if (b === null || (!e.strategy.overcommits && q.finishAt > job.deadline)) return -1;
    return Math.max(0, Math.round(b * 1e6));
  }

  /** Sends one bid, if the node's strategy bids and can finish in time (or is capacity-blind). */
  function bidOne(id: number, job: Job, n: number, u: number): void {
    const price = priceOf(id, job, n, u, false);
    if (price >= 0) ctx.feed({ type: 'bid', jobId: job.id, operator: id, price });
  }

  /**
   * A class bid, priced by the class's representative as an idle member: with the busy members the
   * mechanism named that can finish (`also`), or, for a class the solicitation lists in `every`, the
   * busy members that cannot (`except`, from the busy index).
   */
  function classBid(c: { id: number; rep: number }, job: Job, n: number, also: number[] | undefined, every: boolean): void {
    const price = priceOf(c.rep, job, n, 0, true);
    if (price < 0) return;
    if (!every) {
      ctx.feed(
        also
          ? { type: 'bid', jobId: job.id, operator: c.rep, price, bidClass: c.id, also }
          : { type: 'bid', jobId: job.id, operator: c.rep, price, bidClass: c.id },
      );
      return;
    }
    const rep = ctx.nodes[c.rep]!;
    let except = NO_EXCEPTIONS;
    if (!ctx.entities[rep.info.entity]!.strategy.overcommits) {
      busyIndex ??= new BusyIndex(ctx.nodes, bidClasses!.busyBids);
      busyIndex.exceptions(c.id, ctx.now(), rep.model.duration(job.mcycles, job.kind), job.deadline, found);
      // The mechanism keeps the list until the close: a fresh one when there are exceptions, a shared empty one when none.
      if (found.length > 0) except = found.splice(0);
    }
    ctx.feed({ type: 'bid', jobId: job.id, operator: c.rep, price, bidClass: c.id, except });
  }

  /**
   * Bid classes (`mechanisms/bid-classes.ts`): one class bid per class of pure bidders, priced by a
   * representative as an idle node; the busy members (named by the mechanism), whose bids depend on
   * their queues, and the nodes without a class (strategies that draw or learn) bid one by one.
   * O(classes + busy + unclassed nodes) per job, not O(N). Collateral limits (per entity) are not
   * class-wide: with them the shell asks every node (`collateralFor`).
   */
  function classBids(busy: readonly number[], every: readonly number[] | undefined, n: number, job: Job): void {
    // Busy members of `always` classes bid the class price when they can finish in time: named in the class bid.
    const also = new Map<number, number[]>();
    for (const id of busy) {
      const node = ctx.nodes[id]!;
      const c = node.info.bidClass;
      if (c === undefined || !node.active || node.ejected) continue;
      const st = ctx.entities[node.info.entity]!.strategy;
      if (st.pureBid !== 'always') {
        bidOne(id, job, n, 0);
        continue;
      }
      if (!st.overcommits) {
        // The class shares one hardware model: its duration once per job.
        if (durJob[c] !== job.id) {
          durJob[c] = job.id;
          durOf[c] = node.model.duration(job.mcycles, job.kind);
        }
        const start = node.freeAt > ctx.now() ? node.freeAt : ctx.now();
        if (start + durOf[c]! > job.deadline) continue;
      }
      let list = also.get(c);
      if (!list) also.set(c, (list = []));
      list.push(id);
    }
    const classes = (bidClasses ??= bidClassTable(ctx.nodes));
    if (every) for (const c of every) everyJob[c] = job.id;
    for (const c of classes.list) {
      if (!fits(ctx.nodes[c.rep]!.info.capacity, job.request)) continue;
      classBid(c, job, n, also.get(c.id), everyJob[c.id] === job.id && classes.busyBids[c.id] === true);
    }
    for (const id of classes.solo) {
      const node = ctx.nodes[id]!;
      if (!node.active || node.ejected || !fits(node.info.capacity, job.request)) continue;
      bidOne(id, job, n, ctx.agentRng[node.info.entity]!.next());
    }
  }

  /**
   * One bid per eligible node (or the node a re-offer names, `to`). Bids reach the auctioneer starting
   * from a per-job random node (a hash), not always from node 0: equal bids are won by the earlier one,
   * and a fixed order would hand every tie to the same nodes.
   */
  function exactBids(d: Solicit, job: Job): void {
    const list = d.to === undefined ? ctx.candidates(job, d.exclude, false) : eligible(ctx, d.to, job, d.exclude, false) ? [d.to] : [];
    const n = list.length;
    const first = Math.floor(hashUniform(ctx.raceOrderSeed ^ 0xb1d, job.id, 0, 2) * n);
    for (let k = 0; k < n; k++) {
      const id = list[(first + k) % n]!;
      const e = ctx.entities[ctx.nodes[id]!.info.entity]!;
      const q = ctx.quote(ctx.nodes[id]!, job, n);
      const b = e.strategy.bid(q, e.view, ctx.agentRng[e.id]!.next());
      const price = b === null ? 0 : Math.max(0, Math.round(b * 1e6));
      // Capital bounds collateral (sealed bid with slashOnMiss): a bid the entity cannot back is not sent.
      const backed = !ctx.collateralFor || ctx.canPost(e.id, ctx.collateralFor(job, price));
      if (b !== null && (e.strategy.overcommits || q.finishAt <= job.deadline) && backed) {
        ctx.feed({ type: 'bid', jobId: job.id, operator: id, price });
      }
    }
  }

  return {
    respond(d: Solicit, job: Job): void {
      // Gang jobs bid exactly (one lead per entity able to field N nodes, docs/gang.md), never as a class.
      if (d.busy !== undefined && !ctx.collateralFor && job.gang === undefined) classBids(d.busy, d.every, d.bidders ?? 0, job);
      else exactBids(d, job);
    },
    nodeChanged(id: number): void {
      busyIndex?.update(id);
    },
  };
}

const NO_EXCEPTIONS: readonly number[] = Object.freeze([]);

/** The bid classes of a population: each class with a representative node, and the nodes with no class. */
function bidClassTable(
  nodes: readonly { readonly info: { readonly id: number; readonly bidClass?: number; readonly busyBids?: boolean } }[],
): {
  list: { id: number; rep: number }[];
  solo: number[];
  busyBids: boolean[];
} {
  const list: { id: number; rep: number }[] = [];
  const seen = new Set<number>();
  const solo: number[] = [];
  // Class → whether every member's busy bids are the class's (`OperatorInfo.busyBids`): the busy index covers those.
  const busyBids: boolean[] = [];
  // Indexed (10,000 nodes at the first solicitation): an array iterator's steps allocate while the loop runs unoptimized.
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    const c = n.info.bidClass;
    if (c === undefined) solo.push(n.info.id);
    else {
      busyBids[c] = (busyBids[c] ?? true) && n.info.busyBids === true;
      if (!seen.has(c)) {
        seen.add(c);
        list.push({ id: c, rep: n.info.id });
      }
    }
  }
  return { list, solo, busyBids };
}
