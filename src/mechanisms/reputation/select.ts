import { beaconWords, selectionMessage, selectionWords, sha256 } from '../sha256.js';
import type { ReputationParams } from './params.js';

/** The selection rule's parameters. */
export type SelectionRule = Pick<ReputationParams, 'topShare' | 'weighting' | 'exploration'>;

/** What a prover's attempt came to, for its reputation. */
export type ReputationOutcome = 'on-time' | 'late' | 'fail' | 'decline';

/** u in [0, 1) from the first 53 bits of a digest's first two words (as `beacon.ts`). */
function unit(h0: number, h1: number): number {
  return ((h0 >>> 0) * 2097152 + (h1 >>> 11)) / 9007199254740992;
}

const words = new Int32Array(2);

/** The draw's uniform from the job's beacon (as 8 words): SHA-256(beacon ‖ job id ‖ draw), first 53 bits. */
export function drawUnit(beacon: Int32Array, jobId: number, draw: number): number {
  selectionWords(beacon, jobId, draw, words);
  return unit(words[0]!, words[1]!);
}

/** The same uniform from the beacon's bytes, with the general SHA-256 (for audits). */
export function drawUnitFromBytes(beacon: Uint8Array, jobId: number, draw: number): number {
  beaconWords(beacon); // checks the length
  const h = sha256(selectionMessage(beacon, jobId, draw));
  return unit((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!, (h[4]! << 24) | (h[5]! << 16) | (h[6]! << 8) | h[7]!);
}

/**
 * The threshold reputation of the top set: the k-th highest among `reps` with k = max(1,
 * ⌈topShare × n⌉). Every prover at or above it is in the top set (ties at the boundary are all in,
 * so equal newcomers are never split by id).
 */
export function topThreshold(reps: readonly number[], topShare: number, scratch: number[] = []): number {
  const n = reps.length;
  scratch.length = 0;
  for (let i = 0; i < n; i++) scratch.push(reps[i]!);
  scratch.sort((a, b) => b - a);
  const k = Math.max(1, Math.min(n, Math.ceil(topShare * n - 1e-9)));
  return scratch[k - 1]!;
}

/**
 * Picks one prover from `eligible` (node ids in ascending order) with reputations `reps` (same
 * order), from one uniform u (a beacon draw). With probability `exploration` (u < exploration) the
 * pick is uniform among the provers below the top set (among all of them when none is below);
 * otherwise it is in the top set, uniform or in proportion to reputation. One uniform serves both
 * steps: rescaled to its branch, it stays uniform. Returns the index into `eligible`, -1 when empty.
 */
export function pickIndex(reps: readonly number[], u: number, rule: SelectionRule, scratch: number[] = []): number {
  const n = reps.length;
  if (n === 0) return -1;
  const threshold = topThreshold(reps, rule.topShare, scratch);
  let below = 0;
  for (let i = 0; i < n; i++) if (reps[i]! < threshold) below++;
  const eps = rule.exploration;
  if (u < eps) {
    const v = u / eps;
    const pool = below > 0 ? below : n;
    let k = Math.min(pool - 1, Math.floor(v * pool));
    for (let i = 0; i < n; i++) {
      if (below > 0 && reps[i]! >= threshold) continue;
      if (k-- === 0) return i;
    }
    return n - 1;
  }
  const v = eps > 0 ? (u - eps) / (1 - eps) : u;
  if (rule.weighting === 'reputation') {
    let total = 0;
    for (let i = 0; i < n; i++) if (reps[i]! >= threshold) total += Math.max(0, reps[i]!);
    if (total > 0) {
      const target = v * total;
      let acc = 0;
      let last = -1;
      for (let i = 0; i < n; i++) {
        if (reps[i]! < threshold) continue;
        acc += Math.max(0, reps[i]!);
        last = i;
        if (acc > target) return i;
      }
      return last;
    }
  }
  const top = n - below;
  let k = Math.min(top - 1, Math.floor(v * top));
  for (let i = 0; i < n; i++) {
    if (reps[i]! < threshold) continue;
    if (k-- === 0) return i;
  }
  return n - 1;
}

/**
 * Recomputes a reputation selection from the published beacon (bytes), the eligible set at the
 * draw (node ids, any order; sorted ascending first) and the public reputation table at that moment
 * (node id → reputation; a prover missing from it has `initialReputation`): the node that draw
 * number `draw` of job `jobId` picks, or -1 when the set is empty. A job's assignments carry their
 * beacon and draw number; the eligible set is every free node meeting the request that had not yet
 * tried the job.
 */
export function auditReputation(
  beacon: Uint8Array,
  eligible: readonly number[],
  reputation: Readonly<Record<number, number>> | readonly number[],
  jobId: number,
  draw: number,
  rule: SelectionRule & { initialReputation: number },
): number {
  return auditReputationGang(beacon, eligible, reputation, jobId, draw, 1, rule)[0] ?? -1;
}

/**
 * A gang job's selection: `n` draws from draw number `firstDraw`, each pick removed from the
 * eligible set before the next: the `members` of the assignment, lead first. With fewer than `n`
 * eligible, an empty list (a gang takes all its nodes or none).
 */
export function auditReputationGang(
  beacon: Uint8Array,
  eligible: readonly number[],
  reputation: Readonly<Record<number, number>> | readonly number[],
  jobId: number,
  firstDraw: number,
  n: number,
  rule: SelectionRule & { initialReputation: number },
): number[] {
  const pool = [...eligible].sort((x, y) => x - y);
  if (pool.length < n) return [];
  const table = reputation as Readonly<Record<number, number | undefined>>;
  const reps = pool.map((id) => table[id] ?? rule.initialReputation);
  const chosen: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = pickIndex(reps, drawUnitFromBytes(beacon, jobId, firstDraw + k), rule);
    chosen.push(pool[i]!);
    pool.splice(i, 1);
    reps.splice(i, 1);
  }
  return chosen;
}

/** The score an outcome moves reputation towards. */
export function outcomeScore(
  p: Pick<ReputationParams, 'onTimeScore' | 'lateScore' | 'failScore' | 'declineScore'>,
  o: ReputationOutcome,
): number {
  return o === 'on-time' ? p.onTimeScore : o === 'late' ? p.lateScore : o === 'fail' ? p.failScore : p.declineScore;
}

/** One reputation update: r ← decay × r + (1 − decay) × score(outcome). */
export function updateReputation(
  r: number,
  outcome: ReputationOutcome,
  p: Pick<ReputationParams, 'decay' | 'onTimeScore' | 'lateScore' | 'failScore' | 'declineScore'>,
): number {
  return p.decay * r + (1 - p.decay) * outcomeScore(p, outcome);
}

/**
 * The closed-form long-run selection shares, for `topShare: 1`, `weighting: 'reputation'` and no
 * backup race. Prover i's outcomes are i.i.d. with probabilities `mix[i]` (on-time, late, fail,
 * decline; summing to 1), so its reputation, an exponentially weighted mean of its scores, has the
 * stationary mean m_i = Σ_o mix[i][o] × score(o) whatever how often it is drawn; for a decay near 1
 * it stays close to that mean, and the share of selections is (1 − ε) m_i / Σ_j m_j + ε / n.
 */
export function stationaryShares(
  mix: readonly { onTime: number; late: number; fail: number; decline: number }[],
  p: Pick<ReputationParams, 'onTimeScore' | 'lateScore' | 'failScore' | 'declineScore' | 'exploration'>,
): number[] {
  const m = mix.map((x) => x.onTime * p.onTimeScore + x.late * p.lateScore + x.fail * p.failScore + x.decline * p.declineScore);
  const total = m.reduce((a, b) => a + b, 0);
  return m.map((mi) => (1 - p.exploration) * (mi / total) + p.exploration / mix.length);
}
