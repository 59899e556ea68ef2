/**
 * Chunked proving and aggregation (issue 13, item 6), Nexus-style: a job larger than its requester's
 * `chunking.chunk_mcycles` is split into equal chunks, each an ordinary job proven in parallel by
 * whichever node the mechanism picks, then one aggregation job combines their proofs. Nexus: "Proofs
 * are recursively aggregated into a single succinct proof" by provers and aggregators
 * (docs.nexus.xyz/architecture/compute-network); the Nexus 1.0 whitepaper's network does "massively
 * parallelised incremental proof generation" (docs.nexus.xyz/research/specifications/the-nexus-whitepaper).
 *
 * The requester's job (the parent) never reaches the mechanism: its pieces do. The parent is what the
 * metrics count (one job submitted, one outcome), end to end: it is delivered when its aggregation
 * is, fails when a piece does (at that moment), and its price is the sum of its pieces' prices.
 * Delivered work is credited to each piece's entity (the concentration columns). Ids: the parent
 * reserves the next n + 1 ids for its n chunks and its aggregation at arrival, so later jobs get the
 * same ids under every mechanism (common random numbers).
 */
import type { Chunking } from '../scenario/capacity-schema.js';
import type { InputDraft, Job } from '../mechanisms/types.js';
import type { DecisionHandler, JobRec, MarketContext } from './context.js';
import { REQUESTERS } from './ledger.js';
import { openRec } from './job-record.js';

/** One chunked job in progress. */
interface Parent {
  readonly rec: JobRec;
  readonly beacon: Uint8Array;
  /** Chunks not yet delivered. */
  pending: number;
  /** Pieces in the job table (submitted or waiting for their overhead), not yet closed. */
  open: number;
  /** The aggregation's reserved id and budget (µUSD), submitted once every chunk is delivered. */
  readonly aggId: number;
  readonly aggMcycles: number;
  readonly aggBudget: number;
  /** Sums over the closed pieces. */
  paid: number;
  useful: number;
  attempts: number;
}

/** The chunking room of a market run. */
export interface ChunkingRoom {
  /**
   * At a parent's arrival (its escrow held, its beacon drawn): splits it when its requester chunks and
   * it is large enough. Returns how many job ids its pieces take (0: not split, submit it as usual).
   */
  split(rec: JobRec, firstId: number, beacon: Uint8Array): number;
  /** The outcomes room's `done` and `close`, with the pieces of chunked jobs handled here. */
  done(inner: DecisionHandler<'done'>): DecisionHandler<'done'>;
  close(inner: DecisionHandler<'close'>): DecisionHandler<'close'>;
  /** Pieces still in the job table (not jobs of their own in `MarketResult.openJobs`). */
  openPieces(): number;
}

/** Equal chunks of a job: how many, and their size. */
export function chunksOf(mcycles: number, chunkMcycles: number): { n: number; mcycles: number } {
  const n = Math.ceil(mcycles / chunkMcycles - 1e-9);
  return { n, mcycles: mcycles / n };
}

/**
 * Builds the chunking room, or undefined when no requester chunks. `outcomes` are the unwrapped
 * done/close (the parent's own outcome goes there directly, so no committee verifies it: its
 * pieces were verified).
 */
export function createChunking(
  ctx: MarketContext,
  outcomes: { done: DecisionHandler<'done'>; close: DecisionHandler<'close'> },
): ChunkingRoom | undefined {
  const rules: (Chunking | undefined)[] = ctx.scenario.requesters.map((r) => r.chunking);
  if (rules.every((r) => r === undefined)) return undefined;
  const { sim, jobs, ledger, metrics, nodes, ownerOf, lastCost } = ctx;
  const pieceOf = new Map<number, Parent>();

  /** Opens a piece: its record and its escrow (moved from the parent's); returns its submission. */
  function open(p: Parent, job: Job): InputDraft {
    jobs.set(job.id, openRec(jobs, job, 0));
    if (job.maxPrice > 0) {
      ledger.fromEscrow(p.rec.job.id, REQUESTERS, job.maxPrice);
      ledger.toEscrow(REQUESTERS, job.id, job.maxPrice);
    }
    pieceOf.set(job.id, p);
    p.open++;
    return { type: 'submit', job, beacon: p.beacon };
  }

  /** Gives a piece's submission to the mechanism at `at`. */
  function submit(draft: InputDraft, at: number): void {
    if (at > sim.now) ctx.later(at, draft);
    else ctx.feed(draft);
  }

  function piece(parent: Job, id: number, mcycles: number, at: number, maxPrice: number): Job {
    return { ...parent, id, mcycles, submittedAt: at, maxPrice, estSeconds: (parent.estSeconds * mcycles) / parent.mcycles };
  }

  /** The parent's outcome, once: end to end from its own submission. */
  function parentDone(p: Parent, outcome: 'delivered' | 'failed' | 'expired' | 'rejected', operator: number): void {
    if (p.rec.outcome !== '') return;
    // Operator −1: the work was credited piece by piece; the row names the aggregating node below.
    outcomes.done({ type: 'done', jobId: p.rec.job.id, outcome, operator: -1 });
    p.rec.winner = operator;
  }

  function maybeClose(p: Parent): void {
    if (p.open > 0 || p.rec.outcome === '') return;
    const id = p.rec.job.id;
    // What the parent paid is what its pieces paid: the outcomes room reads escrowIn − left − refunds.
    p.rec.escrowIn = ledger.held(id) + p.paid;
    p.rec.refunds = 0;
    p.rec.useful = p.useful;
    p.rec.attempts = p.attempts;
    outcomes.close({ type: 'close', jobId: id });
  }

  return {
    split(rec, firstId, beacon) {
      const job = rec.job;
      const rule = rules[job.requester];
      if (!rule || job.mcycles <= rule.chunk_mcycles) return 0;
      const { n, mcycles } = chunksOf(job.mcycles, rule.chunk_mcycles);
      const aggMcycles = n * rule.aggregation_mcycles;
      // The requester's limit is shared by Mcycles between the chunks and the aggregation (the total stays the limit).
      const total = job.mcycles + aggMcycles;
      const chunkBudget = Math.floor((job.maxPrice * mcycles) / total);
      const p: Parent = {
        rec,
        beacon: beacon.slice(),
        pending: n,
        open: 0,
        aggId: firstId + n,
        aggMcycles,
        aggBudget: job.maxPrice - n * chunkBudget,
        paid: 0,
        useful: 0,
        attempts: 0,
      };
      const at = sim.now + rule.overhead_s;
      // Every chunk is opened before any is submitted: a chunk refused at once must not close the job early.
      const drafts: InputDraft[] = [];
      for (let i = 0; i < n; i++) drafts.push(open(p, piece(job, firstId + i, mcycles, at, chunkBudget)));
      for (const d of drafts) submit(d, at);
      return n + 1;
    },
    done(inner) {
      return (d) => {
        const p = pieceOf.get(d.jobId);
        if (!p) return inner(d);
        const rec = jobs.get(d.jobId);
        if (rec?.outcome !== '') return;
        rec.outcome = d.outcome;
        rec.doneAt = sim.now;
        rec.winner = d.operator;
        const delivered = d.outcome === 'delivered';
        if (delivered && d.operator >= 0) {
          rec.useful = lastCost[d.operator]!;
          metrics.workDone(ownerOf[d.operator]!.id, rec.job.mcycles);
          // `cloud_cost_usd`, as the outcomes room counts it for every delivered job.
          const m = nodes[d.operator]!.model;
          metrics.cloud += Math.round((m.duration(rec.job.mcycles, rec.job.kind) * m.profile.rentUsdPerHour * m.devices * 1e6) / 3600);
        }
        if (!delivered) return parentDone(p, d.outcome, -1);
        if (d.jobId === p.aggId) return parentDone(p, 'delivered', d.operator);
        if (--p.pending > 0 || p.rec.outcome !== '') return;
        if (p.aggMcycles > 0) submit(open(p, piece(p.rec.job, p.aggId, p.aggMcycles, sim.now, p.aggBudget)), sim.now);
        else parentDone(p, 'delivered', d.operator);
      };
    },
    close(inner) {
      return (d) => {
        const p = pieceOf.get(d.jobId);
        if (!p) return inner(d);
        const rec = jobs.get(d.jobId);
        if (!rec) return;
        jobs.delete(d.jobId);
        pieceOf.delete(d.jobId);
        const left = ledger.held(d.jobId);
        if (left > 0) ledger.fromEscrow(d.jobId, REQUESTERS, left);
        p.paid += rec.escrowIn - left - rec.refunds;
        p.useful += rec.useful;
        p.attempts += rec.attempts;
        ctx.feedback.close(d.jobId);
        ctx.collateral.close(d.jobId);
        p.open--;
        maybeClose(p);
      };
    },
    openPieces: () => pieceOf.size,
  };
}
