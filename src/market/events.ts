import { hash4 } from '../mechanisms/beacon.js';
import type { InputDraft, Job } from '../mechanisms/types.js';
import { ARRIVAL, COMPLETE, INPUT, JOIN, TIMER, WINDOW, type JobRec, type MarketContext } from './context.js';
import { AttemptBook } from './attempt-book.js';
import type { EntryExit } from './entry-exit.js';
import { REQUESTERS } from './ledger.js';
import type { WorkRoom } from './work.js';
import { openRec } from './job-record.js';
import { canEverServe } from '../scenario/feasibility.js';

/** Seconds between two beacon rounds (drand's default network emits one every 30 s). */
const BEACON_PERIOD_S = 30;

/** The shell's event handlers: arrivals, completed attempts, timers, delayed inputs, windows, joins. */
export interface MarketEvents {
  /** Gives an input to the mechanism at time `at` (a delayed answer). */
  later(at: number, input: InputDraft): void;
  /** Schedules the first arrivals, joins and window. */
  start(): void;
}

/**
 * Registers the event handlers of a market run on its kernel. `reject` ends a job that no node of
 * the run could ever serve (`rejected` at submission, the same under every mechanism). `beacons`:
 * submissions carry their round's beacon (false: the mechanism never reads one, and nothing records it).
 * `escrows`: each job's budget goes into its escrow at arrival (false: the mechanism moves no money,
 * `Mechanism.movesMoney`, so the requester keeps it and the job's record shows nothing escrowed).
 */
export function createEvents(
  ctx: MarketContext,
  work: WorkRoom,
  entryExit: EntryExit,
  reject: (jobId: number) => void,
  split?: (rec: JobRec, firstId: number, beacon: Uint8Array) => number,
  beacons = true,
  recycleJobs = false,
  escrows = true,
): MarketEvents {
  const s = ctx.scenario;
  // Chunks take their parent's beacon, so a chunking run derives beacons whoever reads them.
  onArrival(ctx, reject, split, beacons || split !== undefined, recycleJobs, escrows);
  onComplete(ctx, work);
  // A reusable timer input (see the submit input below): fed at the top of the event, when no input is
  // pending. Reverse Dutch sets three timers per job: an input object each (and its `id` slot) was garbage.
  const timerIn: { type: 'timer'; jobId: number; tag: number } = { type: 'timer', jobId: 0, tag: 0 };
  ctx.sim.on(TIMER, (jobId, tag) => {
    timerIn.jobId = jobId;
    timerIn.tag = tag;
    ctx.feed(timerIn);
  });
  const later = onDelayed(ctx);
  onWindowsAndJoins(ctx, entryExit);
  return {
    later,
    start() {
      const { sim, entities, demand } = ctx;
      for (let i = 0; i < entities.length; i++) {
        const e = entities[i]!;
        if (!e.active && e.joinAt > 0) sim.at(e.joinAt, JOIN, e.id);
      }
      demand.forEach((req, r) => {
        const t = req.spec.start;
        if (req.activeAt(t, s.duration)) sim.at(t, ARRIVAL, r, 0);
      });
      sim.at(Math.min(s.window, s.duration), WINDOW);
    },
  };
}

/**
 * The public beacon of a job, drand-style: a live network would take the first drand round after
 * the submission (one every 30 s on drand's default network) or a block hash. The simulator
 * derives each round's 32 bytes from (seed, run, round), so every mechanism sees the same beacons
 * (common random numbers) and results stay deterministic; jobs of one round share a beacon (their
 * draws still differ: the job id is hashed in). The returned function writes the round of `at` into
 * `out`, and does nothing while the round is the one it last wrote.
 */
function seededBeacons(seed: number): (at: number, out: Uint8Array) => void {
  let beaconRound = -1;
  return (at, out) => {
    const round = Math.floor(at / BEACON_PERIOD_S) + 1;
    if (round === beaconRound) return;
    beaconRound = round;
    for (let i = 0; i < 8; i++) {
      const w = hash4(seed, round, i, 0xbeac);
      out[i * 4] = w >>> 24;
      out[i * 4 + 1] = (w >>> 16) & 255;
      out[i * 4 + 2] = (w >>> 8) & 255;
      out[i * 4 + 3] = w & 255;
    }
  };
}

/**
 * Arrivals: each requester's next job is opened (escrow, the welfare bound), its next arrival
 * scheduled, and the job submitted with its round's beacon, split into chunks, or rejected when no
 * node of the run could ever serve it. `recycleJobs`: nothing reads a closed job (`Mechanism.releasesJobs`),
 * so the job object of the record about to be reused is overwritten for the new job.
 */
function onArrival(
  ctx: MarketContext,
  reject: (jobId: number) => void,
  split: ((rec: JobRec, firstId: number, beacon: Uint8Array) => number) | undefined,
  beacons: boolean,
  recycleJobs: boolean,
  escrows: boolean,
): void {
  const { sim, nodes, demand, jobs, ledger, metrics } = ctx;
  const s = ctx.scenario;
  // Requesters whose jobs no node of this run could ever serve (issue 15): never shown to the mechanism.
  const caps = nodes.map((n) => n.info.capacity);
  const unservable = demand.map(
    (d) =>
      !canEverServe({ cpus: d.spec.resources.cpus, gpus: d.spec.resources.gpus, memoryGb: d.spec.resources.memory_gb }, caps, d.spec.gang),
  );
  const beacon = seededBeacons(ctx.seeds.beacon);
  // A reusable submit input: mechanisms read an input's fields during `step` and never keep the
  // object (the contract), and it is fed at the top of the handler, when no input is pending.
  // Without `beacons` the input has no beacon at all (a mechanism that read one would refuse the job).
  const submitIn: { type: 'submit'; job: Job; beacon: Uint8Array | undefined } = {
    type: 'submit',
    job: undefined as unknown as Job,
    beacon: beacons ? new Uint8Array(32) : undefined,
  };
  let nextJob = 0;
  sim.on(ARRIVAL, (r) => {
    const req = demand[r]!;
    const job = req.makeJob(nextJob++, sim, recycleJobs ? jobs.nextSpare()?.job : undefined);
    // The value is written here, not passed: a double passed to a call that is not inlined is boxed.
    const rec = openRec(jobs, job, 0);
    rec.value = req.lastValueUsd;
    ctx.surplus.addBest(rec, metrics);
    jobs.set(job.id, rec);
    if (!escrows) rec.escrowIn = 0;
    else if (job.maxPrice > 0) ledger.toEscrow(REQUESTERS, job.id, job.maxPrice);
    metrics.jobSubmitted();
    req.scheduleNext(sim, ARRIVAL, r, s.duration);
    if (unservable[r]) {
      metrics.unservable++;
      reject(job.id);
      return;
    }
    if (submitIn.beacon !== undefined) beacon(sim.now, submitIn.beacon);
    // A chunked job (issue 13): its chunks go to the mechanism instead, on the next ids (chunking.ts).
    const pieces = split ? split(rec, nextJob, submitIn.beacon!) : 0;
    if (pieces > 0) {
      nextJob += pieces;
      return;
    }
    submitIn.job = job;
    ctx.feed(submitIn);
    submitIn.job = undefined as unknown as Job;
  });
}

/** Completed attempts: compute booked, the node's report (deliver or fail) fed, gang members released. */
function onComplete(ctx: MarketContext, work: WorkRoom): void {
  const { sim, nodes, jobs, attempts, lastCost } = ctx;
  // A reusable deliver input (see the submit input above), and one attempt record to read into.
  const deliverIn: { type: 'deliver'; jobId: number; operator: number } = { type: 'deliver', jobId: 0, operator: 0 };
  const completed = AttemptBook.blank();
  sim.on(COMPLETE, (jobId, nodeId) => {
    const a = completed;
    attempts.take(jobId, nodeId, a);
    ctx.packing?.end(jobId, nodeId);
    const node = nodes[nodeId]!;
    node.outstanding--;
    ctx.nodeChanged(nodeId);
    lastCost[nodeId] = work.bookCompute(nodeId, a.end - a.start, jobs.get(jobId)) + work.gang.complete(jobId, nodeId);
    ctx.lastActivity = sim.now;
    if (a.failed && work.retry(jobs.get(jobId), nodeId, a.end > a.start)) return;
    if (a.failed) ctx.feed({ type: 'fail', jobId, operator: nodeId });
    else {
      deliverIn.jobId = jobId;
      deliverIn.operator = nodeId;
      ctx.feed(deliverIn);
    }
    if (!ctx.freesOnReport) work.nodeIdle(nodeId);
    work.gang.release(jobId, nodeId);
  });
}

/**
 * Delayed answers: the returned `later(at, input)` holds an input until `at`. A lock is checked
 * again when it lands (the node still active and free, its entity's capital covering the collateral).
 */
function onDelayed(ctx: MarketContext): MarketEvents['later'] {
  const { sim, nodes, entities, jobs, metrics } = ctx;
  const delayed = new Map<number, InputDraft>();
  let nextDelayed = 0;
  sim.on(INPUT, (id) => {
    const input = delayed.get(id)!;
    delayed.delete(id);
    if (input.type === 'lock') {
      const node = nodes[input.operator]!;
      if (!node.active || node.ejected) return;
      if (node.outstanding > 0 && !entities[node.info.entity]!.strategy.overcommits) return;
      // Capital bounds collateral: a lock the entity cannot cover is refused (BoundlessMarket.sol:227).
      const rec = ctx.collateralFor ? jobs.get(input.jobId) : undefined;
      if (rec && !ctx.canPost(node.info.entity, ctx.collateralFor!(rec.job, 0))) {
        metrics.refusedForCollateral++;
        return;
      }
    }
    ctx.feed(input);
  });
  return (at, input) => {
    const id = nextDelayed++;
    delayed.set(id, input);
    sim.at(at, INPUT, id, 0);
  };
}

/** Windows (metrics closed, market shares, entry and exit) and entities joining. */
function onWindowsAndJoins(ctx: MarketContext, entryExit: EntryExit): void {
  const { sim, nodes, entities, metrics } = ctx;
  const s = ctx.scenario;
  /** An entity leaves: its nodes stop taking work (work in progress finishes). */
  function exitEntity(entityId: number): void {
    const e = entities[entityId]!;
    if (e.exited) return;
    e.exited = true;
    metrics.exits[entityId] = true;
    for (const n of e.nodes) {
      if (!nodes[n]!.active) continue;
      ctx.deactivate(n);
      ctx.feed({ type: 'leave', operator: n });
    }
  }
  let windowStart = 0;
  sim.on(WINDOW, () => {
    // Entities read their share of the window's work from the metrics when asked (`RunMetrics.lastShare`).
    metrics.closeWindow(windowStart, ctx.activeEntities);
    for (const change of entryExit.onWindow(sim.now)) {
      if (change.type === 'exit') exitEntity(change.entity);
      else sim.at(sim.now, JOIN, change.entity);
    }
    windowStart = sim.now;
    if (windowStart < s.duration) sim.at(Math.min(s.duration, windowStart + s.window), WINDOW);
  });
  sim.on(JOIN, (entityId) => {
    const e = entities[entityId]!;
    if (e.exited) return;
    e.active = true;
    ctx.activeEntities++;
    for (const n of e.nodes) {
      nodes[n]!.active = true;
      ctx.surplus.update(n);
      ctx.nodeChanged(n);
      ctx.feed({ type: 'join', operator: nodes[n]!.info });
    }
  });
}
