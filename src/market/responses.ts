import type { Decision, Job } from '../mechanisms/types.js';
import type { Quote } from '../agents/strategy.js';
import { fits } from '../mechanisms/types.js';
import { skipDraw } from '../engine/rng.js';
import type { DecisionHandler, MarketContext } from './context.js';
import { gangCandidates } from './gang-work.js';
import { RaceEntryIndex } from './race-entry.js';
import { createBidAnswers } from './bid-answers.js';
import { createLockAnswers, type LockAnswers } from './lock-answers.js';
import { createRaceAnswers } from './race-answers.js';

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

/**
 * Builds the agents' room of a market run. Without `solicits` (nodes are never asked: the shell routes
 * no `solicit` nor `request-ask` here), no race entry index nor answers are built.
 */
export function createAgents(ctx: MarketContext, solicits = true): Agents {
  const { nodes, entities, agentRng, sim } = ctx;

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

  if (!solicits) return { ...unaskedAgents, acceptsAssignment: acceptance(ctx) };
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
    lockAnswers: () => (lockAnswers ??= createLockAnswers(ctx, entry)),
  });

  return {
    solicit(d) {
      const rec = ctx.jobs.get(d.jobId);
      if (rec) responder.respond(d, rec.job);
    },
    nodeChanged: (nodeId) => {
      entry.update(nodeId);
      responder.nodeChanged(nodeId);
    },
    'request-ask'(d) {
      const node = nodes[d.operator]!;
      if (!node.active || node.ejected) return;
      const e = entities[node.info.entity]!;
      // Cost of one Mcycle of the default workload on this node, at its current speed.
      const secondsPerMcycle = (node.model.duration(1000, 'zkvm') - node.model.profile.setupSeconds) / 1000;
      const perMcycle = secondsPerMcycle * (node.model.hourlyCostUsd / 3600);
      // A pure strategy ignores `u`: its draw is skipped (counted, not made), so its entity's stream is seeded
      // only if something reads a draw later (the order book asks all 10,000 nodes at init), with the same numbers.
      const rng = agentRng[e.id]!;
      let u = 0;
      if (e.strategy.pure) skipDraw(rng);
      else u = rng.next();
      const a = e.strategy.ask(perMcycle, e.view, u, sim.now, secondsPerMcycle * (node.model.capitalUsdPerHour / 3600));
      // "No ask" is an answer too (`cancel-ask`): a bid held for this node's answer need not wait longer.
      if (a !== null) ctx.feed({ type: 'ask', operator: d.operator, pricePerMcycle: Math.max(0, a), expiresAt: d.expiresAt });
      else ctx.feed({ type: 'cancel-ask', operator: d.operator });
    },
    acceptsAssignment: acceptance(ctx),
  };
}

/** Does the owner of the assigned node take an uncommitted assignment at its price? ({@link Agents.acceptsAssignment}) */
function acceptance(ctx: MarketContext): Agents['acceptsAssignment'] {
  const { nodes, ownerOf, rngOf, feedback } = ctx;
  return (d, job, q) => {
    const node = nodes[d.operator]!;
    const e = ownerOf[d.operator]!;
    const s = e.strategy;
    // A pure strategy ignores `u` (`OperatorStrategy.pure`): no draw, so its entity's stream is never seeded for it.
    const ok =
      node.active && !node.ejected && s.accept(q ?? ctx.quote(node, job), d.price / 1e6, e.view, s.pure ? 0 : rngOf[d.operator]!.next());
    // An assignment stands until declined: the owner's acceptance is an offer taken, not an input.
    if (ok && feedback.enabled) feedback.offered(d.jobId, e.id);
    return ok;
  };
}

/** The agents of a run whose nodes are never asked: the shell routes them no question (`market.ts`, `unasked`). */
const unaskedAgents: Omit<Agents, 'acceptsAssignment'> = {
  solicit: (d) => {
    throw new Error(`${d.type}: this run's nodes are not asked`);
  },
  'request-ask': (d) => {
    throw new Error(`${d.type}: this run's nodes are not asked`);
  },
  nodeChanged: () => {},
};

/** What the answers to a solicitation need from the market shell. */
export interface ResponderContext
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
 * The agents' answers to a mechanism's `solicit`, by mode: who joins a race (`race-answers.ts`), who
 * bids what and in which order bids arrive (`bid-answers.ts`), and when would-be lockers lock a
 * reverse-Dutch offer (`lock-answers.ts`). Strategies decide; these only ask them and turn their
 * answers into inputs.
 */
function createResponder(ctx: ResponderContext): {
  respond(d: Extract<Decision, { type: 'solicit' }>, job: Job): void;
  nodeChanged(id: number): void;
} {
  const race = createRaceAnswers(ctx);
  const bids = createBidAnswers(ctx);
  return {
    // The bid answers' busy index (built at the first class bid that needs it) follows every node's free time.
    nodeChanged: bids.nodeChanged,
    respond(d, job) {
      if (d.mode === 'lock') ctx.lockAnswers().respond(d, job);
      else if (d.mode === 'race') race.respond(d, job);
      else bids.respond(d, job);
    },
  };
}
