import type { Decision, Micros } from '../types.js';
import { gangSize } from '../types.js';
import type { ReputationParams } from './params.js';
import { PICK_UNSURE, type RankedPool } from './ranked-pool.js';
import { drawUnit, pickIndex } from './select.js';
import { type RepJob, type ReputationState, REP_TAG_WINDOW, setFree } from './state.js';

/** A weighted draw too close to call on the index's sums: `pickIndex` on the pool listed in id order. */
function pickExact(p: ReputationParams, s: ReputationState, pool: RankedPool, u: number): number {
  const { ids, reps } = s.rank.scratch;
  pool.list(ids, reps);
  const { sort } = s.scratch;
  return ids[pickIndex(reps, u, p, sort)]!;
}

/** The same draw by listing and sorting the eligible free nodes (past the rank index's pool limit). */
function drawNaive(p: ReputationParams, s: ReputationState, rec: RepJob, n: number): { nodes: number[]; draw: number } | undefined {
  const { reps, sort } = s.scratch;
  const free = s.rank.listFree(rec.job.request);
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
export function selection(p: ReputationParams) {
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

  /** The uncommitted assignment of a drawn prover, auditable by its beacon and draw (a gang's crew as `members`, lead first). */
  const assignment = (
    rec: RepJob,
    got: { nodes: number[]; draw: number },
    lead: number,
    price: number,
    role: 'primary' | 'fallback' | 'racer',
  ): Decision => ({
    type: 'assign',
    jobId: rec.job.id,
    operator: lead,
    price,
    role,
    committed: false,
    beacon: rec.beacon,
    draw: got.draw,
    ...(got.nodes.length > 1 ? { members: got.nodes } : {}),
  });

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
    out.push(assignment(rec, got, lead, price, role));
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
      out.push(assignment(rec, got, lead, price, 'racer'));
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
    for (let i = s.qHead; i < q.length && s.rank.freeCount > 0; i++) {
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
