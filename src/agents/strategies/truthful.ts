import type { OperatorStrategy } from '../strategy.js';
import { costPlus } from './cost-plus.js';

/** `truthful`: prices at its own marginal cost (cost-plus with a zero margin, whatever the group's margin). */
export function truthful(): OperatorStrategy {
  return costPlus('truthful', 0);
}
