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
 * it over-commits), so each node's first attempt lives in dense arrays indexed by node id (no object
 * per attempt, and at 10,000 nodes no pointer to chase into a per-node list on every completion),
 * and further attempts in a short list per node, in the order they were added. `add` copies the
 * fields in, `take` copies them out into the caller's object.
 */
export class AttemptBook {
  /** Node id → its first attempt's job id (-1: none), start, end, failed flag and event handle. */
  private jobOf: Float64Array;
  private startOf: Float64Array;
  private endOf: Float64Array;
  private handleOf: Float64Array;
  private failedOf: Uint8Array;
  /** Node id → its later attempts, oldest first (capacity-blind nodes only). */
  private readonly more = new Map<number, Attempt[]>();

  constructor(nodes: number) {
    const n = Math.max(1, nodes);
    this.jobOf = new Float64Array(n).fill(-1);
    this.startOf = new Float64Array(n);
    this.endOf = new Float64Array(n);
    this.handleOf = new Float64Array(n);
    this.failedOf = new Uint8Array(n);
  }

  add(jobId: number, node: number, start: number, end: number, failed: boolean, handle: number): void {
    if (node >= this.jobOf.length) this.grow(node + 1);
    if (this.jobOf[node] !== -1) {
      let list = this.more.get(node);
      if (!list) this.more.set(node, (list = []));
      list.push({ jobId, node, start, end, failed, handle });
      return;
    }
    this.jobOf[node] = jobId;
    this.startOf[node] = start;
    this.endOf[node] = end;
    this.failedOf[node] = failed ? 1 : 0;
    this.handleOf[node] = handle;
  }

  /** Removes the attempt of `jobId` on `node` and copies it into `out`; false if there is none. */
  take(jobId: number, node: number, out: Attempt): boolean {
    if (node >= this.jobOf.length) return false;
    if (this.jobOf[node] === jobId) {
      out.jobId = jobId;
      out.node = node;
      out.start = this.startOf[node]!;
      out.end = this.endOf[node]!;
      out.failed = this.failedOf[node] === 1;
      out.handle = this.handleOf[node]!;
      // The next attempt of the node, if any, becomes its first.
      const next = this.more.size > 0 ? this.more.get(node)?.shift() : undefined;
      if (next) {
        this.jobOf[node] = next.jobId;
        this.startOf[node] = next.start;
        this.endOf[node] = next.end;
        this.failedOf[node] = next.failed ? 1 : 0;
        this.handleOf[node] = next.handle;
      } else this.jobOf[node] = -1;
      return true;
    }
    const list = this.more.size > 0 ? this.more.get(node) : undefined;
    if (!list) return false;
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!;
      if (a.jobId !== jobId) continue;
      list.splice(i, 1);
      out.jobId = a.jobId;
      out.node = a.node;
      out.start = a.start;
      out.end = a.end;
      out.failed = a.failed;
      out.handle = a.handle;
      return true;
    }
    return false;
  }

  /** A blank record for {@link take} to fill. */
  static blank(): Attempt {
    return { jobId: 0, node: 0, start: 0, end: 0, failed: false, handle: 0 };
  }

  private grow(min: number): void {
    const n = Math.max(min, this.jobOf.length * 2);
    const f64 = (a: Float64Array, fill = 0): Float64Array => {
      const b = new Float64Array(n).fill(fill);
      b.set(a);
      return b;
    };
    this.jobOf = f64(this.jobOf, -1);
    this.startOf = f64(this.startOf);
    this.endOf = f64(this.endOf);
    this.handleOf = f64(this.handleOf);
    const f = new Uint8Array(n);
    f.set(this.failedOf);
    this.failedOf = f;
  }
}
