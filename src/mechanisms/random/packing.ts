/**
 * Random allocation on multi-job nodes (issue 13, `../packing.ts`): which jobs a node proves. An
 * ordinary node proves one job (`opJob`/`opSlot`, busy in the free index while it does); a concurrent
 * node proves several, recorded per (node, job), and stays listed in the free index under its spare
 * resources, so the beacon draw is over the nodes whose spare resources fit the request.
 */
import { addNode, give, occupancy, packBook, packs, spare, take, type PackBook } from '../packing.js';
import { fits, type OperatorInfo, type Resources } from '../types.js';
import type { FreeIndex } from '../free-index.js';

/** The part of random's state these rules read and write. */
export interface Assignments<R extends { job: { id: number; request: Resources } }> {
  index: FreeIndex;
  opJob: (R | undefined)[];
  opSlot: number[];
  /** Spare resources of the concurrent nodes; absent when no node packs. */
  pack?: PackBook;
  /** Concurrent node id → its jobs (job id → slot index). */
  packJobs?: (Map<number, number> | undefined)[];
}

/** Registers a concurrent node (at init or join). */
export function addPacking<R extends { job: { id: number; request: Resources } }>(s: Assignments<R>, o: OperatorInfo): void {
  if (!o.concurrent) return;
  addNode((s.pack ??= packBook()), o.id, o.capacity);
  s.packJobs ??= [];
  s.packJobs[o.id] ??= new Map();
}

/** The capacity a node is listed under in the free index: its spare resources when it packs. */
export function listedCapacity<R extends { job: { id: number; request: Resources } }>(s: Assignments<R>, o: OperatorInfo): Resources {
  return packs(s.pack, o.id) ? spare(s.pack!, o.id) : o.capacity;
}

/** Does `op` prove `rec` now? */
export function holds<R extends { job: { id: number; request: Resources } }>(s: Assignments<R>, op: number, rec: R): boolean {
  return packs(s.pack, op) ? s.packJobs![op]!.has(rec.job.id) : s.opJob[op] === rec;
}

/** The slot of `rec` that `op` proves (the caller checked {@link holds}). */
export function slotOf<R extends { job: { id: number; request: Resources } }>(s: Assignments<R>, op: number, rec: R): number {
  return packs(s.pack, op) ? s.packJobs![op]!.get(rec.job.id)! : s.opSlot[op]!;
}

/** Can `op` take `rec` now (free, or a concurrent node whose spare resources fit it)? */
export function canTake<R extends { job: { id: number; request: Resources } }>(s: Assignments<R>, op: number, rec: R): boolean {
  if (!packs(s.pack, op)) return s.index.isFree(op);
  return s.index.has(op) && fits(spare(s.pack!, op), occupancy(rec.job.request, s.pack!.capacity[op]!));
}

/** `op` starts proving slot `si` of `rec`. */
export function bind<R extends { job: { id: number; request: Resources } }>(s: Assignments<R>, op: number, rec: R, si: number): void {
  if (packs(s.pack, op)) {
    take(s.pack!, op, rec.job.request);
    s.packJobs![op]!.set(rec.job.id, si);
    s.index.reprofile(op, spare(s.pack!, op));
    return;
  }
  s.index.setFree(op, false);
  s.opJob[op] = rec;
  s.opSlot[op] = si;
}

/** `op` stops proving `rec` (delivered, failed, declined, aborted). */
export function unbind<R extends { job: { id: number; request: Resources } }>(s: Assignments<R>, op: number, rec: R): void {
  if (packs(s.pack, op)) {
    if (!s.packJobs![op]!.delete(rec.job.id)) return;
    give(s.pack!, op, rec.job.request);
    s.index.reprofile(op, spare(s.pack!, op));
    return;
  }
  s.opJob[op] = undefined;
}

/** Does `op` prove nothing? */
export function idle<R extends { job: { id: number; request: Resources } }>(s: Assignments<R>, op: number): boolean {
  return packs(s.pack, op) ? s.packJobs![op]!.size === 0 : s.opJob[op] === undefined;
}
