import type { ParamSpec } from './params.js';

/**
 * What the simulator knows of an operator strategy without building it: its description and its
 * numeric parameters (defaults, bounds). `pmsim validate` and `pmsim list` read these only, so they
 * never load the strategies themselves (issue 10: a fast CLI); registry.ts pairs each with its factory.
 */
export interface StrategySpec {
  readonly description: string;
  /** Numeric parameters (operator group `params`), with defaults and bounds. */
  readonly params: Readonly<Record<string, ParamSpec>>;
}

const share = (def: number, description: string): ParamSpec => ({ default: def, min: 0, max: 1, description });
/** The cap on the opportunity cost of queued work, shared by the strategies that price scarcity. */
const scarcityCap: ParamSpec = { default: 4, min: 0, description: 'Most jobs of displaced work counted in the opportunity cost' };

/** Every strategy's description and parameters, by id. Each strategy adds one entry here and one factory in registry.ts. */
export const strategySpecs: Readonly<Record<string, StrategySpec>> = {
  'cost-plus': {
    description: 'expected cost x (1 + margin)',
    params: {
      scarcity: share(0, '1: a node with queued work adds the opportunity cost of the work it would displace (off by default)'),
      scarcity_cap: scarcityCap,
    },
  },
  equilibrium: {
    description: 'Bayes-Nash equilibrium bidder: first-price/reverse-Dutch shading b(c), truthful in second price, speed-aware race entry',
    params: {
      n: { default: 0, min: 0, description: 'Number of bidders assumed (0: the nodes the solicitation reached)' },
      scarcity: share(1, '1: a node with queued work prices in the opportunity cost of the work it would displace'),
      scarcity_cap: scarcityCap,
      full_cost_utilisation: share(0, 'Adds capital per hour x duration / this utilisation to the cost (0: marginal cost only)'),
    },
  },
  'no-regret': {
    description: 'EXP3 bandit over a grid of markups, learning from its own payoffs only',
    params: {
      arms: { default: 11, min: 2, description: 'Markups in the grid' },
      max_markup: { default: 1, min: 0, description: 'Highest markup of the grid' },
      gamma: { default: 0.05, min: 0, max: 1, description: 'EXP3 exploration rate' },
      eta: { default: 0.05, min: 0, description: 'Learning rate (0: gamma / arms, as in Auer et al.)' },
      contexts: { default: 8, min: 1, description: "Buckets of the own cost's quantile in the public prior (one learner each)" },
      scarcity: share(1, '1: prices in the opportunity cost of queued work'),
      full_cost_utilisation: share(
        0,
        'Marks up capital per hour x duration / this utilisation on top of marginal cost (0: marginal cost only)',
      ),
      scarcity_cap: scarcityCap,
    },
  },
  truthful: { description: 'bids and locks at its own marginal cost', params: {} },
  'zi-c': {
    description: 'Gode-Sunder zero intelligence, constrained: uniform random asks in [cost, cost x (1 + spread)]',
    params: { spread: { default: 1, min: 0, description: 'Highest ask as a markup over cost' } },
  },
  'zi-u': {
    description: 'Gode-Sunder zero intelligence, unconstrained: uniform random asks in [0, cost x (1 + spread)]',
    params: { spread: { default: 1, min: 0, description: 'Highest ask as a markup over cost' } },
  },
  adaptive: {
    description: 'learns its markup by additive increase on wins, multiplicative decrease on losses',
    params: {
      step: { default: 0.02, min: 0, description: 'Markup added after a win' },
      decrease: share(0.1, 'Fraction of the markup removed after a loss'),
      min_markup: { default: 0, min: -1, description: 'Lowest markup' },
      max_markup: { default: 3, min: -1, description: 'Highest markup' },
      patience_s: { default: 3600, min: 0, description: 'Standing asks: seconds without a win that count as a loss' },
    },
  },
  predatory: {
    description: "prices below cost until its share reaches a target, then raises prices toward the requesters' limits",
    params: {
      target_share: share(0.5, 'Share of delivered work at which predation stops'),
      release_fraction: share(0.5, 'Predation resumes when the share falls below target_share x release_fraction'),
      predation_price: { default: 0, min: 0, max: 1, description: 'Predation price as a fraction of cost (0: free)' },
      ramp_s: { default: 86400, min: 0, description: "Seconds to raise prices from cost x (1 + margin) to the requester's limit" },
      recoup_markup: { default: 1, min: 0, description: 'Recoupment target markup when no requester limit is known (standing asks)' },
    },
  },
  sybil: {
    description: 'one entity advertising many identities per physical node, to capture random selection',
    params: { identities: { default: 10, min: 1, description: 'Identities advertised per physical node (they share its work queue)' } },
  },
  flaky: {
    description: 'cost-plus that fails attempts and goes offline with given probabilities',
    params: {
      fail_prob: share(0.2, "Probability that an attempt fails (the group's failure_prob wins when given)"),
      offline_prob: share(0.1, 'Probability of being offline when consulted'),
    },
  },
  griefer: {
    description: 'locks or accepts work cheaply and abandons it',
    params: {
      abandon_prob: share(1, 'Probability of abandoning a job it took'),
      abandon_after_s: { default: 1, min: 0, description: 'Seconds after taking a job at which the abandoned attempt is reported failed' },
      price_factor: { default: 0, min: 0, description: 'Price as a multiple of cost (0: free)' },
    },
  },
  overcommit: { description: 'capacity-blind cost-plus: takes work it cannot finish in time', params: {} },
  cartel: {
    description: 'cost-plus members sharing a price floor per Mcycle',
    params: { floor_usd_per_mcycle: { default: 0, min: 0, description: 'Lowest price per Mcycle any member accepts, bids or asks' } },
  },
};

/** Ids of the known operator strategies. */
export function strategyIds(): string[] {
  return Object.keys(strategySpecs);
}

/** Describes every strategy (for `pmsim list`). */
export function strategyList(): { id: string; description: string }[] {
  return Object.entries(strategySpecs).map(([id, s]) => ({ id, description: s.description }));
}

/** A strategy's parameter specs (undefined for an unknown id or an inherited name such as `constructor`). */
export function strategyParams(id: string): Readonly<Record<string, ParamSpec>> | undefined {
  return Object.hasOwn(strategySpecs, id) ? strategySpecs[id]!.params : undefined;
}
