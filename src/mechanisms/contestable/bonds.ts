import type { Micros } from '../types.js';

/**
 * Bond arithmetic of Taiko's contestable proving, in integer micro-USD. Sources: taikoxyz/taiko-mono,
 * commits and files in docs/mechanisms/contestable.md.
 */

/** A bond of `taiko` TAIKO at `taikoUsd` USD per TAIKO, micro-USD. */
export function bondMicros(taiko: number, taikoUsd: number): Micros {
  return Math.max(0, Math.round(taiko * taikoUsd * 1_000_000));
}

/**
 * A late liveness bond: `reward` to whoever proved after the window, the rest burned (PR #14531,
 * LibVerifying.sol `_rewardProver` @8593ca43: `proofBond / 2` to the actual prover, the other half
 * left in the contract; Pacaya TaikoInbox.sol @a1e4ed7f: `batch.livenessBond / 2`).
 */
export function lateSplit(bond: Micros, openRewardBps: number): { reward: Micros; burn: Micros } {
  const reward = Math.floor((bond * openRewardBps) / 10_000);
  return { reward, burn: bond - reward };
}

/** Taiko's 12.5% friction: `(amount * 7) >> 3` (LibProving.sol `_rewardAfterFriction` @c190bcf9). */
export function afterFriction(amount: Micros): Micros {
  return Math.floor((amount * 7) / 8);
}

/**
 * A contest won against a wrong proof (LibProving.sol `_overrideWithHigherProof` @c190bcf9): of the
 * prover's validity bond V, the new (higher-tier) prover gets `afterFriction(V) >> 2`, the contester
 * three times that (beside its contest bond back), and the 1/8 friction stays with the protocol.
 */
export function wrongProofSplit(validity: Micros): { contester: Micros; reprover: Micros; protocol: Micros } {
  const reprover = Math.floor(afterFriction(validity) / 4);
  return { contester: 3 * reprover, reprover, protocol: validity - 4 * reprover };
}
