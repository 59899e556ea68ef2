import type { FreeIndex } from '../free-index.js';
import { drawGang } from '../gang.js';
import type { Job } from '../types.js';
import { gangSize } from '../types.js';

/**
 * Random allocation's gang rule (docs/mechanisms/random.md, "Gang jobs"): a job needing N nodes
 * draws N provers with its beacon, draws `firstDraw` … `firstDraw + N − 1`, each among the free
 * eligible provers still undrawn (ascending id), any owners: Gevulot/ZkCloud selects provers at
 * random among those that meet the task's resources (gevulot-docs@1b722dc `zkcloud-design`), and N
 * draws is the same rule applied N times. It is auditable like one draw:
 * `audit(beacon, eligibleFree, jobId, firstDraw, N)` recomputes the members in order. Provers that
 * already tried the job are hidden. All or nothing: with fewer than N free the slot waits.
 */
export function randomGang(
  index: FreeIndex,
  profiles: readonly number[],
  job: Job,
  beacon: Int32Array,
  firstDraw: number,
  tried: readonly number[],
): number[] | undefined {
  return drawGang(index, profiles, gangSize(job), beacon, job.id, firstDraw, tried);
}
