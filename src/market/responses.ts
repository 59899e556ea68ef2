import { hashUniform } from '../mechanisms/beacon.js';
import type { Decision, Job } from '../mechanisms/types.js';
import { fits } from '../mechanisms/types.js';
import type { DecisionHandler, MarketContext } from './context.js';
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
  /** Does the owner of the assigned node take an uncommitted assignment at its price? */
  acceptsAssignment(d: Extract<Decision, { type: 'assign' }>, job: Job): boolean;
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
      if (needFree && n.outstanding > 0 && !entities[n.info.entity]!.strategy.overcommits) continue;
      list.push(i);
    }
    return list;
  }

  const responder = createResponder({
    ...ctx,
    raceOrderSeed: ctx.seeds.raceOrder,
    now: () => sim.now,
    candidates,
    raceEntry: ctx.scenario.race_entry,
    lockAnswers: createLockAnswers(ctx),
  });

  return {
    solicit(d) {
      const rec = ctx.jobs.get(d.jobId);
      if (rec) responder.respond(d, rec.job);
    },
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
    acceptsAssignment(d, job) {
      const node = nodes[d.operator]!;
      const e = ownerOf[d.operator]!;
      const ok = node.active && !node.ejected && e.strategy.accept(ctx.quote(node, job), d.price / 1e6, e.view, rngOf[d.operator]!.next());
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
  /**
   * Race entry: `rational` (default) spreads the free provers over the open races; `herd` is
   * pmsim's original rule (every solicitation decided alone).
   */
  readonly raceEntry?: 'rational' | 'herd';
  /** The answers to reverse-Dutch lock solicitations. */
  readonly lockAnswers: LockAnswers;
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
  return {
    respond(d: Extract<Decision, { type: 'solicit' }>, job: Job): void {
      // Reverse Dutch: each would-be locker locks when the ramp reaches its price (lock-answers.ts).
      if (d.mode === 'lock') return ctx.lockAnswers.respond(d, job);
      // A re-offer to one node that became free (`to`) asks that node only.
      const needFree = d.mode !== 'bid';
      const list =
        d.to === undefined ? ctx.candidates(job, d.exclude, needFree) : eligible(ctx, d.to, job, d.exclude, needFree) ? [d.to] : [];
      if (d.mode === 'race') {
        // Racers may work until the later of the requester's deadline and the last moment the race
        // accepts them (`until`): a reverse-Dutch secondary works to the offer's timeout, which may
        // come after the requester's off-chain deadline (issue 12). A race's join window ends sooner.
        if (d.until > job.deadline) job = { ...job, deadline: d.until };
        // Free-entry participation: each candidate expects k racers, where k is the largest number
        // such that at least k candidates would join a race they expect k racers in (joinRace is
        // monotone in the expected number of racers); then k of those join, in a random order.
        const qs = list.map((id) => ctx.quote(ctx.nodes[id]!, job));
        const us = list.map((id) => ctx.agentRng[ctx.nodes[id]!.info.entity]!.next());
        const joiners = (k: number): number[] =>
          list.filter((id, i) => {
            const e = ctx.entities[ctx.nodes[id]!.info.entity]!;
            return e.strategy.joinRace(qs[i]!, d.reward / 1e6, k, e.view, us[i]!);
          });
        // Do at least k candidates join when k racers are expected? Stops counting at k.
        const enough = (k: number): boolean => {
          let c = 0;
          for (let i = 0; i < list.length && c < k; i++) {
            const e = ctx.entities[ctx.nodes[list[i]!]!.info.entity]!;
            if (e.strategy.joinRace(qs[i]!, d.reward / 1e6, k, e.view, us[i]!)) c++;
          }
          return c >= k;
        };
        let lo = 0;
        let hi = list.length;
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
        if (open > 1 && lo > 0) lo = Math.min(lo, Math.max(1, Math.ceil(list.length / open)));
        if (lo > 0) {
          raceWaiting.delete(job.id);
          const js = joiners(lo);
          const order = js.map((id) => hashUniform(ctx.raceOrderSeed, job.id, id, 0));
          const idx = js.map((_, i) => i).sort((a, b) => order[a]! - order[b]! || js[a]! - js[b]!);
          const joined = new Set<number>();
          for (let i = 0; i < lo; i++) {
            joined.add(js[idx[i]!]!);
            ctx.feed({ type: 'join-race', jobId: job.id, operator: js[idx[i]!]! });
          }
          // The free provers that stayed out announce themselves again, so the mechanism offers them
          // the next waiting race (it re-offers waiting jobs only to nodes that become available).
          // Each node at most once per instant: the cascade ends even when a join is refused.
          if (rational && raceWaiting.size > 0) {
            if (ctx.now() !== announcedAt) {
              announcedAt = ctx.now();
              announced.clear();
            }
            for (const id of list) {
              if (joined.has(id) || ctx.nodes[id]!.outstanding !== 0 || announced.has(id)) continue;
              announced.add(id);
              ctx.feed({ type: 'available', operator: id });
            }
          }
        } else raceWaiting.add(job.id);
      } else {
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
