import { hashUniform } from '../mechanisms/beacon.js';
import type { Decision, Job } from '../mechanisms/types.js';
import type { Quote } from '../agents/strategy.js';
import { fits } from '../mechanisms/types.js';
import type { DecisionHandler, MarketContext } from './context.js';
import { gangCandidates } from './gang-work.js';
import { drawDistinct, RaceEntryIndex } from './race-entry.js';
import { createLockAnswers, eligible, type LockAnswers } from './lock-answers.js';

export { LOCK_CANDIDATES } from './lock-answers.js';

/**
 * The agents' room: every question the protocol asks the operators is answered here, and only
 * here. Strategies decide; this module asks them and turns their answers into inputs.
 */
export interface Agents {
  /** Who joins a race, who bids what (and in which order bids arrive), when would-be lockers lock. */
  readonly solicit: DecisionHandler<'solicit'>;
  /** A node's standing ask (or "no ask": `cancel-ask`). */
  readonly 'request-ask': DecisionHandler<'request-ask'>;
  /** A node's state changed (busy, free, joined, left, ejected): the race entry index re-reads it. */
  nodeChanged(nodeId: number): void;
  /** Does the owner of the assigned node take an uncommitted assignment at its price? (`q`: the quote it judges, default its node's) */
  acceptsAssignment(d: Extract<Decision, { type: 'assign' }>, job: Job, q?: Quote): boolean;
}

/** Builds the agents' room of a market run. */
export function createAgents(ctx: MarketContext): Agents {
  const { nodes, entities, ownerOf, rngOf, agentRng, feedback, sim } = ctx;

  /** Active nodes that fit the job, not excluded (and idle, with `needFree`, unless capacity-blind). */
  function candidates(job: Job, exclude: readonly number[], needFree: boolean): number[] {
    const list: number[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      if (!n.active || n.ejected || !fits(n.info.capacity, job.request) || exclude.includes(i)) continue;
      if (needFree && n.outstanding > 0 && !entities[n.info.entity]!.strategy.overcommits && !ctx.packing?.fitsNow(n, job)) continue;
      list.push(i);
    }
    return job.gang === undefined ? list : gangCandidates(list, job, nodes, entities, needFree);
  }

  const entry = new RaceEntryIndex(ctx);
  let lockAnswers: LockAnswers | undefined;
  const responder = createResponder({
    ...ctx,
    entry,
    raceOrderSeed: ctx.seeds.raceOrder,
    now: () => sim.now,
    candidates,
    raceEntry: ctx.scenario.race_entry,
    // Built at the first lock solicitation: only reverse Dutch asks for locks, and its classes cost O(N) to build.
    lockAnswers: () => (lockAnswers ??= createLockAnswers(ctx)),
  });

  return {
    solicit(d) {
      const rec = ctx.jobs.get(d.jobId);
      if (rec) responder.respond(d, rec.job);
    },
    nodeChanged: (nodeId) => entry.update(nodeId),
    'request-ask'(d) {
      const node = nodes[d.operator]!;
      if (!node.active || node.ejected) return;
      const e = entities[node.info.entity]!;
      // Cost of one Mcycle of the default workload on this node, at its current speed.
      const secondsPerMcycle = (node.model.duration(1000, 'zkvm') - node.model.profile.setupSeconds) / 1000;
      const perMcycle = secondsPerMcycle * (node.model.hourlyCostUsd / 3600);
      const a = e.strategy.ask(
        perMcycle,
        e.view,
        agentRng[e.id]!.next(),
        sim.now,
        secondsPerMcycle * (node.model.capitalUsdPerHour / 3600),
      );
      // "No ask" is an answer too (`cancel-ask`): a bid held for this node's answer need not wait longer.
      if (a !== null) ctx.feed({ type: 'ask', operator: d.operator, pricePerMcycle: Math.max(0, a), expiresAt: d.expiresAt });
      else ctx.feed({ type: 'cancel-ask', operator: d.operator });
    },
    acceptsAssignment(d, job, q) {
      const node = nodes[d.operator]!;
      const e = ownerOf[d.operator]!;
      const ok =
        node.active && !node.ejected && e.strategy.accept(q ?? ctx.quote(node, job), d.price / 1e6, e.view, rngOf[d.operator]!.next());
      // An assignment stands until declined: the owner's acceptance is an offer taken, not an input.
      if (ok && feedback.enabled) feedback.offered(d.jobId, e.id);
      return ok;
    },
  };
}

/** What the answers to a solicitation need from the market shell. */
interface ResponderContext
  extends Pick<MarketContext, 'nodes' | 'entities' | 'agentRng' | 'quote' | 'feed' | 'later' | 'jobs' | 'collateralFor' | 'canPost'> {
  readonly raceOrderSeed: number;
  now(): number;
  candidates(job: Job, exclude: readonly number[], needFree: boolean): number[];
  /** The free provers a race can invite, by entry class. */
  readonly entry: RaceEntryIndex;
  /**
   * Race entry: `rational` (default) spreads the free provers over the open races; `herd` is
   * pmsim's original rule (every solicitation decided alone).
   */
  readonly raceEntry?: 'rational' | 'herd';
  /** The answers to reverse-Dutch lock solicitations. */
  lockAnswers(): LockAnswers;
}

/**
 * The agents' answers to a mechanism's `solicit`: who joins a race (free entry), who bids what and
 * in which order bids arrive, and when would-be lockers lock a reverse-Dutch offer. Strategies decide;
 * this module only asks them and turns their answers into inputs.
 */
function createResponder(ctx: ResponderContext): { respond(d: Extract<Decision, { type: 'solicit' }>, job: Job): void } {
  // Race jobs whose last solicitation drew no racer: they wait for a free node (open requests are public).
  const raceWaiting = new Set<number>();
  const rational = (ctx.raceEntry ?? 'rational') === 'rational';
  const announced = new Set<number>();
  let announcedAt = -1;
  /** Waiting races still open (jobs that ended are forgotten here, lazily). */
  const waitingOpen = (): number => {
    for (const id of raceWaiting) if (!ctx.jobs.has(id)) raceWaiting.delete(id);
    return raceWaiting.size;
  };
  const index = ctx.entry;
  // Scratch of one solicitation: the eligible classes, their free counts, representative quotes and draws.
  const cls: number[] = [];
  const count: number[] = [];
  const quotes: Quote[] = [];
  const us: number[] = [];
  const picked: number[] = [];

  /** Does class i (of this solicitation) join when k racers are expected? */
  function joins(i: number, reward: number, k: number): boolean {
    const e = ctx.entities[ctx.nodes[index.members[cls[i]!]![0]!]!.info.entity]!;
    return e.strategy.joinRace(quotes[i]!, reward, k, e.view, us[i]!);
  }

  /**
   * The exclusions of a gang job's race: the solicitation's own, plus every free eligible node that is
   * not an entity lead able to field the gang (`gangCandidates`). O(N), but only for gang jobs.
   */
  function gangExclude(d: Extract<Decision, { type: 'solicit' }>, job: Job): number[] {
    const allowed = new Set(ctx.candidates(job, d.exclude, true));
    const already = new Set(d.exclude);
    const out = [...d.exclude];
    index.eligible(job.request, cls);
    for (const c of cls) for (const id of index.members[c]!) if (!allowed.has(id) && !already.has(id)) out.push(id);
    return out;
  }

  /** The r-th (0-based) free member of class c, skipping the excluded nodes. */
  function member(c: number, r: number, exclude: readonly number[]): number {
    const m = index.members[c]!;
    if (exclude.length === 0) return m[r]!;
    for (const id of m) if (!exclude.includes(id) && r-- === 0) return id;
    return -1;
  }

  /**
   * A race offered to one node that became free (reverse Dutch's secondary race, `solicit.to`): it
   * joins if it would race expecting to be the only racer; otherwise the job waits for the next.
   */
  function raceOne(d: Extract<Decision, { type: 'solicit' }>, id: number, job: Job): void {
    if (d.until > job.deadline) job = { ...job, deadline: d.until };
    if (!eligible(ctx, id, job, d.exclude, true)) {
      raceWaiting.add(job.id);
      return;
    }
    const node = ctx.nodes[id]!;
    const e = ctx.entities[node.info.entity]!;
    const u = e.strategy.pure ? 0 : ctx.agentRng[e.id]!.next();
    if (!e.strategy.joinRace(ctx.quote(node, job), d.reward / 1e6, 1, e.view, u)) {
      raceWaiting.add(job.id);
      return;
    }
    raceWaiting.delete(job.id);
    ctx.feed({ type: 'join-race', jobId: job.id, operator: id });
  }

  /**
   * Free-entry participation, per entry class: each candidate expects k racers, where k is the
   * largest number such that at least k candidates would join a race they expect k racers in
   * (joinRace is monotone in the expected number of racers); then k of those join, drawn uniformly
   * at random (a per-job hash). A class answers once for all its members.
   */
  function race(d: Extract<Decision, { type: 'solicit' }>, job: Job): void {
    // Racers may work until the later of the requester's deadline and the last moment the race
    // accepts them (`until`): a reverse-Dutch secondary works to the offer's timeout, which may
    // come after the requester's off-chain deadline (issue 12). A race's join window ends sooner.
    if (d.until > job.deadline) job = { ...job, deadline: d.until };
    // A gang job: only entity leads that can field N nodes may race (docs/gang.md); the others are excluded.
    if (job.gang !== undefined) d = { ...d, exclude: gangExclude(d, job) };
    const reward = d.reward / 1e6;
    index.eligible(job.request, cls);
    count.length = quotes.length = us.length = 0;
    let total = 0;
    for (let i = 0; i < cls.length; i++) {
      const c = cls[i]!;
      let n = index.members[c]!.length;
      for (const x of d.exclude) if (index.isMember(x) && index.classOfNode(x) === c) n--;
      const rep = n > 0 ? member(c, 0, d.exclude) : index.members[c]![0]!;
      const node = ctx.nodes[rep]!;
      count.push(n);
      quotes.push(ctx.quote(node, job));
      // A pure class ignores its draw; a node asked alone draws from its entity's stream, as before.
      us.push(index.pure[c] || n === 0 ? 0 : ctx.agentRng[node.info.entity]!.next());
      total += n;
    }
    // Do at least k candidates join when k racers are expected? Stops counting at k.
    const enough = (k: number): boolean => {
      let got = 0;
      for (let i = 0; i < cls.length && got < k; i++) if (count[i]! > 0 && joins(i, reward, k)) got += count[i]!;
      return got >= k;
    };
    let lo = 0;
    let hi = total;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (enough(mid)) lo = mid;
      else hi = mid - 1;
    }
    // Rational entry: a prover chooses among all open races, not this one alone. With W races
    // open (this one and those waiting) and F free candidates, a free-entry equilibrium spreads
    // the provers over the races, at most ceil(F / W) to each: one more racer here lowers every
    // racer's win probability, while an uncontested waiting race pays its whole reward.
    const open = rational ? waitingOpen() + (raceWaiting.has(job.id) ? 0 : 1) : 1;
    if (open > 1 && lo > 0) lo = Math.min(lo, Math.max(1, Math.ceil(total / open)));
    if (lo === 0) {
      raceWaiting.add(job.id);
      return;
    }
    raceWaiting.delete(job.id);
    // The joiners at level lo, class by class; lo of them, drawn without replacement, join in draw order.
    let joiners = 0;
    for (let i = 0; i < cls.length; i++) {
      const j = count[i]! > 0 && joins(i, reward, lo);
      if (!j) count[i] = 0;
      joiners += count[i]!;
    }
    picked.length = 0;
    for (const r0 of drawDistinct(ctx.raceOrderSeed, job.id, joiners, lo)) {
      let r = r0;
      let i = 0;
      while (r >= count[i]!) r -= count[i++]!;
      const id = member(cls[i]!, r, d.exclude);
      picked.push(id);
      ctx.feed({ type: 'join-race', jobId: job.id, operator: id });
    }
    if (rational && raceWaiting.size > 0) announce(d, job.request);
  }

  /**
   * The free provers that stayed out announce themselves again, so the mechanism offers them the
   * next waiting race (it re-offers waiting jobs only to nodes that become available). Each node at
   * most once per instant, so the cascade ends even when a join is refused; and at most one per
   * waiting race per class and solicitation: an announcement re-solicits at most one waiting race.
   */
  function announce(d: Extract<Decision, { type: 'solicit' }>, request: Job['request']): void {
    const now = ctx.now();
    if (now !== announcedAt) {
      announcedAt = now;
      announced.clear();
    }
    index.eligible(request, cls);
    for (const c of cls) {
      const m = index.members[c]!;
      for (let j = 0, left = raceWaiting.size; j < m.length && left > 0; j++) {
        const id = m[j]!;
        if (picked.includes(id) || d.exclude.includes(id) || ctx.nodes[id]!.outstanding !== 0 || announced.has(id)) continue;
        announced.add(id);
        left--;
        ctx.feed({ type: 'available', operator: id });
      }
    }
  }

  // Built at the first bid solicitation (sealed bid): O(N), and no other mechanism asks for bids.
  let bidClasses: ReturnType<typeof bidClassTable> | undefined;
  const durOf: number[] = [];
  const durJob: number[] = [];

  /** Sends one bid, if the node's strategy bids and can finish in time (or is capacity-blind). */
  function bidOne(id: number, job: Job, n: number, u: number, extra?: { bidClass: number; also?: number[] }, idle = false): void {
    const e = ctx.entities[ctx.nodes[id]!.info.entity]!;
    let q = ctx.quote(ctx.nodes[id]!, job, n);
    // A class's representative bids as an idle member would: its queue plays no part.
    if (idle) q = { ...q, finishAt: q.now + q.durationS, busy: false };
    const b = e.strategy.bid(q, e.view, u);
    if (b === null || (!e.strategy.overcommits && q.finishAt > job.deadline)) return;
    const price = Math.max(0, Math.round(b * 1e6));
    ctx.feed(extra ? { type: 'bid', jobId: job.id, operator: id, price, ...extra } : { type: 'bid', jobId: job.id, operator: id, price });
  }

  /**
   * Bid classes (`mechanisms/bid-classes.ts`): one class bid per class of pure bidders, priced by a
   * representative as an idle node; the busy members (named by the mechanism), whose bids depend on
   * their queues, and the nodes without a class (strategies that draw or learn) bid one by one.
   * O(classes + busy + unclassed nodes) per job, not O(N). Collateral limits (per entity) are not
   * class-wide: with them the shell asks every node (`collateralFor`).
   */
  function classBids(busy: readonly number[], n: number, job: Job): void {
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
    for (const c of classes.list) {
      if (!fits(ctx.nodes[c.rep]!.info.capacity, job.request)) continue;
      const named = also.get(c.id);
      bidOne(c.rep, job, n, 0, named ? { bidClass: c.id, also: named } : { bidClass: c.id }, true);
    }
    for (const id of classes.solo) {
      const node = ctx.nodes[id]!;
      if (!node.active || node.ejected || !fits(node.info.capacity, job.request)) continue;
      bidOne(id, job, n, ctx.agentRng[node.info.entity]!.next());
    }
  }

  return {
    respond(d: Extract<Decision, { type: 'solicit' }>, job: Job): void {
      // Reverse Dutch: each would-be locker locks when the ramp reaches its price (lock-answers.ts).
      if (d.mode === 'lock') return ctx.lockAnswers().respond(d, job);
      // Gang jobs bid exactly (one lead per entity able to field N nodes, docs/gang.md), never as a class.
      if (d.mode === 'bid' && d.busy !== undefined && !ctx.collateralFor && job.gang === undefined) {
        classBids(d.busy, d.bidders ?? 0, job);
        return;
      }
      if (d.mode === 'race') {
        // A re-offer to one node that became free (`to`, reverse Dutch's secondary race) asks that node only.
        if (d.to !== undefined && job.gang === undefined) raceOne(d, d.to, job);
        else race(d, job);
        return;
      }
      // A re-offer to one node that became free (`to`) asks that node only.
      const needFree = d.mode !== 'bid';
      const list =
        d.to === undefined ? ctx.candidates(job, d.exclude, needFree) : eligible(ctx, d.to, job, d.exclude, needFree) ? [d.to] : [];
      if (d.mode === 'bid') {
        // Bids reach the auctioneer starting from a per-job random node (a hash), not always from node
        // 0: equal bids are won by the earlier one, and a fixed order would hand every tie to the same nodes.
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
    },
  };
}

/** The bid classes of a population: each class with a representative node, and the nodes with no class. */
function bidClassTable(nodes: readonly { readonly info: { readonly id: number; readonly bidClass?: number } }[]): {
  list: { id: number; rep: number }[];
  solo: number[];
} {
  const list: { id: number; rep: number }[] = [];
  const seen = new Set<number>();
  const solo: number[] = [];
  for (const n of nodes) {
    const c = n.info.bidClass;
    if (c === undefined) solo.push(n.info.id);
    else if (!seen.has(c)) {
      seen.add(c);
      list.push({ id: c, rep: n.info.id });
    }
  }
  return { list, solo };
}
