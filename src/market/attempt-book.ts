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
 * would exceed V8's small-integer range for large runs. The book owns its records and recycles them
 * (one attempt per job would otherwise be one more object for the garbage collector): `add` copies
 * the fields in, `take` copies them out into the caller's object.
 */
export class AttemptBook {
  private readonly byNode: Attempt[][];
  private readonly spare: Attempt[] = [];

  constructor(nodes: number) {
    this.byNode = Array.from({ length: nodes }, () => []);
  }

  add(jobId: number, node: number, start: number, end: number, failed: boolean, handle: number): void {
    const a = this.spare.pop() ?? { jobId: 0, node: 0, start: 0, end: 0, failed: false, handle: 0 };
    a.jobId = jobId;
    a.node = node;
    a.start = start;
    a.end = end;
    a.failed = failed;
    a.handle = handle;
    (this.byNode[node] ??= []).push(a);
  }

  /** Removes the attempt of `jobId` on `node` and copies it into `out`; false if there is none. */
  take(jobId: number, node: number, out: Attempt): boolean {
    const list = this.byNode[node];
    if (!list) return false;
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!;
      if (a.jobId === jobId) {
        if (i === list.length - 1) list.pop();
        else list.splice(i, 1);
        out.jobId = a.jobId;
        out.node = a.node;
        out.start = a.start;
        out.end = a.end;
        out.failed = a.failed;
        out.handle = a.handle;
        this.spare.push(a);
        return true;
      }
    }
    return false;
  }

  /** A blank record for {@link take} to fill. */
  static blank(): Attempt {
    return { jobId: 0, node: 0, start: 0, end: 0, failed: false, handle: 0 };
  }
}
