import { removeAt, removeValue } from '../remove.js';

/**
 * The operators proving one job (the locker and/or racers), in the order they started: the order
 * `abortAll` stops them in. The first is held inline (`first`) and the later ones in `workers`: almost
 * every job has a single worker, its locker, and at 10,000 operators a list's object and store were two
 * more cold cache lines at the lock and again at the delivery. A secondary race after a lock deadline
 * may draw thousands of racers at 10,000 operators (its reward is half the collateral), and each join
 * asked "already racing?" of the whole list: 23.5 million comparisons in a 50,000-job run. Past
 * {@link SET_AT} workers a set answers that instead; the list keeps the order.
 */
export interface WorkerList {
  /** The first worker in start order, -1: none (then `workers` is empty too). */
  first: number;
  /** The workers after `first`, in start order (no operator twice). */
  readonly workers: number[];
  /** The same operators (`first` included) as a set once the list is long, else null. */
  workerSet: Set<number> | null;
  /**
   * A copy of the list as it stands, for solicitations to exclude (null: none made since the last
   * change). Never written once made: a change drops it, and the next solicitation copies anew.
   */
  snapshot: readonly number[] | null;
}

/** List length from which membership is answered by a set. */
export const SET_AT = 16;

/** Is `op` proving the job? */
export function hasWorker(w: WorkerList, op: number): boolean {
  if (w.workerSet !== null) return w.workerSet.has(op);
  return w.first === op || (w.workers.length > 0 && w.workers.includes(op));
}

/** `op` starts proving the job (it was not a worker). */
export function addWorker(w: WorkerList, op: number): void {
  w.snapshot = null;
  if (w.first < 0) w.first = op;
  else w.workers.push(op);
  if (w.workerSet !== null) w.workerSet.add(op);
  else if (w.workers.length + 1 >= SET_AT) w.workerSet = new Set(workerList(w));
}

/** `op` stops proving the job (the later workers keep their order); false if it was not a worker. */
export function removeWorker(w: WorkerList, op: number): boolean {
  if (w.workerSet !== null && !w.workerSet.has(op)) return false;
  if (w.first >= 0 && w.first === op) {
    // The next in start order moves up.
    const ws = w.workers;
    if (ws.length > 0) {
      w.first = ws[0]!;
      removeAt(ws, 0);
    } else w.first = -1;
  } else if (!removeValue(w.workers, op)) return false;
  w.workerSet?.delete(op);
  w.snapshot = null;
  return true;
}

/** The workers in start order, as a new list. */
function workerList(w: WorkerList): number[] {
  if (w.first < 0) return [];
  const list = [w.first];
  const ws = w.workers;
  for (let i = 0; i < ws.length; i++) list.push(ws[i]!);
  return list;
}

/**
 * The workers as a list a solicitation may keep (`exclude`), in start order. A secondary race is
 * re-announced to each node that becomes free while it is open, and its workers rarely change in
 * between: at 10,000 operators a copy per re-announcement was 3 million elements copied (about 24 MB
 * allocated) in a 50,000-job run. The copy is shared until the list changes; its contents are the list's.
 */
export function workersSnapshot(w: WorkerList): readonly number[] {
  return (w.snapshot ??= workerList(w));
}

/**
 * Nobody proves the job any more. Pops, not `length = 0`: setting the length is a runtime call (and
 * drops the backing store a reused record would push into again), 2% of a 10,000-operator run's samples.
 */
export function clearWorkers(w: WorkerList): void {
  w.first = -1;
  const ws = w.workers;
  while (ws.length > 0) ws.pop();
  w.workerSet = null;
  w.snapshot = null;
}
