import type { Job } from '../mechanisms/types.js';
import { fits } from '../mechanisms/types.js';
import type { MarketContext } from './context.js';

/**
 * The most surplus any allocation could get from a job: its value minus the cheapest marginal cost
 * among the active nodes that fit it and could prove it by the deadline if idle now (0 if none, or
 * if negative). Summed over jobs it bounds every allocation's surplus from above (capacity conflicts
 * between jobs are ignored), so `allocative_efficiency` is a lower bound of the exact efficiency.
 */
export function bestSurplus(ctx: Pick<MarketContext, 'nodes' | 'sim'>, job: Job, value: number): number {
  if (!(value > 0)) return 0;
  let best = Infinity;
  for (const n of ctx.nodes) {
    if (!n.active || n.ejected || !fits(n.info.capacity, job.request)) continue;
    const dur = n.model.duration(job.mcycles, job.kind);
    if (ctx.sim.now + dur > job.deadline) continue;
    const c = (dur * n.model.hourlyCostUsd) / 3600;
    if (c < best) best = c;
  }
  return Number.isFinite(best) && value > best ? value - best : 0;
}
