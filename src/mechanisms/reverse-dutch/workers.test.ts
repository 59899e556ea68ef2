import { describe, expect, it } from 'vitest';
import { addWorker, clearWorkers, hasWorker, removeWorker, SET_AT, type WorkerList, workersSnapshot } from './workers.js';

describe('reverse-dutch workers: the operators proving a job, in start order', () => {
  it('answers membership like the list itself, below and past the set threshold, through adds, removals and a clear', () => {
    const w: WorkerList = { first: -1, workers: [], workerSet: null, snapshot: null };
    const ref: number[] = [];
    // A deterministic walk of adds and removals that crosses SET_AT several times.
    let x = 7;
    for (let step = 0; step < 2000; step++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const op = x % (3 * SET_AT);
      if (ref.includes(op)) {
        expect(removeWorker(w, op)).toBe(true);
        ref.splice(ref.indexOf(op), 1);
      } else if (x % 5 === 0) {
        expect(removeWorker(w, op)).toBe(false);
      } else {
        addWorker(w, op);
        ref.push(op);
      }
      expect(workersSnapshot(w)).toEqual(ref);
      for (let q = 0; q < 3 * SET_AT; q++) expect(hasWorker(w, q)).toBe(ref.includes(q));
      if (step % 500 === 499) {
        clearWorkers(w);
        ref.length = 0;
        expect(w.workerSet).toBeNull();
      }
    }
  });

  it('keeps a set only once the list is long', () => {
    const w: WorkerList = { first: -1, workers: [], workerSet: null, snapshot: null };
    for (let i = 0; i < SET_AT - 1; i++) addWorker(w, i);
    expect(w.workerSet).toBeNull();
    addWorker(w, 100);
    expect(w.workerSet?.size).toBe(SET_AT);
  });

  it('shares one snapshot of the list until it changes, and never rewrites a snapshot it gave out', () => {
    const w: WorkerList = { first: -1, workers: [], workerSet: null, snapshot: null };
    for (const op of [4, 9, 2]) addWorker(w, op);
    const a = workersSnapshot(w);
    expect(a).toEqual([4, 9, 2]);
    expect(workersSnapshot(w)).toBe(a);
    expect(removeWorker(w, 9)).toBe(true);
    const b = workersSnapshot(w);
    expect(b).toEqual([4, 2]);
    expect(a).toEqual([4, 9, 2]);
    addWorker(w, 7);
    expect(workersSnapshot(w)).toEqual([4, 2, 7]);
    expect(b).toEqual([4, 2]);
    clearWorkers(w);
    expect(workersSnapshot(w)).toEqual([]);
  });
});
