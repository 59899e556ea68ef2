/**
 * The shell's side of multi-job nodes (issue 13, `mechanisms/packing.ts`): on a node that advertises
 * `concurrent`, an attempt starts at once while its request fits the resources the node's running
 * attempts leave, and otherwise after all of them (as on any node); it runs at its dominant share of
 * the node's speed and books that share of the node's hourly cost. Mechanisms that pack (first-fit,
 * random) assign such nodes several jobs; under the others a concurrent node runs one job at a time, on its share.
 */
import { dominantShare, occupancy } from '../mechanisms/packing.js';
import { fits, type Job, type Resources } from '../mechanisms/types.js';
import type { Node } from './population.js';

/** Running attempts of the concurrent nodes. */
export interface PackingRoom {
  /** When an attempt of `job` on `node` starts (`now`, or `queued` when it does not fit beside the running ones) and its speed share. */
  start(node: Node, job: Job, now: number, queued: number): { start: number; share: number };
  /** An attempt ended (completed or aborted): its resources are free again. */
  end(jobId: number, nodeId: number): void;
  /** Would an attempt of `job` start on the concurrent node now (it fits beside the running ones)? */
  fitsNow(node: Node, job: Job): boolean;
  /** The share of a node's cost and speed a job takes (1 on an ordinary node). */
  share(node: Node, job: Job | undefined): number;
}

/** Builds the packing room of a run, or undefined when no node is concurrent. */
export function createPackingRoom(nodes: readonly Node[]): PackingRoom | undefined {
  if (!nodes.some((n) => n.info.concurrent)) return undefined;
  const running: (Map<number, Resources> | undefined)[] = [];
  const used = (id: number): Resources => {
    const u = { cpus: 0, gpus: 0, memoryGb: 0 };
    for (const r of running[id]?.values() ?? []) {
      u.cpus += r.cpus;
      u.gpus += r.gpus;
      u.memoryGb += r.memoryGb;
    }
    return u;
  };
  const spareOf = (node: Node): Resources => {
    const cap = node.info.capacity;
    const u = used(node.info.id);
    return { cpus: cap.cpus - u.cpus, gpus: cap.gpus - u.gpus, memoryGb: cap.memoryGb - u.memoryGb };
  };
  const room: PackingRoom = {
    fitsNow: (node, job) => fits(spareOf(node), occupancy(job.request, node.info.capacity)),
    share: (node, job) => (node.info.concurrent && job ? dominantShare(job.request, node.info.capacity) : 1),
    start(node, job, now, queued) {
      if (!node.info.concurrent) return { start: queued, share: 1 };
      const cap = node.info.capacity;
      const o = occupancy(job.request, cap);
      const free = fits(spareOf(node), o);
      (running[node.info.id] ??= new Map()).set(job.id, o);
      return { start: free ? now : queued, share: dominantShare(job.request, cap) };
    },
    end(jobId, nodeId) {
      running[nodeId]?.delete(jobId);
    },
  };
  return room;
}
