import { BEACON_BYTES, beaconWords } from '../beacon.js';
import { DenseTable } from '../dense-table.js';
import { FreeIndex } from '../free-index.js';
import { slotFee } from '../random/fee.js';
import { resolveParams } from '../resolve-params.js';
import type { Decision, Handlers, Job, Mechanism, Micros, OperatorInfo, ProtocolState, RefusalReason, Seconds } from '../types.js';
import { defineMechanism, gangSize, seenIds } from '../types.js';
import { reputationDefaults, reputationPresets, type ReputationParams } from './params.js';
import { RankIndex } from './rank-index.js';
import { PICK_UNSURE, type RankedPool } from './ranked-pool.js';
import { drawUnit, pickIndex, type ReputationOutcome, updateReputation } from './select.js';

export { reputationDefaults, reputationPresets, type ReputationParams } from './params.js';
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

/** Timer tag: the job's deadline. */
export const REP_TAG_DEADLINE = 1;
/** Timer tag: the chosen prover's proving window closes (the backup race opens if it has not delivered). */
export const REP_TAG_WINDOW = 2;

interface RepJob {
  readonly job: Job;
  readonly fee: Micros;
  /** The job's public beacon (bytes, and as 8 words for the hash). */
  readonly beacon: Uint8Array;
  readonly beaconWords: Int32Array;
  /** Beacon draws used so far (every selection takes the next). */
  draws: number;
  /** Nodes that were assigned the job: never drawn for it again. */
  tried: number[];
  /** The chosen prover while it works, -1 otherwise. */
  primary: number;
  /** Absolute end of the chosen prover's proving window. */
  windowEnd: Seconds;
  /** Waiting for a chosen prover (none was free, or it declined). */
  wantPrimary: boolean;
  /** The backup race has opened. */
  racing: boolean;
  /** Backup racers at work (a gang racer: its lead). */
  racers: number[];
  /** A gang job's attempts: lead → every member, the lead first (absent for one-node jobs). */
  crews: Map<number, number[]> | undefined;
  /** Backup seats still to fill (no eligible prover was free). */
  seats: number;
  queued: boolean;
  closed: boolean;
}

/** The mechanism-owned state of reputation-weighted selection. */
export interface ReputationState extends ProtocolState {
  index: FreeIndex;
  /**
   * The free provers ranked by reputation, for O(log N) draws (kept in step with `index` and
   * `reputation`; docs/mechanisms/reputation.md, "The selection index").
   * @internal an index of the core, not part of the published state
   */
  rank: RankIndex;
  /** Node id → reputation (the public table that audits read). */
  reputation: number[];
  /** Node id → owning entity. */
  entity: number[];
  /** Entity → proofs it delivered and was paid for (the HHI monitor's input). */
  delivered: number[];
  jobs: DenseTable<RepJob>;
  /** Node id → the job it works on. */
  nodeJob: (RepJob | undefined)[];
  /** FIFO of jobs waiting for a prover (lazy deletion). */
  queue: RepJob[];
  qHead: number;
  lastBeacon: Uint8Array;
  lastBeaconWords: Int32Array;
  /** Time of the input being applied. */
  now: Seconds;
  scratch: { profiles: number[]; reps: number[]; sort: number[] };
}

/** Marks a node free or busy in both indexes. */
function setFree(s: ReputationState, node: number, free: boolean): void {
  s.index.setFree(node, free);
  s.rank.setFree(node, free);
}

/** Sets a node's reputation (the public table and the rank index). */
function setReputation(s: ReputationState, node: number, r: number): void {
  s.reputation[node] = r;
  s.rank.setReputation(node, r);
}

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

/** A weighted draw too close to call on the index's sums: `pickIndex` on the pool listed in id order. */
function pickExact(p: ReputationParams, s: ReputationState, pool: RankedPool, u: number): number {
  const { ids, reps } = s.rank.scratch;
  pool.list(ids, reps);
  const { sort } = s.scratch;
  return ids[pickIndex(reps, u, p, sort)]!;
}

/** The same draw by listing and sorting the eligible free nodes (past the rank index's pool limit). */
function drawNaive(p: ReputationParams, s: ReputationState, rec: RepJob, n: number): { nodes: number[]; draw: number } | undefined {
  const { profiles, reps, sort } = s.scratch;
  s.index.eligibleProfiles(rec.job.request, profiles);
  const free = s.index.listFree(profiles);
  const pool = rec.tried.length === 0 ? free : free.filter((id) => !rec.tried.includes(id));
  if (pool.length < n) return undefined;
  reps.length = 0;
  for (const id of pool) reps.push(s.reputation[id] ?? p.initialReputation);
  const first = rec.draws;
  const nodes: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = pickIndex(reps, drawUnit(rec.beaconWords, rec.job.id, rec.draws++), p, sort);
    nodes.push(pool[i]!);
    pool.splice(i, 1);
    reps.splice(i, 1);
  }
  return { nodes, draw: first };
}

/** Selection, assignment and the queue. */
function selection(p: ReputationParams) {
  /**
   * Draws the prover(s) of one attempt for `rec` among the free eligible nodes that have not tried
   * it: one draw, or a gang job's N draws (draw numbers d, d + 1, ...), each pick removed from the
   * pool before the next. All or nothing: undefined while fewer than N are free. The pool is the
   * rank index's (O(log N) to O(log² N) a draw); the nodes that tried the job are taken out of it
   * for the draw. The caller must `take` the nodes drawn.
   */
  function draw(s: ReputationState, rec: RepJob): { nodes: number[]; draw: number } | undefined {
    const n = gangSize(rec.job);
    const pool = s.rank.poolFor(rec.job.request);
    if (!pool) return drawNaive(p, s, rec, n);
    const aside = s.rank.scratch.aside;
    aside.length = 0;
    for (const id of rec.tried) {
      if (pool.has(id)) {
        pool.remove(id);
        aside.push(id);
      }
    }
    let got: { nodes: number[]; draw: number } | undefined;
    if (pool.size >= n) {
      got = { nodes: [], draw: rec.draws };
      for (let k = 0; k < n; k++) {
        const u = drawUnit(rec.beaconWords, rec.job.id, rec.draws++);
        let id = pool.pick(u, p);
        if (id === PICK_UNSURE) id = pickExact(p, s, pool, u);
        got.nodes.push(id);
        // A gang's pick leaves the pool before the next draw; every pick is taken (`take`) right after,
        // which takes it out of every pool, so the picks are not put back.
        if (k < n - 1) pool.remove(id);
      }
    }
    for (const id of aside) pool.putBack(id);
    return got;
  }

  function pay(rec: RepJob): Micros {
    return rec.fee - Math.floor((rec.fee * p.protocolFeeBps) / 10_000);
  }

  /** Marks an attempt's nodes busy on `rec`; returns its lead. */
  function take(s: ReputationState, rec: RepJob, nodes: number[]): number {
    for (const node of nodes) {
      setFree(s, node, false);
      s.nodeJob[node] = rec;
      rec.tried.push(node);
    }
    if (nodes.length > 1) (rec.crews ??= new Map()).set(nodes[0]!, nodes);
    return nodes[0]!;
  }

  /** The `members` field of a gang attempt's assignment (lead first). */
  const crew = (nodes: number[]) => (nodes.length > 1 ? { members: nodes } : {});

  /** Draws and assigns the chosen prover; false when no eligible prover is free. */
  function assignPrimary(s: ReputationState, rec: RepJob, out: Decision[]): boolean {
    const got = draw(s, rec);
    if (!got) return false;
    const lead = take(s, rec, got.nodes);
    rec.primary = lead;
    rec.wantPrimary = false;
    rec.windowEnd = s.now + p.windowShare * Math.max(0, rec.job.deadline - s.now);
    const role = rec.tried.length > got.nodes.length ? 'fallback' : 'primary';
    const price = pay(rec);
    out.push({
      type: 'assign',
      jobId: rec.job.id,
      operator: lead,
      price,
      role,
      committed: false,
      beacon: rec.beacon,
      draw: got.draw,
      ...crew(got.nodes),
    });
    if (p.backupProvers > 0) out.push({ type: 'timer', jobId: rec.job.id, at: rec.windowEnd, tag: REP_TAG_WINDOW });
    return true;
  }

  /** Fills the backup race's open seats with drawn provers, as far as eligible provers are free. */
  function fillSeats(s: ReputationState, rec: RepJob, out: Decision[]): void {
    while (rec.seats > 0) {
      const got = draw(s, rec);
      if (!got) return;
      const lead = take(s, rec, got.nodes);
      rec.racers.push(lead);
      rec.seats--;
      const price = pay(rec);
      out.push({
        type: 'assign',
        jobId: rec.job.id,
        operator: lead,
        price,
        role: 'racer',
        committed: false,
        beacon: rec.beacon,
        draw: got.draw,
        ...crew(got.nodes),
      });
    }
  }

  /** Serves the job's needs; queues it when some remain. */
  function serve(s: ReputationState, rec: RepJob, out: Decision[]): void {
    if (rec.wantPrimary) assignPrimary(s, rec, out);
    if (rec.seats > 0) fillSeats(s, rec, out);
    const needs = rec.wantPrimary || rec.seats > 0;
    if (needs && !rec.queued) {
      rec.queued = true;
      s.queue.push(rec);
    } else if (!needs) rec.queued = false;
  }

  /** Serves waiting jobs in arrival order while provers are free. */
  function drain(s: ReputationState, out: Decision[]): void {
    const q = s.queue;
    for (let i = s.qHead; i < q.length && s.index.freeCount > 0; i++) {
      const rec = q[i]!;
      if (!rec.queued || rec.closed) continue;
      if (rec.wantPrimary) assignPrimary(s, rec, out);
      if (rec.seats > 0) fillSeats(s, rec, out);
      if (!rec.wantPrimary && rec.seats === 0) rec.queued = false;
    }
    while (s.qHead < q.length && (!q[s.qHead]!.queued || q[s.qHead]!.closed)) s.qHead++;
    if (s.qHead > 1024 && s.qHead * 2 > q.length) {
      s.queue = q.slice(s.qHead);
      s.qHead = 0;
    }
  }

  return { assignPrimary, fillSeats, serve, drain, pay };
}

/** Outcomes: reputation updates, the backup race, settlement and closing. */
function outcomes(p: ReputationParams, sel: ReturnType<typeof selection>) {
  /** The nodes of the attempt led by `lead` (a gang's members, or the lead alone). */
  function crewOf(rec: RepJob, lead: number): readonly number[] {
    return rec.crews?.get(lead) ?? [lead];
  }

  /** Scores an attempt's outcome: a gang's proof is one outcome, so every member gets its score. */
  function score(s: ReputationState, rec: RepJob, lead: number, o: ReputationOutcome): void {
    for (const node of crewOf(rec, lead)) setReputation(s, node, updateReputation(s.reputation[node] ?? p.initialReputation, o, p));
  }

  /** The attempt's nodes stop working on the job and are free for new work (if still in the network). */
  function release(s: ReputationState, rec: RepJob, lead: number): void {
    for (const node of crewOf(rec, lead)) {
      s.nodeJob[node] = undefined;
      if (s.index.has(node)) setFree(s, node, true);
    }
    rec.crews?.delete(lead);
  }

  function close(s: ReputationState, rec: RepJob, outcome: 'delivered' | 'failed' | 'expired', node: number, out: Decision[]): void {
    rec.closed = true;
    rec.queued = false;
    s.jobs.delete(rec.job.id);
    out.push({ type: 'done', jobId: rec.job.id, outcome, operator: node });
    out.push({ type: 'close', jobId: rec.job.id });
  }

  /** Opens the backup race (proposal #2489's emergency mechanism): N drawn provers race for the proof. */
  function openRace(s: ReputationState, rec: RepJob, out: Decision[]): void {
    if (rec.racing || p.backupProvers === 0) return;
    rec.racing = true;
    rec.seats = p.backupProvers;
    sel.serve(s, rec, out);
  }

  /** No attempt left and nothing to wait for: the job failed. */
  function failIfDead(s: ReputationState, rec: RepJob, out: Decision[]): void {
    if (rec.closed || rec.primary >= 0 || rec.racers.length > 0 || rec.seats > 0 || rec.wantPrimary) return;
    close(s, rec, 'failed', -1, out);
  }

  function deliver(s: ReputationState, rec: RepJob, node: number, out: Decision[]): void {
    const id = rec.job.id;
    const primary = rec.primary === node;
    score(s, rec, node, primary && s.now > rec.windowEnd ? 'late' : 'on-time');
    const amount = sel.pay(rec);
    if (amount > 0) out.push({ type: 'settle', jobId: id, operator: node, amount, source: 'escrow' });
    if (rec.fee - amount > 0) out.push({ type: 'fee', jobId: id, amount: rec.fee - amount });
    // The HHI monitor: one proof, shared equally by a gang's members' entities.
    const members = crewOf(rec, node);
    for (const m of members) s.delivered[s.entity[m] ?? m] = (s.delivered[s.entity[m] ?? m] ?? 0) + 1 / members.length;
    release(s, rec, node);
    // A chosen prover beaten by a backup was late; beaten racers lose nothing but their compute.
    if (!primary && rec.primary >= 0) {
      score(s, rec, rec.primary, 'late');
      out.push({ type: 'abort', jobId: id, operator: rec.primary });
      release(s, rec, rec.primary);
    }
    for (const r of rec.racers) {
      if (r === node) continue;
      out.push({ type: 'abort', jobId: id, operator: r });
      release(s, rec, r);
    }
    rec.primary = -1;
    rec.racers = [];
    rec.seats = 0;
    close(s, rec, 'delivered', node, out);
  }

  function fail(s: ReputationState, rec: RepJob, node: number, out: Decision[]): void {
    score(s, rec, node, 'fail');
    release(s, rec, node);
    if (rec.primary === node) {
      rec.primary = -1;
      openRace(s, rec, out);
    } else rec.racers.splice(rec.racers.indexOf(node), 1);
    failIfDead(s, rec, out);
  }

  function decline(s: ReputationState, rec: RepJob, node: number, out: Decision[]): void {
    // A gang's decline is fed by its lead (docs/gang.md): the lead is the one the protocol hears from.
    setReputation(s, node, updateReputation(s.reputation[node] ?? p.initialReputation, 'decline', p));
    release(s, rec, node);
    if (rec.primary === node) {
      rec.primary = -1;
      rec.wantPrimary = true;
    } else {
      rec.racers.splice(rec.racers.indexOf(node), 1);
      rec.seats++;
    }
    sel.serve(s, rec, out);
  }

  /** The deadline: a chosen prover still at work missed it; every attempt stops; the job expired. */
  function expire(s: ReputationState, rec: RepJob, out: Decision[]): void {
    if (rec.primary >= 0) {
      score(s, rec, rec.primary, 'fail');
      out.push({ type: 'abort', jobId: rec.job.id, operator: rec.primary });
      release(s, rec, rec.primary);
    }
    for (const r of rec.racers) {
      out.push({ type: 'abort', jobId: rec.job.id, operator: r });
      release(s, rec, r);
    }
    rec.primary = -1;
    rec.racers = [];
    rec.seats = 0;
    rec.wantPrimary = false;
    close(s, rec, 'expired', -1, out);
  }

  return { deliver, fail, decline, expire, openRace };
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
      if (s.nodeJob[input.operator] !== undefined || !s.index.has(input.operator)) return;
      setFree(s, input.operator, true);
      sel.drain(s, out);
    },
    join: (s, input, now, _r, out) => {
      s.now = now;
      const o = input.operator;
      s.index.add(o.id, o.capacity);
      s.entity[o.id] = o.entity;
      if (s.reputation[o.id] === undefined) s.reputation[o.id] = p.initialReputation;
      s.rank.add(o.id, o.capacity, s.reputation[o.id]!);
      setFree(s, o.id, true);
      sel.drain(s, out);
    },
    leave: (s, input) => {
      // Work in progress finishes (its deliver or fail still counts); the node takes no new job.
      s.index.remove(input.operator);
      s.rank.remove(input.operator);
    },
  };

  return defineMechanism<ReputationState>({
    type: 'reputation',
    params: { ...p, ...(preset ? { preset } : {}) },
    init(operators: readonly OperatorInfo[]): ReputationState {
      const index = new FreeIndex(operators.length + 1);
      const rank = new RankIndex(operators.length + 1, p.topShare);
      const reputation: number[] = [];
      const entity: number[] = [];
      for (const o of operators) {
        index.add(o.id, o.capacity);
        index.setFree(o.id, true);
        reputation[o.id] = p.initialReputation;
        rank.add(o.id, o.capacity, p.initialReputation);
        rank.setFree(o.id, true);
        entity[o.id] = o.entity;
      }
      return {
        seen: seenIds(),
        index,
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
        scratch: { profiles: [], reps: [], sort: [] },
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
