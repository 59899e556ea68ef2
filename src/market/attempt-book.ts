/** One proving attempt in progress (or queued behind other work on its node). */
export interface Attempt {
  jobId: number;
  node: number;
  start: number;
  end: number;
  failed: boolean;
  /** Handle of its completion event, to cancel on abort. */
  handle: number;
}

/**
 * Attempts in progress, kept per node. A node has zero or one attempt almost always (more only when
 * it over-commits), so a short list per node is faster than a Map keyed by (job, node), whose keys
 * would exceed V8's small-integer range for large runs.
 */
export class AttemptBook {
  private readonly byNode: Attempt[][];

  constructor(nodes: number) {
    this.byNode = Array.from({ length: nodes }, () => []);
  }

  add(a: Attempt): void {
    (this.byNode[a.node] ??= []).push(a);
  }

  /** Removes and returns the attempt of `jobId` on `node`, if any. */
  take(jobId: number, node: number): Attempt | undefined {
    const list = this.byNode[node];
    if (!list) return undefined;
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!;
      if (a.jobId === jobId) {
        if (i === list.length - 1) list.pop();
        else list.splice(i, 1);
        return a;
      }
    }
    return undefined;
  }
}
