import type { Job, Micros, Seconds } from '../types.js';
import { gangSize, toMicros } from '../types.js';
import type { RandomParams } from './params.js';

/**
 * The requester's declared max compute time of a job: its reference proving time × the declared
 * factor, plus the prover's start-up (`setupSeconds`). The fee is charged on it and, with
 * `capAtDeclaredTime`, it caps each attempt.
 */
export function declaredSeconds(job: Job, p: { declaredTimeFactor?: number; setupSeconds?: number }): Seconds {
  return job.estSeconds * (p.declaredTimeFactor ?? 1) + (p.setupSeconds ?? 0);
}

/**
 * ZkCloud's fee for one slot: Tx + Compute Fee × Time × Resource Multiplier (gevulot-docs@1b722dc
 * `zkcloud-design/fees.md:26`), Time being the declared max compute time ({@link declaredSeconds}).
 * The price is per node-hour, and a GPU node has `gpusPerNode` GPUs ("$0.84/hr Fully utilized GPU
 * Node", a 2× RTX 4090 node: `firestarter/pricing.md` images), so a GPU job's multiplier is GPUs
 * requested / `gpusPerNode`; CPU-only jobs pay per CPU node.
 */
export function slotFee(
  job: Job,
  p: Pick<RandomParams, 'gpuHourUsd' | 'cpuHourUsd' | 'txFeeUsd' | 'gpusPerNode'> & { declaredTimeFactor?: number; setupSeconds?: number },
): Micros {
  const hours = declaredSeconds(job, p) / 3600;
  // A gang job occupies `gang` nodes for its declared time: N times the resources of one.
  const nodes = gangSize(job);
  const compute = job.request.gpus > 0 ? (p.gpuHourUsd * job.request.gpus * nodes * hours) / p.gpusPerNode : p.cpuHourUsd * nodes * hours;
  return toMicros(p.txFeeUsd) + toMicros(compute);
}
