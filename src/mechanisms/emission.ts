/**
 * Emissions as one protocol concept: the protocol mints a budget per epoch and splits it among the
 * provers that did work in that epoch, by a rule. Used by Aleo's puzzle reward (a capped per-block
 * coinbase split ∝ proof target), Boundless's PoVW (75% of each epoch's ZKC emission split ∝
 * verifiable work), Succinct's dispenser (a rate per second, to stakers ∝ stake) and ZkCloud's
 * network reward (a share of the fee, per proof). Sources: docs/mechanisms/emissions.md.
 *
 * Pure and deterministic: a mechanism keeps an {@link EmissionBook} in its state, calls
 * {@link credit} when a proof counts, and {@link closeEpoch} when the epoch timer it asked for fires.
 * Payments are `settle` decisions with `source: 'emission'`, so the shell shows them in
 * `emission_usd`. Money is integer micro-USD: the token's dollar value is a scenario parameter
 * (`tokenUsd`), because none of these protocols fixes it.
 */
import type { Decision, Micros, Seconds } from './types.js';

/** How an epoch's budget is split among the proofs credited in it. */
export type EmissionSplit =
  /** Equal shares per credited proof. */
  | 'proof'
  /** In proportion to each proof's work (Mcycles): Boundless PoVW. */
  | 'work'
  /** In proportion to each proof's target; pmsim's target is the proof's work (Aleo). */
  | 'target'
  /** In proportion to the prover's stake (Succinct's dispenser pays stakers, not proofs). */
  | 'stake';

/** Parameters of an emission schedule. Token amounts × `tokenUsd` give dollars. */
export interface EmissionParams {
  /** Epoch length, seconds (Aleo: one block; Boundless: 2 days; Succinct: any, the rate is per second). */
  epochSeconds: Seconds;
  /** Tokens minted for provers per epoch (the cap). 0: no emission. */
  tokensPerEpoch: number;
  /** Dollar value of one token: a scenario parameter (the protocols do not fix it). */
  tokenUsd: number;
  split: EmissionSplit;
  /**
   * Work (Mcycles of credited weight) at which the full budget is paid; below it the epoch pays
   * budget × work / fullAt (Aleo: R_coinbase = R_anchor × min(P, C_R) / C). 0: always the full budget.
   */
  fullAtWeight: number;
}

/** No emission. */
export const noEmission: EmissionParams = { epochSeconds: 3600, tokensPerEpoch: 0, tokenUsd: 0, split: 'work', fullAtWeight: 0 };

/** An epoch's credits, kept until the epoch closes. */
export interface EmissionBook {
  readonly p: EmissionParams;
  /** Epoch index of the open credits, -1 when none. */
  epoch: number;
  /** Operators credited this epoch, in first-credit order (deterministic payout order). */
  ops: number[];
  /** Weight per operator this epoch (parallel to `ops`). */
  weights: number[];
  /** A job id per operator, for the `settle` decision (the last job it was credited for). */
  jobIds: number[];
  /** Micro-USD minted so far, all epochs. */
  minted: Micros;
}

/** Timer tag mechanisms use for the epoch close (the timer's `jobId` is {@link EPOCH_JOB}). */
export const TAG_EPOCH = 0x4550;
/** `jobId` carried by epoch timers: no job has a negative id. */
export const EPOCH_JOB = -1;

/** A fresh book for a schedule. Throws on invalid parameters. */
export function emissionBook(p: EmissionParams): EmissionBook {
  if (!(p.epochSeconds > 0)) throw new Error(`emission: epochSeconds must be > 0, got ${p.epochSeconds}`);
  if (!(p.tokensPerEpoch >= 0) || !(p.tokenUsd >= 0) || !(p.fullAtWeight >= 0))
    throw new Error('emission: tokensPerEpoch, tokenUsd and fullAtWeight must be ≥ 0');
  return { p, epoch: -1, ops: [], weights: [], jobIds: [], minted: 0 };
}

/** The epoch's budget in micro-USD. */
export function budgetMicros(p: EmissionParams): Micros {
  return Math.floor(p.tokensPerEpoch * p.tokenUsd * 1_000_000);
}

/** Is there anything to mint? */
export function emits(p: EmissionParams): boolean {
  return budgetMicros(p) > 0;
}

/**
 * Credits `weight` to operator `op` for a proof of job `jobId` at time `now`. Opens the epoch on its
 * first credit and asks for a timer at the epoch's end (then call {@link closeEpoch}). A credit in a
 * later epoch than the open one closes the open one first.
 */
export function credit(b: EmissionBook, op: number, weight: number, jobId: number, now: Seconds, out: Decision[]): void {
  if (!emits(b.p) || !(weight > 0)) return;
  const e = Math.floor(now / b.p.epochSeconds);
  if (b.epoch >= 0 && e !== b.epoch) closeEpoch(b, out);
  if (b.epoch < 0) {
    b.epoch = e;
    out.push({ type: 'timer', jobId: EPOCH_JOB, at: (e + 1) * b.p.epochSeconds, tag: TAG_EPOCH });
  }
  const i = b.ops.indexOf(op);
  if (i >= 0) {
    b.weights[i]! += weight;
    b.jobIds[i] = jobId;
  } else {
    b.ops.push(op);
    b.weights.push(weight);
    b.jobIds.push(jobId);
  }
}

/**
 * Pays out the open epoch: budget × min(W, fullAt) / fullAt (or the whole budget), split in
 * proportion to the weights, rounded down (the remainder is never minted). Returns the micro-USD paid.
 */
export function closeEpoch(b: EmissionBook, out: Decision[]): Micros {
  if (b.epoch < 0) return 0;
  const paid = distribute(b, b.ops, b.weights, b.jobIds, out);
  b.epoch = -1;
  b.ops = [];
  b.weights = [];
  b.jobIds = [];
  return paid;
}

/**
 * The epoch timer fired at `now`: closes the open epoch if it has ended (a credit in a later epoch
 * may already have closed it, and opened the next one, whose own timer is still to come).
 */
export function onEpochTimer(b: EmissionBook, now: Seconds, out: Decision[]): Micros {
  if (b.epoch < 0 || now < (b.epoch + 1) * b.p.epochSeconds) return 0;
  return closeEpoch(b, out);
}

/**
 * Pays one epoch's budget to `ops` at once, in proportion to `weights` (budget × min(W, fullAt) /
 * fullAt when `fullAtWeight` is set), rounded down. For schedules that pay everyone at a fixed
 * time, such as a dispenser paying stakers. Returns the micro-USD paid.
 */
export function distribute(
  b: EmissionBook,
  ops: readonly number[],
  weights: readonly number[],
  jobIds: readonly number[],
  out: Decision[],
): Micros {
  let total = 0;
  for (const w of weights) total += w;
  const budget = budgetMicros(b.p);
  const pot = b.p.fullAtWeight > 0 ? Math.floor((budget * Math.min(total, b.p.fullAtWeight)) / b.p.fullAtWeight) : budget;
  let paid = 0;
  for (let i = 0; i < ops.length; i++) {
    const amount = total > 0 ? Math.floor((pot * weights[i]!) / total) : 0;
    if (amount > 0) {
      out.push({ type: 'settle', jobId: jobIds[i]!, operator: ops[i]!, amount, source: 'emission' });
      paid += amount;
    }
  }
  b.minted += paid;
  return paid;
}

/** The weight a proof of `mcycles` carries under a split rule (stake weights are given by the caller). */
export function proofWeight(split: EmissionSplit, mcycles: number, stake = 0): number {
  if (split === 'proof') return 1;
  if (split === 'stake') return stake;
  return mcycles;
}

/**
 * ZkCloud's network reward: "a fixed percentage of the user fee paid to the prover" for a valid
 * proof within the max compute time (gevulot-docs@1b722dc `zkcloud-design/fees.md:49`). Minted per
 * proof, not from an epoch budget.
 */
export function feeShareReward(fee: Micros, share: number): Micros {
  return share > 0 ? Math.floor(fee * share) : 0;
}
