import type { Job } from '../mechanisms/types.js';

/** What a node knows when it prices a job. Money in USD at this edge. */
export interface Quote {
  readonly job: Job;
  /** Expected compute cost of proving the job on this node, USD. */
  readonly costUsd: number;
  /** Expected proving time on this node, seconds. */
  readonly durationS: number;
  /** When the node would finish the job if it took it now (after its queued work). */
  readonly finishAt: number;
  /** Is the node working on something now? */
  readonly busy: boolean;
  readonly now: number;
  /**
   * How many nodes the solicitation reached, this one included (sealed bids, reverse-Dutch locks):
   * what a bidder can observe of how many rivals it faces. Undefined where the shell does not know.
   */
  readonly bidders?: number;
  /** The node's capital cost per wall hour, USD (0 or undefined under the `marginal` cost basis). */
  readonly capitalUsdPerHour?: number;
  /** Probability that one attempt of the node fails. */
  readonly failureProb?: number;
  /** Collateral taking the job would post, USD (known before the lock: reverse Dutch). */
  readonly collateralUsd?: number;
}

/**
 * A public prior over the cost of one job on a random eligible node: the distribution F that
 * auction theory's bidders share. `cdf` is right-continuous, 0 below `lo` and 1 from `hi` on.
 */
export interface CostPrior {
  readonly lo: number;
  readonly hi: number;
  /** Eligible nodes behind the prior. */
  readonly count: number;
  cdf(t: number): number;
}

/**
 * What an entity can observe of the market (public information): the network's nodes' hardware
 * and each group's published cost-factor distribution, and the mechanism's published rules.
 */
export interface MarketView {
  /** The prior of the job's marginal cost on a random active node that fits it (null: none fits). */
  costPrior(job: Job): CostPrior | null;
  /** The prior of the marginal cost of one Mcycle of the default workload on a random active node (standing asks). */
  mcyclePrior(): CostPrior | null;
  /** Expected proving times of the job (before jitter) on the active nodes that fit it. */
  durations(job: Job): Float64Array;
  /** The sealed-bid settlement rule of the mechanism being run, when it has one. */
  settlement?: 'first' | 'second';
}

/** The per-entity state a strategy may read and update (learning, predation targets). */
export interface EntityView {
  readonly id: number;
  readonly name: string;
  readonly margin: number;
  readonly attacker: boolean;
  readonly params: Readonly<Record<string, unknown>>;
  /** The entity's share of delivered work over the recent windows (0-1). */
  share: number;
  /** Free-form memory owned by the strategy (markups, counters). */
  memory: Record<string, number>;
  /** Public market information (set by the shell; absent in bare unit tests). */
  market?: MarketView;
}

/**
 * An operator strategy: how an entity prices, accepts and competes for work. A plain object tagged
 * by `type`; randomness comes in as `u` (a uniform draw the caller takes from the entity's stream).
 */
export interface OperatorStrategy {
  readonly type: string;
  /** Take assigned work at `priceUsd` (random allocation)? */
  accept(q: Quote, priceUsd: number, e: EntityView, u: number): boolean;
  /** Total price to bid for a job (sealed-bid), or null to abstain. */
  bid(q: Quote, e: EntityView, u: number): number | null;
  /** Lowest total price at which to lock a job (reverse Dutch), or null never to lock. */
  lockPrice(q: Quote, e: EntityView, u: number): number | null;
  /** Join an open race for `rewardUsd`, expecting `racers` competitors in all? */
  joinRace(q: Quote, rewardUsd: number, racers: number, e: EntityView, u: number): boolean;
  /**
   * Standing ask (order book): price per Mcycle given the node's cost per Mcycle, or null. `now`
   * (simulated seconds) is passed by the shell; strategies that do not need the clock ignore it.
   * `capitalPerMcycleUsd`: the node's capital per wall hour spread over one Mcycle of busy time
   * (full-cost strategies divide it by their target utilisation).
   */
  ask(costPerMcycleUsd: number, e: EntityView, u: number, now?: number, capitalPerMcycleUsd?: number): number | null;
  /**
   * Learns from the result of a job it competed for, once the job's money is final. `won`: the
   * entity was paid for the job; `profitUsd`: what it was paid (and got back) minus the compute and
   * collateral it spent on the job. `jobId` says which job (learners that remember their action per job).
   */
  observe?(won: boolean, profitUsd: number, e: EntityView, jobId?: number): void;
  /** Abandon a job it locked/accepted (griefing)? Asked when work would start. */
  abandon?(q: Quote, e: EntityView, u: number): boolean;
  /** Seconds after taking the job at which an abandoned attempt is reported as failed (default 1). */
  abandonAfter?(q: Quote, e: EntityView): number;
  /**
   * Every answer is a pure function of the quote, the arguments, `e.margin`, `e.params` and the
   * public `e.market`: it ignores `u` and the entity's memory and share. The shell then asks one
   * node for all identical free nodes of a group (race entry classes, issue 10), and one instance
   * of it serves every entity of its group (it keeps no state of its own). Default false.
   */
  readonly pure?: boolean;
  /**
   * Bid classes. `idle`: the bid of an idle node (empty queue: `finishAt` = now + duration, `busy`
   * false) is a pure function of the quote's job, cost, duration, capital, failure probability and
   * bidders, the entity's margin and parameters and the public market view; it reads neither `u`
   * nor `e.memory` or `e.share`, and changes no state. `always`: besides, a busy node bids the same
   * as an idle one whenever it can finish by the deadline (the queue only decides whether it bids).
   * The shell then puts the nodes of one group and hardware model into one bid class and asks one
   * of them for all (`mechanisms/bid-classes.ts`): that is what makes a sealed-bid auction over
   * 10,000 nodes cost O(log N) per job. Leave it unset for strategies that draw, learn or
   * remember: they are asked node by node.
   */
  readonly pureBid?: 'idle' | 'always';
  /** Take work it cannot finish by the deadline? (capacity-blind strategies say yes) */
  readonly overcommits?: boolean;
  /** Per-attempt failure probability of the entity's nodes (overrides the hardware profile; `flaky`). */
  readonly failureProb?: number;
  /**
   * Identities advertised per physical node (`sybil`): each identity is a separate node to the
   * protocol, but the identities of one physical node share its work queue. Default 1.
   */
  readonly identities?: number;
}
