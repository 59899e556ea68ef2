/**
 * `pmsim/core`: the allocation core shared with production code. Pure and deterministic: no
 * engine, no clock, no I/O; randomness comes in as an argument.
 */
export * from './types.js';
export { audit, selectionIndex, hash4, hashUniform, drawBeacon } from './beacon.js';
export { FreeIndex } from './free-index.js';
export { randomAllocation, randomDefaults, randomPresets, slotFee, TAG_DEADLINE, type RandomParams, type RandomState } from './random/index.js';
export { mechanisms, mechanismById, type MechanismEntry } from './registry.js';
