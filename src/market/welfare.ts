import type { Job } from '../mechanisms/types.js';
import { fits } from '../mechanisms/types.js';
import type { Node } from './population.js';

/**
 * The most surplus any allocation could get from a job: its value minus the cheapest marginal cost
 * among the active nodes that fit it and could prove it by the deadline if idle now (0 if none, or
 * if negative). Summed over jobs it bounds every allocation's surplus from above (capacity conflicts
 * between jobs are ignored), so `allocative_efficiency` is a lower bound of the exact efficiency.
 *
 * Nodes that share a hardware model and a capacity (every node of an operator group without a
 * `cost_factor`) cost the same and take as long, so they form one class, and a job asks one
 * representative per class that has a live node: O(classes) per job instead of O(nodes). The
 * minimum is the same whatever the order, so the bound is unchanged to the last bit.
 */
export class SurplusBound {
  private readonly classOf: Int32Array;
  /** Node id → counted live (active and not ejected). */
  private readonly live: Uint8Array;
  /** Class → live nodes; class → its first node (the model and capacity every member shares). */
  private readonly liveCount: number[] = [];
  private readonly reps: Node[] = [];

  constructor(private readonly nodes: readonly Node[]) {
    this.classOf = new Int32Array(nodes.length);
    this.live = new Uint8Array(nodes.length);
    const byModel = new Map<Node['model'], Map<Node['info']['capacity'], number>>();
    // Nodes of a group come in a row with one model and capacity: the previous node's class is reused without a lookup.
    let prevModel: Node['model'] | undefined;
    let prevCap: Node['info']['capacity'] | undefined;
    let prevClass = -1;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      let c = prevClass;
      if (n.model !== prevModel || n.info.capacity !== prevCap) {
        c = this.classFor(byModel, n);
        prevModel = n.model;
        prevCap = n.info.capacity;
        prevClass = c;
      }
      this.classOf[i] = c;
      this.update(i);
    }
  }

  /** The class of `n`'s model and capacity, opened (with `n` as its representative) if new. */
  private classFor(byModel: Map<Node['model'], Map<Node['info']['capacity'], number>>, n: Node): number {
    let byCap = byModel.get(n.model);
    if (!byCap) byModel.set(n.model, (byCap = new Map()));
    let c = byCap.get(n.info.capacity);
    if (c === undefined) {
      c = this.reps.length;
      byCap.set(n.info.capacity, c);
      this.reps.push(n);
      this.liveCount.push(0);
    }
    return c;
  }

  /** Re-reads a node's `active` and `ejected` flags (call after changing either). */
  update(nodeId: number): void {
    const n = this.nodes[nodeId]!;
    const now = n.active && !n.ejected ? 1 : 0;
    if (now === this.live[nodeId]) return;
    this.live[nodeId] = now;
    this.liveCount[this.classOf[nodeId]!]! += now ? 1 : -1;
  }

  /**
   * Adds the bound of `rec`'s job to `sink.bestSurplusUsd`. The sum is made here, not by the caller:
   * a double returned from a call that is not inlined (this one is too large for the arrival's
   * budget) is boxed, one number per job; the same additions in the same order, so the same bits.
   */
  addBest(rec: { readonly job: Job; readonly value: number }, sink: { bestSurplusUsd: number }): void {
    sink.bestSurplusUsd += this.best(rec.job, rec.value);
  }

  /** The bound for `job` worth `value` USD, at its submission (USD, ≥ 0). */
  best(job: Job, value: number): number {
    if (!(value > 0)) return 0;
    // The submission time from the job, not an argument: a double passed to a call is boxed.
    const now = job.submittedAt;
    let best = Infinity;
    const reps = this.reps;
    for (let c = 0; c < reps.length; c++) {
      const n = reps[c]!;
      if (this.liveCount[c] === 0 || !fits(n.info.capacity, job.request)) continue;
      const dur = n.model.duration(job.mcycles, job.kind);
      if (now + dur > job.deadline) continue;
      const cost = (dur * n.model.hourlyCostUsd) / 3600;
      if (cost < best) best = cost;
    }
    return Number.isFinite(best) && value > best ? value - best : 0;
  }
}
