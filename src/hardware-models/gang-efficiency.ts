/**
 * How a gang job's proving time scales with its number of devices (issue 13, item 5): Amdahl's law
 * with a serial fraction, replacing the flat 0.9 multi-device efficiency for gang jobs only
 * (single-node jobs keep `nodeModel`'s behaviour, byte for byte).
 *
 * **The curve.** On D devices of one speed, a job of single-device time T₁ takes
 * `setup + T₁ × (s + (1 − s) / D)`: a share `s` of the work (execution, checkpointing, the final
 * recursion and wrap) does not parallelise; the rest splits over the devices. The speed-up is
 * `1 / (s + (1 − s) / D)`, the efficiency `1 / (1 + (D − 1) s)`.
 *
 * **The fit.** s = 1/34 ≈ 0.0294: parallel efficiency falls to 50% at D = 35 devices, the middle of
 * Succinct's "competitive provers regularly utilize 20-40 GPUs per proving request"
 * (docs.succinct.xyz/docs/provers/building-a-prover/performance-optimizations; the catalogue entry
 * `cluster-sp1-hypercube-160x4090` notes the same ~30-40 GPU executor bottleneck). Check against the
 * real-time figures: SP1 Hypercube's 160 × RTX 4090 prove a mainnet block in 10.3 s on average
 * (blog.succinct.xyz/sp1-hypercube, May 2025), a speed-up of 28.2 on this curve, so after the
 * profile's 1 s setup one 4090 would take (10.3 − 1) × 28.2 ≈ 262 s (≈ 232 Mcycles at the catalogue's
 * 884 kHz). Brevis Pico Prism's 64 × RTX 5090 take 6.9 s on 45M-gas blocks (catalogue
 * `cluster-pico-prism-64x5090`): the same block on 64 devices (speed-up 22.4) at the catalogue's
 * 5090 speed (1150 kHz, itself assumed 1.3 × a 4090) would take 10.0 s, so Pico's per-GPU speed is
 * ~1.52× that (Pico's prover and the real 5090; no single-GPU figure is citable).
 * The two clusters run different zkVMs, so they do not pin down one curve together; the serial
 * fraction is a parameter (`serialFraction`) for sensitivity runs.
 *
 * **Mixed members.** Members may differ (random allocation draws any provers): the serial part runs
 * on the lead's device, the parallel part on all devices in proportion to their speeds:
 * `setup_lead + W (s / v_lead + (1 − s) / Σᵢ dᵢ vᵢ)`, with W the work, vᵢ a member's per-device
 * speed and dᵢ its devices. On identical members it is the formula above.
 */
import type { NodeModel } from './node-model.js';

/** The fitted serial fraction (see the module comment): efficiency 50% at 35 devices. */
export const GANG_SERIAL_FRACTION = 1 / 34;

/** Amdahl's speed-up of `devices` devices with serial fraction `s`. */
export function gangSpeedup(devices: number, s = GANG_SERIAL_FRACTION): number {
  return 1 / (s + (1 - s) / devices);
}

/** Parallel efficiency (speed-up per device) of `devices` devices: 1 / (1 + (D − 1) s). */
export function gangEfficiency(devices: number, s = GANG_SERIAL_FRACTION): number {
  return gangSpeedup(devices, s) / devices;
}

/**
 * Seconds one device of `m` takes for the work (setup excluded): the node's own time without its
 * multi-device efficiency, times its devices.
 */
function deviceSeconds(m: NodeModel, mcycles: number, kind: string): number {
  const eff = m.devices > 1 ? m.efficiency : 1;
  return (m.duration(mcycles, kind) - m.profile.setupSeconds) * m.devices * eff;
}

/**
 * Seconds a gang of nodes (`members[0]` the lead) takes to prove `mcycles` of workload `kind`
 * together, before jitter: the lead's setup, then the serial share on one of the lead's devices and
 * the parallel share over every member's devices.
 */
export function gangDuration(members: readonly NodeModel[], mcycles: number, kind: string, s = GANG_SERIAL_FRACTION): number {
  const lead = members[0]!;
  const tLead = deviceSeconds(lead, mcycles, kind);
  // Σ devices × speed, in jobs per second (speed = 1 / single-device seconds).
  let rate = 0;
  for (const m of members) rate += m.devices / deviceSeconds(m, mcycles, kind);
  return lead.profile.setupSeconds + s * tLead + (1 - s) / rate;
}
