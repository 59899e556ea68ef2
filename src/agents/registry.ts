import type { OperatorStrategy } from './strategy.js';
import { checkStrategyParams, resolveStrategyParams, type StrategyParams } from './params.js';
import { strategyIds, strategyParams } from './strategy-specs.js';
import { adaptive } from './strategies/adaptive.js';
import { cartel, flaky, griefer, overcommit, sybil } from './strategies/attackers.js';
import { costPlus } from './strategies/cost-plus.js';
import { equilibrium } from './strategies/equilibrium.js';
import { noRegret } from './strategies/no-regret.js';
import { predatory } from './strategies/predatory.js';
import { truthful } from './strategies/truthful.js';
import { zeroIntelligence } from './strategies/zero-intelligence.js';

type StrategyCreate = (params: StrategyParams) => OperatorStrategy;

/**
 * Strategy factories by id. Descriptions and parameters live in strategy-specs.ts (which `pmsim
 * validate` reads without loading any strategy); each strategy adds one line here and one entry there.
 */
const factories: Readonly<Record<string, StrategyCreate>> = {
  'cost-plus': (p) => costPlus('cost-plus', undefined, { scarcity: p.scarcity, scarcityCap: p.scarcity_cap }),
  equilibrium: (p) => equilibrium(p),
  'no-regret': (p) => noRegret(p),
  truthful: () => truthful(),
  'zi-c': (p) => zeroIntelligence('zi-c', p),
  'zi-u': (p) => zeroIntelligence('zi-u', p),
  adaptive: (p) => adaptive(p),
  predatory: (p) => predatory(p),
  sybil: (p) => sybil(p),
  flaky: (p) => flaky(p),
  griefer: (p) => griefer(p),
  overcommit: () => overcommit(),
  cartel: (p) => cartel(p),
};

export { strategyIds, strategyList, strategyParams } from './strategy-specs.js';

/** Problems with a strategy id and its parameters (empty when valid). */
export function checkStrategy(id: string, params: Readonly<Record<string, unknown>> = {}): string[] {
  const specs = strategyParams(id);
  if (!specs || !Object.hasOwn(factories, id)) return [`unknown strategy "${id}" (known: ${strategyIds().join(', ')})`];
  return checkStrategyParams(id, params, specs);
}

/** Builds a strategy; throws on an unknown id or invalid parameters. */
export function createStrategy(id: string, params: Record<string, unknown> = {}): OperatorStrategy {
  return strategyFactory(id, params)();
}

/**
 * A factory of fresh strategies of one id and parameters, checked and resolved once: an operator
 * group builds one strategy per entity (5,500 at 10,000 operators). Throws on an unknown id or
 * invalid parameters.
 */
export function strategyFactory(id: string, params: Record<string, unknown> = {}): () => OperatorStrategy {
  const issues = checkStrategy(id, params);
  if (issues.length > 0) throw new Error(issues.join('; '));
  const create = factories[id]!;
  const resolved = resolveStrategyParams(params, strategyParams(id)!);
  return () => create(resolved);
}
