import { removeAt } from '../mechanisms/remove.js';

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

/** Numbers per later attempt in a node's flat list ({@link AttemptBook}). */
const MORE = 5;

/**
 * Attempts in progress, kept per node. A node has zero or one attempt almost always (more only when
 * it over-commits, or wins work while busy as sealed-bid's busy bidders do), so each node's first
 * attempt lives in dense arrays indexed by node id (no object per attempt, and at 10,000 nodes no
 * pointer to chase into a per-node list on every completion), and further attempts in a short flat
 * list per node ({@link MORE} numbers each), in the order they were added. `add` copies the fields
 * in, `take` copies them out into the caller's object.
 */
export class AttemptBook {
  /** Node id → its first attempt's job id (-1: none), start, end, failed flag and event handle. */
  private jobOf: Float64Array;
  private startOf: Float64Array;
  private endOf: Float64Array;
  private handleOf: Float64Array;
  private failedOf: Uint8Array;
  /**
   * Node id → its later attempts, oldest first, flat: job id, start, end, failed (0/1), handle. An
   * object per queued attempt (sealed-bid queues about 38,000 in a 50,000-job run) outlived the young
   * generation at 10,000 operators, with 100 times the jobs in flight, and was promoted (6 MB).
   */
  private readonly more: (number[] | undefined)[];
  /** Later attempts held, over all nodes (0: `take` skips the lists). */
  private queued = 0;

  constructor(nodes: number) {
    const n = Math.max(1, nodes);
    this.jobOf = new Float64Array(n).fill(-1);
    this.startOf = new Float64Array(n);
    this.endOf = new Float64Array(n);
    this.handleOf = new Float64Array(n);
    this.failedOf = new Uint8Array(n);
    // Filled, so its elements stay dense when a node's list is set (an index far past the end of an empty array makes it a dictionary).
    this.more = new Array<number[] | undefined>(n).fill(undefined);
  }

  add(jobId: number, node: number, start: number, end: number, failed: boolean, handle: number): void {
    if (node >= this.jobOf.length) this.grow(node + 1);
    if (this.jobOf[node] !== -1) {
      let list = this.more[node];
      if (list === undefined) this.more[node] = list = [];
      list.push(jobId, start, end, failed ? 1 : 0, handle);
      this.queued++;
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
      const list = this.queued > 0 ? this.more[node] : undefined;
      if (list !== undefined && list.length > 0) {
        this.jobOf[node] = list[0]!;
        this.startOf[node] = list[1]!;
        this.endOf[node] = list[2]!;
        this.failedOf[node] = list[3]!;
        this.handleOf[node] = list[4]!;
        this.drop(list, 0);
      } else this.jobOf[node] = -1;
      return true;
    }
    const list = this.queued > 0 ? this.more[node] : undefined;
    if (list === undefined) return false;
    for (let i = 0; i < list.length; i += MORE) {
      if (list[i] !== jobId) continue;
      out.jobId = jobId;
      out.node = node;
      out.start = list[i + 1]!;
      out.end = list[i + 2]!;
      out.failed = list[i + 3] === 1;
      out.handle = list[i + 4]!;
      this.drop(list, i);
      return true;
    }
    return false;
  }

  /** Removes the later attempt at offset `i` of a node's list (the rest move down: no `splice`, which allocates). */
  private drop(list: number[], i: number): void {
    removeAt(list, i, MORE);
    this.queued--;
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
    while (this.more.length < n) this.more.push(undefined);
  }
}
