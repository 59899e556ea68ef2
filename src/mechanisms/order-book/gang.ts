import type { Job, OperatorInfo } from '../types.js';
import { fits, gangSize } from '../types.js';

/**
 * The order book's gang rule (docs/mechanisms/order-book.md, "Gang jobs"): a standing ask sells its
 * node's capacity per Mcycle; a job needing N nodes trades only with an ask whose entity can field
 * N of its own active, unmatched, compatible nodes (the ask's node leads, the entity brings the
 * rest: `assign` without `members`). The price is the ask × the job's Mcycles, as for any job: a
 * per-cycle market (Boundless and Succinct price work per cycle or prover gas, whatever cluster
 * proves it), so a gang's parallel inefficiency is the entity's cost. Coalitions are not modelled.
 * O(nodes) per check, for gang jobs only.
 */
export function entityFieldsGang(
  info: readonly (OperatorInfo | undefined)[],
  active: readonly boolean[],
  busy: readonly boolean[],
  entity: number,
  job: Job,
): boolean {
  const n = gangSize(job);
  let k = 0;
  for (let op = 0; op < info.length; op++) {
    const o = info[op];
    if (o === undefined || o.entity !== entity || !active[op] || busy[op] || !fits(o.capacity, job.request)) continue;
    if (++k >= n) return true;
  }
  return false;
}

const ANY = (): boolean => true;

/** {@link entityFieldsGang} for one job, remembered per entity (a bid scans many asks of one entity). */
export function gangFielding(
  info: readonly (OperatorInfo | undefined)[],
  active: readonly boolean[],
  busy: readonly boolean[],
  job: Job,
): (entity: number) => boolean {
  if (job.gang === undefined) return ANY;
  const memo = new Map<number, boolean>();
  return (entity) => {
    let ok = memo.get(entity);
    if (ok === undefined) memo.set(entity, (ok = entityFieldsGang(info, active, busy, entity, job)));
    return ok;
  };
}
