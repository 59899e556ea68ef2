/**
 * Multi-job nodes (issue 13, item 5): a node that advertises `concurrent` runs several jobs at once
 * while their requests fit its spare cpus, gpus and memory together (bin packing). ZkCloud: "all
 * prover nodes are sized to be able to run multiple provers and verifiers in parallel"
 * (gevulotnetwork/gevulot-docs@1b722dc `zkcloud-design/execution-guarantees.md:51`), "allowing nodes
 * to run multiple provers and verifiers simultaneously" (`zkcloud-design/overview.md:11`).
 *
 * Pure bookkeeping shared by the mechanisms that pack (first-fit, random) and the shell (which times a
 * packed job on its share of the node). A job's *share* of a node is its dominant resource share (the
 * largest of its cpus, gpus and memory as fractions of the node's), so it runs at that share of the
 * node's speed and pays that share of its hourly cost.
 */
import type { Resources } from './types.js';

const NONE: Resources = { cpus: 0, gpus: 0, memoryGb: 0 };

/** Does a request take nothing of a node? Such a job takes the whole node (it would otherwise pack without bound). */
function isEmpty(r: Resources): boolean {
  return r.cpus <= 0 && r.gpus <= 0 && r.memoryGb <= 0;
}

/** What a job occupies on a node: its request, or the whole node for an empty request. */
export function occupancy(request: Resources, capacity: Resources): Resources {
  return isEmpty(request) ? capacity : request;
}

/** A job's dominant resource share of a node, in (0, 1]: the largest of its resources as a fraction of the node's. */
export function dominantShare(request: Resources, capacity: Resources): number {
  const r = occupancy(request, capacity);
  let s = 0;
  if (capacity.cpus > 0) s = Math.max(s, r.cpus / capacity.cpus);
  if (capacity.gpus > 0) s = Math.max(s, r.gpus / capacity.gpus);
  if (capacity.memoryGb > 0) s = Math.max(s, r.memoryGb / capacity.memoryGb);
  return s > 0 ? Math.min(1, s) : 1;
}

/** Spare resources of the concurrent nodes, by node id. State, so a rebuilt state packs the same. */
export interface PackBook {
  /** Node id → capacity (concurrent nodes only). */
  capacity: (Resources | undefined)[];
  /** Node id → resources in use. */
  used: Resources[];
  /** Node id → jobs running. */
  jobs: number[];
}

/** An empty book. */
export function packBook(): PackBook {
  return { capacity: [], used: [], jobs: [] };
}

/** Registers a concurrent node (idempotent: a node that re-joins keeps what it runs). */
export function addNode(b: PackBook, id: number, capacity: Resources): void {
  b.capacity[id] = capacity;
  b.used[id] ??= NONE;
  b.jobs[id] ??= 0;
}

/** Is the node a concurrent (packing) node? */
export function packs(b: PackBook | undefined, id: number): boolean {
  return b !== undefined && b.capacity[id] !== undefined;
}

/** What the node has left. */
export function spare(b: PackBook, id: number): Resources {
  const c = b.capacity[id]!;
  const u = b.used[id]!;
  return { cpus: c.cpus - u.cpus, gpus: c.gpus - u.gpus, memoryGb: c.memoryGb - u.memoryGb };
}

/** Books a job's request on the node (the caller checked that it fits the spare resources). */
export function take(b: PackBook, id: number, request: Resources): void {
  const o = occupancy(request, b.capacity[id]!);
  const u = b.used[id]!;
  b.used[id] = { cpus: u.cpus + o.cpus, gpus: u.gpus + o.gpus, memoryGb: u.memoryGb + o.memoryGb };
  b.jobs[id]!++;
}

/** Frees a job's request on the node; the last job out leaves it exactly empty (no rounding drift). */
export function give(b: PackBook, id: number, request: Resources): void {
  const o = occupancy(request, b.capacity[id]!);
  const u = b.used[id]!;
  b.jobs[id] = Math.max(0, b.jobs[id]! - 1);
  b.used[id] = b.jobs[id] === 0 ? NONE : { cpus: u.cpus - o.cpus, gpus: u.gpus - o.gpus, memoryGb: u.memoryGb - o.memoryGb };
}
