import type { Job, Micros } from '../types.js';
import { toMicros } from '../types.js';
import type { RandomParams } from './params.js';

/**
 * ZkCloud's fee for one slot: Tx + Compute Fee × Time × Resource Multiplier. GPU jobs pay per GPU
 * (multiplier = GPUs requested); CPU-only jobs pay per CPU node.
 */
export function slotFee(job: Job, p: Pick<RandomParams, 'gpuHourUsd' | 'cpuHourUsd' | 'txFeeUsd'>): Micros {
  const hours = job.estSeconds / 3600;
  const compute = job.request.gpus > 0 ? p.gpuHourUsd * job.request.gpus * hours : p.cpuHourUsd * hours;
  return toMicros(p.txFeeUsd) + toMicros(compute);
}
