import { BEACON_BYTES, beaconWords } from '../beacon.js';
import { DenseTable } from '../dense-table.js';
import { slotFee } from '../random/fee.js';
import { resolveParams } from '../resolve-params.js';
import type { Handlers, Mechanism, OperatorInfo, RefusalReason } from '../types.js';
import { defineMechanism, seenIds } from '../types.js';
import { reputationDefaults, reputationPresets, type ReputationParams } from './params.js';
import { outcomes } from './outcomes.js';
import { RankIndex } from './rank-index.js';
import { selection } from './selection.js';
import { REP_TAG_DEADLINE, REP_TAG_WINDOW, type RepJob, type ReputationState, setFree } from './state.js';

export { reputationDefaults, reputationPresets, type ReputationParams } from './params.js';
export { REP_TAG_DEADLINE, REP_TAG_WINDOW, type ReputationState } from './state.js';
export {
  auditReputation,
  auditReputationGang,
  drawUnit,
  drawUnitFromBytes,
  outcomeScore,
  pickIndex,
  stationaryShares,
  topThreshold,
  updateReputation,
  type ReputationOutcome,
  type SelectionRule,
} from './select.js';

/** Equal bytes? */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function checkParams(p: ReputationParams): void {
  const share = (k: keyof ReputationParams) => {
    const v = p[k] as number;
    if (!(v >= 0 && v <= 1)) throw new RangeError(`reputation: ${k} must be 0-1, got ${v}`);
  };
  for (const k of ['exploration', 'initialReputation', 'decay', 'onTimeScore', 'lateScore', 'failScore', 'declineScore'] as const) share(k);
  if (!(p.topShare > 0 && p.topShare <= 1)) throw new RangeError(`reputation: topShare must be > 0 and ≤ 1, got ${p.topShare}`);
  if (!(p.windowShare > 0 && p.windowShare <= 1)) throw new RangeError(`reputation: windowShare must be > 0 and ≤ 1, got ${p.windowShare}`);
  if (!(Number.isInteger(p.backupProvers) && p.backupProvers >= 0))
    throw new RangeError('reputation: backupProvers must be a whole number ≥ 0');
  if (p.weighting !== 'uniform' && p.weighting !== 'reputation')
    throw new RangeError('reputation: weighting must be "uniform" or "reputation"');
  if (!(p.gpusPerNode > 0)) throw new RangeError(`reputation: gpusPerNode must be > 0, got ${p.gpusPerNode}`);
  if (!(p.protocolFeeBps >= 0 && p.protocolFeeBps <= 10_000)) throw new RangeError('reputation: protocolFeeBps must be 0-10000');
}

/**
 * Reputation-weighted random selection with a backup race (mechanism id `reputation`), the design
 * of Aztec forum proposal #2489 (Norbert, Nilu, Rachit, 2023;
 * https://forum.aztec.network/t/proposal-decentralized-prover-network-staking-reputations-and-proof-races/2489):
 * "provers are selected through a VRF from a pool with the highest reputation score", the score
 * measuring "prover uptime and failures", and "a backup mechanism for emergencies in times of
 * prover failure", "proof racing in a more confined environment". The VRF is the job's public
 * beacon (as `random`'s, auditable with {@link auditReputation}); the price is protocol-fixed
 * (`random`'s fee rule, so the two differ only in who is drawn). An exploration share draws from
 * outside the top set so newcomers can earn reputation (pmsim's addition).
 */
export function reputationSelection(params: Partial<ReputationParams> & { preset?: string } = {}): Mechanism<ReputationState> {
  const p: ReputationParams = resolveParams('reputation', reputationDefaults, reputationPresets, params);
  const preset = params.preset;
  checkParams(p);
  const sel = selection(p);
  const res = outcomes(p, sel);
  const feeRule = { gpuHourUsd: p.gpuHourUsd, cpuHourUsd: p.cpuHourUsd, gpusPerNode: p.gpusPerNode, txFeeUsd: 0 };

  /** The open job `node`'s answer is about, or why there is none. */
  function held(s: ReputationState, jobId: number, node: number): RepJob | RefusalReason {
    const rec = s.jobs.get(jobId);
    if (!rec || rec.closed) return 'unknown-job';
    // Only an attempt's lead reports (a gang member's word is its lead's).
    return s.nodeJob[node] === rec && (rec.primary === node || rec.racers.includes(node)) ? rec : 'not-assigned';
  }

  const handlers: Handlers<ReputationState> = {
    submit: (s, input, now, _r, out) => {
      s.now = now;
      const b = input.beacon;
      if (b === undefined || b.length !== BEACON_BYTES) return 'invalid';
      if (!sameBytes(b, s.lastBeacon)) {
        s.lastBeacon = b.slice();
        s.lastBeaconWords = beaconWords(b);
      }
      const job = input.job;
      const fee = slotFee(job, feeRule);
      if (fee > job.maxPrice) {
        out.push({ type: 'done', jobId: job.id, outcome: 'rejected', operator: -1 });
        out.push({ type: 'close', jobId: job.id });
        return undefined;
      }
      const rec: RepJob = {
        job,
        fee,
        beacon: s.lastBeacon,
        beaconWords: s.lastBeaconWords,
        draws: 0,
        tried: [],
        primary: -1,
        windowEnd: job.deadline,
        wantPrimary: true,
        racing: false,
        racers: [],
        crews: undefined,
        seats: 0,
        queued: false,
        closed: false,
      };
      s.jobs.set(job.id, rec);
      out.push({ type: 'timer', jobId: job.id, at: job.deadline, tag: REP_TAG_DEADLINE });
      sel.serve(s, rec, out);
      return undefined;
    },
    deliver: (s, input, now, _r, out) => {
      s.now = now;
      const rec = held(s, input.jobId, input.operator);
      if (typeof rec === 'string') return rec;
      res.deliver(s, rec, input.operator, out);
      sel.drain(s, out);
      return undefined;
    },
    fail: (s, input, now, _r, out) => {
      s.now = now;
      const rec = held(s, input.jobId, input.operator);
      if (typeof rec === 'string') return rec;
      res.fail(s, rec, input.operator, out);
      sel.drain(s, out);
      return undefined;
    },
    decline: (s, input, now, _r, out) => {
      s.now = now;
      const rec = held(s, input.jobId, input.operator);
      if (typeof rec === 'string') return rec;
      res.decline(s, rec, input.operator, out);
      sel.drain(s, out);
      return undefined;
    },
    timer: (s, input, now, _r, out) => {
      s.now = now;
      const rec = s.jobs.get(input.jobId);
      if (!rec || rec.closed) return;
      if (input.tag === REP_TAG_DEADLINE) res.expire(s, rec, out);
      // A stale window timer (the chosen prover declined and another was drawn) finds a later end.
      else if (input.tag === REP_TAG_WINDOW && rec.primary >= 0 && now >= rec.windowEnd) res.openRace(s, rec, out);
      sel.drain(s, out);
    },
    available: (s, input, now, _r, out) => {
      s.now = now;
      if (s.nodeJob[input.operator] !== undefined || !s.rank.has(input.operator)) return;
      setFree(s, input.operator, true);
      sel.drain(s, out);
    },
    join: (s, input, now, _r, out) => {
      s.now = now;
      const o = input.operator;
      s.entity[o.id] = o.entity;
      if (s.reputation[o.id] === undefined) s.reputation[o.id] = p.initialReputation;
      s.rank.add(o.id, o.capacity, s.reputation[o.id]!);
      setFree(s, o.id, true);
      sel.drain(s, out);
    },
    leave: (s, input) => {
      // Work in progress finishes (its deliver or fail still counts); the node takes no new job.
      s.rank.remove(input.operator);
    },
  };

  return defineMechanism<ReputationState>({
    type: 'reputation',
    params: { ...p, ...(preset ? { preset } : {}) },
    init(operators: readonly OperatorInfo[]): ReputationState {
      const rank = new RankIndex(operators.length + 1, p.topShare);
      const reputation: number[] = [];
      const entity: number[] = [];
      for (const o of operators) {
        reputation[o.id] = p.initialReputation;
        rank.add(o.id, o.capacity, p.initialReputation);
        rank.setFree(o.id, true);
        entity[o.id] = o.entity;
      }
      return {
        seen: seenIds(),
        rank,
        reputation,
        entity,
        delivered: [],
        jobs: new DenseTable<RepJob>(),
        nodeJob: [],
        queue: [],
        qHead: 0,
        lastBeacon: new Uint8Array(0),
        lastBeaconWords: new Int32Array(8),
        now: 0,
        scratch: { reps: [], sort: [] },
      };
    },
    handlers,
  });
}

/** A copy of the public reputation table (node id → reputation), as an auditor reads it. */
export function reputationTable(s: ReputationState): Record<number, number> {
  const t: Record<number, number> = {};
  s.reputation.forEach((r, id) => {
    if (r !== undefined) t[id] = r;
  });
  return t;
}

/**
 * The centralisation monitor of proposal #2489: the HHI (0-10000) of delivered proofs by entity so
 * far, NaN before the first delivery.
 */
export function reputationHhi(s: ReputationState): number {
  let total = 0;
  for (const d of s.delivered) total += d ?? 0;
  if (total === 0) return Number.NaN;
  let h = 0;
  for (const d of s.delivered) if (d) h += (d / total) ** 2;
  return h * 10_000;
}
