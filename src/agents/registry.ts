import type { OperatorStrategy } from './strategy.js';
import { costPlus } from './strategies/cost-plus.js';
import { truthful } from './strategies/truthful.js';

/** Strategy factories by id. Each strategy adds one line here. */
const strategies: Record<string, { description: string; create: (params: Record<string, unknown>) => OperatorStrategy }> = {
  'cost-plus': { description: 'expected cost x (1 + margin)', create: () => costPlus() },
  truthful: { description: 'bids and locks at its own marginal cost', create: () => truthful() },
};

/** Ids of the known operator strategies. */
export function strategyIds(): string[] {
  return Object.keys(strategies);
}

/** Describes every strategy (for `pmsim list`). */
export function strategyList(): { id: string; description: string }[] {
  return Object.entries(strategies).map(([id, s]) => ({ id, description: s.description }));
}

/** Builds a strategy; throws on an unknown id. */
export function createStrategy(id: string, params: Record<string, unknown> = {}): OperatorStrategy {
  const s = strategies[id];
  if (!s) throw new Error(`unknown strategy "${id}" (known: ${strategyIds().join(', ')})`);
  return s.create(params);
}
