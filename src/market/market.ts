import { Simulation } from '../engine/simulation.js';
import { rngStream, seed32, type Rng } from '../engine/rng.js';
import type { Quote } from '../agents/strategy.js';
import { Feedback } from '../agents/feedback.js';
import { hashUniform } from '../mechanisms/beacon.js';
import type { Decision, Input, InputDraft, Job, Mechanism, OperatorInfo } from '../mechanisms/types.js';
import { fits } from '../mechanisms/types.js';
import { RunMetrics } from '../metrics/run-metrics.js';
import type { Scenario } from '../scenario/schema.js';
import { buildDemand, type Requester } from './demand.js';
import { BURNED, COMPUTE, EMISSION, Ledger, OPERATOR0, REQUESTERS, TREASURY } from './ledger.js';
import { AttemptBook } from './attempt-book.js';
import { JobTable } from './job-table.js';
import { createResponder } from './responses.js';
import { buildCluster } from './self-hosted-cluster.js';
import { CollateralBook, createEntryExit } from './entry-exit.js';
import { buildPopulation, type Node, type Population } from './population.js';

const ARRIVAL = 0;
const COMPLETE = 1;
const TIMER = 2;
const WINDOW = 3;
const INPUT = 4;
const JOIN = 5;


/** One finished job, for `jobs.csv`. */
export interface JobRow {
  job_id: number;
  requester: number;
  kind: string;
  mcycles: number;
  submitted_s: number;
  deadline_s: number;
  outcome: string;
  ended_s: number;
  on_time: boolean;
  latency_s: number;
  price_usd: number;
  operator: number;
  entity: string;
  attempts: number;
}

/** Inputs to one market run. */
export interface MarketOptions {
  readonly scenario: Scenario;
  readonly mechanism: Mechanism;
  readonly seed: number;
  /** Run index (sweeps), part of every stream's seed. */
  readonly run?: number;
  /** Called once per job when its money is final (for `jobs.csv`). */
  readonly onJob?: (row: JobRow) => void;
  /** Share of delivered work at which attackers count as dominant. */
  readonly dominanceShare?: number;
}

/** What a market run leaves behind. */
export interface MarketResult {
  readonly metrics: RunMetrics;
  readonly ledger: Ledger;
  readonly population: Population;
  readonly events: number;
  readonly openJobs: number;
  readonly endTime: number;
}

interface JobRec {
  job: Job;
  escrowIn: number;
  refunds: number;
  compute: number;
  useful: number;
  attempts: number;
  outcome: string;
  doneAt: number;
  winner: number;
}

/**
 * Runs one simulated market: the imperative shell around a mechanism. It owns the clock, the
 * job lifecycle (submitted → assigned → proving → delivered / failed / expired), the agents'
 * responses, the hardware timing and the ledger, and streams everything into {@link RunMetrics}.
 */
export function runMarket(o: MarketOptions): MarketResult {
  const s = o.scenario;
  const run = o.run ?? 0;
  const sim = new Simulation();
  // The `self-hosted` baseline proves on the requester's own rented cluster instead of the market.
  const selfHosted = o.mechanism.type === 'self-hosted';
  const pop = selfHosted ? buildCluster(s, o.mechanism.params, () => sim.now) : buildPopulation(s, () => sim.now);
  const { nodes, entities } = pop;
  const demand: Requester[] = buildDemand(s, o.seed, run);
  const ledger = new Ledger(entities.length);
  const metrics = new RunMetrics(
    { names: entities.map((e) => e.view.name), attackers: entities.map((e) => e.view.attacker), dominanceShare: o.dominanceShare ?? 0.5 },
    s.window,
  );
  const mech = o.mechanism;
  const mechRng = rngStream(o.seed, run, `mechanism/${mech.type}`);
  const agentRng: Rng[] = entities.map((e) => rngStream(o.seed, run, `entity/${e.view.name}`));
  const failSeed = seed32(o.seed, run, 'hardware-failures');
  const jitterSeed = seed32(o.seed, run, 'hardware-jitter');
  const raceOrderSeed = seed32(o.seed, run, 'race-order');
  const initial: OperatorInfo[] = nodes.filter((n) => n.active).map((n) => n.info);
  // `init` may decide (the order book asks every node for its opening ask): carried out before the clock starts.
  const initOut: Decision[] = [];
  const state = mech.init(initial, initOut, sim.now);
  const jobs = new JobTable<JobRec>();
  // Attempts in progress, per node (usually zero or one; more for capacity-blind nodes). A small
  // per-node list beats a Map keyed by (job, node): those keys exceed small-integer range.
  const attempts = new AttemptBook(nodes.length);
  const delayed = new Map<number, InputDraft>();
  let nextDelayed = 0;
  let nextJob = 0;
  let activeEntities = entities.filter((e) => e.active).length;
  let pending: InputDraft[] = [];
  /** The id of the next input: one sequence for the run (the core refuses a repeated id). */
  let nextInputId = 0;
  let pHead = 0;
  let busy = false;
  const lastCost = new Float64Array(nodes.length);
  // Node id → its owner and the owner's random stream: the hot path asks for both on every job.
  const ownerOf = nodes.map((n) => entities[n.info.entity]!);
  const rngOf = nodes.map((n) => agentRng[n.info.entity]!);
  const collateralBook = new CollateralBook(entities.length);
  const entryExit = createEntryExit({ entities, nodes, ledger, metrics, window: s.window, collateral: collateralBook });
  // Learning strategies (`observe`) hear how each job they competed for ended, once its money is final.
  const feedback = new Feedback((en, won, p) => entities[en]!.strategy.observe?.(won, p, entities[en]!.view), entities.some((e) => e.strategy.observe !== undefined));


  /**
   * Gives an input to the mechanism and carries out its decisions. Decisions may produce further
   * inputs (a decline, an ask): they queue in `pending` and run in order, never re-entrantly.
   */
  function feed(input: InputDraft): void {
    if (busy) {
      pending.push(input);
      return;
    }
    busy = true;
    apply(input);
    busy = false;
    feedPending();
  }

  /** Applies the inputs raised while decisions were carried out, in order. */
  function feedPending(): void {
    if (pending.length === 0) return;
    busy = true;
    while (pHead < pending.length) apply(pending[pHead++]!);
    pending = [];
    pHead = 0;
    busy = false;
  }

  // Decisions of the current step. `apply` never nests (inputs raised while handling decisions wait
  // in `pending`), so one array serves every step; it is emptied only after steps that decided
  // something (a fresh `[]` per step would allocate room for 16 decisions each time).
  const out: Decision[] = [];

  function apply(draft: InputDraft): void {
    const input = draft as Input & { id: number };
    input.id = nextInputId++;
    if (feedback.enabled && (input.type === 'bid' || input.type === 'lock' || input.type === 'join-race') && jobs.has(input.jobId)) feedback.offered(input.jobId, nodes[input.operator]!.info.entity);
    mech.step(state, input, sim.now, mechRng, out);
    const n = out.length;
    if (n === 0) return;
    for (let i = 0; i < n; i++) handle(out[i]!);
    // pop() is inlined by V8; `length = 0` is a runtime call, slower for the few decisions of a step.
    for (let i = 0; i < n; i++) out.pop();
  }

  function quote(node: Node, job: Job): Quote {
    const dur = node.model.duration(job.mcycles, job.kind);
    const start = node.freeAt > sim.now ? node.freeAt : sim.now;
    return { job, costUsd: (dur * node.model.hourlyCostUsd) / 3600, durationS: dur, finishAt: start + dur, busy: node.outstanding > 0, now: sim.now };
  }

  function startAttempt(rec: JobRec, nodeId: number): void {
    const node = nodes[nodeId]!;
    const job = rec.job;
    const k = rec.attempts++;
    const ent = ownerOf[nodeId]!;
    if (ent.strategy.abandon?.(quote(node, job), ent.view, rngOf[nodeId]!.next())) {
      // Abandoned (griefing): no work starts; the attempt is reported failed after the strategy's delay, at no compute cost.
      const at = sim.now + Math.max(0, ent.strategy.abandonAfter?.(quote(node, job), ent.view) ?? 1);
      node.outstanding++;
      attempts.add({ jobId: job.id, node: nodeId, start: at, end: at, failed: true, handle: sim.at(at, COMPLETE, job.id, nodeId) });
      return;
    }
    const start = node.freeAt > sim.now ? node.freeAt : sim.now;
    const dur = node.model.duration(job.mcycles, job.kind) * (0.9 + 0.2 * hashUniform(jitterSeed, job.id, nodeId, k));
    const failed = hashUniform(failSeed, job.id, nodeId, k) < node.failureProb;
    const end = start + (failed ? dur * hashUniform(failSeed ^ 0x5bd1e995, job.id, nodeId, k) : dur);
    node.freeAt = end;
    node.outstanding++;
    const handleId = sim.at(end, COMPLETE, job.id, nodeId);
    attempts.add({ jobId: job.id, node: nodeId, start, end, failed, handle: handleId });
  }

  function bookCompute(nodeId: number, seconds: number, rec: JobRec | undefined): number {
    const node = nodes[nodeId]!;
    const micros = Math.round((seconds * node.model.hourlyCostUsd * 1e6) / 3600);
    if (micros > 0) ledger.transfer(OPERATOR0 + node.info.entity, COMPUTE, micros);
    metrics.compute += micros;
    if (rec) rec.compute += micros;
    if (rec && micros > 0) feedback.spent(rec.job.id, node.info.entity, micros);
    return micros;
  }

  // Reusable input objects for the three inputs every job produces. Mechanisms read an input's fields
  // during `step` and never keep the object (the contract), so when no input is pending (`busy` is
  // false: the call is at the top of an event handler) the same object can carry the next input.
  const submitIn: { type: 'submit'; job: Job } = { type: 'submit', job: undefined as unknown as Job };
  const deliverIn: { type: 'deliver'; jobId: number; operator: number } = { type: 'deliver', jobId: 0, operator: 0 };
  const availableIn: { type: 'available'; operator: number } = { type: 'available', operator: 0 };

  function nodeIdle(nodeId: number): void {
    const node = nodes[nodeId]!;
    if (node.outstanding !== 0 || !node.active || node.ejected) return;
    if (busy) feed({ type: 'available', operator: nodeId });
    else {
      availableIn.operator = nodeId;
      feed(availableIn);
    }
  }

  function candidates(job: Job, exclude: readonly number[], needFree: boolean): number[] {
    const list: number[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      if (!n.active || n.ejected || !fits(n.info.capacity, job.request) || exclude.includes(i)) continue;
      if (needFree && n.outstanding > 0 && !entities[n.info.entity]!.strategy.overcommits) continue;
      list.push(i);
    }
    return list;
  }

  function later(at: number, input: InputDraft): void {
    const id = nextDelayed++;
    delayed.set(id, input);
    sim.at(at, INPUT, id, 0);
  }

  const responder = createResponder({ nodes, entities, agentRng, raceOrderSeed, now: () => sim.now, quote, feed, later, candidates });

  function solicit(d: Extract<Decision, { type: 'solicit' }>): void {
    const rec = jobs.get(d.jobId);
    if (rec) responder.respond(d, rec.job);
  }

  function handle(d: Decision): void {
    // Hot cases first: a switch on strings compares them in order.
    switch (d.type) {
      case 'assign': {
        const rec = jobs.get(d.jobId);
        if (!rec) return;
        const node = nodes[d.operator]!;
        if (!d.committed) {
          const e = ownerOf[d.operator]!;
          const ok = node.active && !node.ejected && e.strategy.accept(quote(node, rec.job), d.price / 1e6, e.view, rngOf[d.operator]!.next());
          if (!ok) {
            feed({ type: 'decline', jobId: d.jobId, operator: d.operator });
            return;
          }
          // An assignment stands until declined: the owner's acceptance is an offer taken, not an input.
          if (feedback.enabled) feedback.offered(d.jobId, e.id);
        }
        startAttempt(rec, d.operator);
        return;
      }
      case 'settle': {
        const owner = ownerOf[d.operator]!.id;
        const to = OPERATOR0 + owner;
        if (d.source === 'emission') {
          ledger.transfer(EMISSION, to, d.amount);
          metrics.emission += d.amount;
        } else ledger.fromEscrow(d.jobId, to, d.amount);
        metrics.revenue += d.amount;
        // An epoch's emission may name a job that has closed: its feedback is already final.
        if (d.source === 'escrow' || jobs.has(d.jobId)) feedback.paid(d.jobId, owner, d.amount);
        return;
      }
      case 'done': {
        const rec = jobs.get(d.jobId);
        if (!rec || rec.outcome !== '') return;
        rec.outcome = d.outcome;
        rec.doneAt = sim.now;
        rec.winner = d.operator;
        const job = rec.job;
        let entity = -1;
        if (d.outcome === 'delivered' && d.operator >= 0) {
          entity = ownerOf[d.operator]!.id;
          rec.useful = lastCost[d.operator]!;
        }
        metrics.jobDone(d.outcome, sim.now - job.submittedAt, sim.now <= job.deadline, entity, job.mcycles);
        // Aggregators submit one job per `every` delivered proofs of the requester they aggregate.
        if (d.outcome === 'delivered') for (const a of demand[job.requester]!.aggregators) if (demand[a]!.proofDelivered(sim.now, s.duration)) sim.at(sim.now, ARRIVAL, a, 0);
        // Reference column `cloud_cost_usd`: the delivering node's hardware rented on demand for the
        // nominal proving time of the job (no jitter, no failed attempts), for every mechanism.
        if (entity >= 0) {
          const m = nodes[d.operator]!.model;
          metrics.cloud += Math.round((m.duration(job.mcycles, job.kind) * m.profile.rentUsdPerHour * m.devices * 1e6) / 3600);
        }
        return;
      }
      case 'close': {
        const rec = jobs.get(d.jobId);
        if (!rec) return;
        jobs.delete(d.jobId);
        const left = ledger.held(d.jobId);
        if (left > 0) ledger.fromEscrow(d.jobId, REQUESTERS, left);
        const paid = rec.escrowIn - left - rec.refunds;
        metrics.requesterPaid += paid;
        metrics.useful += rec.useful;
        if (rec.outcome === 'delivered') metrics.jobPrice(paid, rec.job.mcycles);
        if (o.onJob) emitRow(rec, paid);
        feedback.close(d.jobId);
        collateralBook.close(d.jobId);
        return;
      }

      case 'solicit':
        solicit(d);
        return;
      case 'abort': {
        const a = attempts.take(d.jobId, d.operator);
        if (!a) return;
        sim.cancel(a.handle);
        const node = nodes[a.node]!;
        node.outstanding--;
        if (sim.now > a.start) bookCompute(a.node, sim.now - a.start, jobs.get(a.jobId));
        if (node.outstanding === 0) node.freeAt = sim.now;
        nodeIdle(a.node);
        return;
      }
      case 'refund': {
        ledger.fromEscrow(d.jobId, REQUESTERS, d.amount);
        metrics.refunded += d.amount;
        const rec = jobs.get(d.jobId);
        if (rec) rec.refunds += d.amount;
        return;
      }
      case 'burn':
        ledger.fromEscrow(d.jobId, BURNED, d.amount);
        metrics.burned += d.amount;
        return;
      case 'fee':
        ledger.fromEscrow(d.jobId, TREASURY, d.amount);
        metrics.protocol += d.amount;
        return;
      case 'collateral':
        ledger.toEscrow(OPERATOR0 + nodes[d.operator]!.info.entity, d.jobId, d.amount);
        feedback.spent(d.jobId, nodes[d.operator]!.info.entity, d.amount);
        collateralBook.post(d.jobId, nodes[d.operator]!.info.entity, d.amount);
        return;
      case 'release':
        ledger.fromEscrow(d.jobId, OPERATOR0 + nodes[d.operator]!.info.entity, d.amount);
        feedback.returned(d.jobId, nodes[d.operator]!.info.entity, d.amount);
        collateralBook.release(d.jobId, nodes[d.operator]!.info.entity, d.amount);
        return;
      case 'slash': {
        collateralBook.forfeit(d.jobId, nodes[d.operator]!.info.entity);
        ledger.fromEscrow(d.jobId, BURNED, d.burn);
        if (d.toOperator >= 0 && d.reward > 0) {
          ledger.fromEscrow(d.jobId, OPERATOR0 + nodes[d.toOperator]!.info.entity, d.reward);
          metrics.revenue += d.reward;
          feedback.paid(d.jobId, nodes[d.toOperator]!.info.entity, d.reward);
        }
        ledger.fromEscrow(d.jobId, TREASURY, d.toTreasury);
        metrics.slashed += d.burn + d.reward + d.toTreasury;
        metrics.burned += d.burn;
        metrics.protocol += d.toTreasury;
        return;
      }
      case 'eject': {
        const node = nodes[d.operator]!;
        if (node.ejected) return;
        node.ejected = true;
        deactivate(d.operator);
        return;
      }
      case 'timer':
        sim.at(d.at, TIMER, d.jobId, d.tag);
        return;
      case 'request-ask': {
        const node = nodes[d.operator]!;
        if (!node.active || node.ejected) return;
        const e = entities[node.info.entity]!;
        // Cost of one Mcycle of the default workload on this node, at its current speed.
        const perMcycle = ((node.model.duration(1000, 'zkvm') - node.model.profile.setupSeconds) / 1000) * (node.model.hourlyCostUsd / 3600);
        const a = e.strategy.ask(perMcycle, e.view, agentRng[e.id]!.next(), sim.now);
        // "No ask" is an answer too (`cancel-ask`): a bid held for this node's answer need not wait longer.
        if (a !== null) feed({ type: 'ask', operator: d.operator, pricePerMcycle: Math.max(0, a), expiresAt: d.expiresAt });
        else feed({ type: 'cancel-ask', operator: d.operator });
        return;
      }
    }
  }

  function emitRow(rec: JobRec, paid: number): void {
    const j = rec.job;
    const delivered = rec.outcome === 'delivered';
    o.onJob!({
      job_id: j.id,
      requester: j.requester,
      kind: j.kind,
      mcycles: j.mcycles,
      submitted_s: j.submittedAt,
      deadline_s: j.deadline,
      outcome: rec.outcome || 'open',
      ended_s: rec.doneAt,
      on_time: delivered && rec.doneAt <= j.deadline,
      latency_s: delivered ? rec.doneAt - j.submittedAt : NaN,
      price_usd: paid / 1e6,
      operator: rec.winner,
      entity: rec.winner >= 0 ? entities[nodes[rec.winner]!.info.entity]!.view.name : '',
      attempts: rec.attempts,
    });
  }

  /** When the last attempt ended (the self-hosted cluster is rented at least until then). */
  let lastActivity = 0;

  /**
   * Self-hosted rent: the requester pays its cluster's rent for every second from 0 to `end`, idle
   * time included. The busy part was already booked as compute by {@link bookCompute} (the cluster's
   * nodes are `rented`, so their hourly cost is the rent); the rest, the idle rent, goes to the
   * compute account too, so the cluster entity ends at 0 and `requester_cost_usd` is the whole rent.
   */
  function chargeClusterRent(end: number): void {
    let perHour = 0;
    for (const n of nodes) perHour += n.model.hourlyCostUsd;
    const rent = Math.round((perHour * end * 1e6) / 3600);
    metrics.amortizedMicrosPerSecond = (perHour * 1e6) / 3600;
    const account = OPERATOR0 + 0;
    ledger.transfer(REQUESTERS, account, rent);
    metrics.requesterPaid += rent;
    const idle = ledger.balance(account);
    if (idle > 0) {
      ledger.transfer(account, COMPUTE, idle);
      metrics.idle += idle;
    }
  }

  /** An entity leaves: its nodes stop taking work (work in progress finishes). */
  function exitEntity(entityId: number): void {
    const e = entities[entityId]!;
    if (e.exited) return;
    e.exited = true;
    metrics.exits[entityId] = true;
    for (const n of e.nodes) {
      if (!nodes[n]!.active) continue;
      deactivate(n);
      feed({ type: 'leave', operator: n });
    }
  }

  function deactivate(nodeId: number): void {
    const node = nodes[nodeId]!;
    node.active = false;
    const e = entities[node.info.entity]!;
    if (e.active && e.nodes.every((n) => !nodes[n]!.active)) {
      e.active = false;
      activeEntities--;
    }
  }

  sim.on(ARRIVAL, (r) => {
    const req = demand[r]!;
    const job = req.makeJob(nextJob++, sim.now);
    const rec: JobRec = { job, escrowIn: job.maxPrice, refunds: 0, compute: 0, useful: 0, attempts: 0, outcome: '', doneAt: NaN, winner: -1 };
    jobs.set(job.id, rec);
    if (job.maxPrice > 0) ledger.toEscrow(REQUESTERS, job.id, job.maxPrice);
    metrics.jobSubmitted();
    const gap = req.nextGap();
    if (req.activeAt(sim.now + gap, s.duration)) sim.schedule(gap, ARRIVAL, r, 0);
    submitIn.job = job;
    feed(submitIn);
    submitIn.job = undefined as unknown as Job;
  });

  sim.on(COMPLETE, (jobId, nodeId) => {
    const a = attempts.take(jobId, nodeId)!;
    const node = nodes[nodeId]!;
    node.outstanding--;
    lastCost[nodeId] = bookCompute(nodeId, a.end - a.start, jobs.get(jobId));
    lastActivity = sim.now;
    if (a.failed) feed({ type: 'fail', jobId, operator: nodeId });
    else {
      deliverIn.jobId = jobId;
      deliverIn.operator = nodeId;
      feed(deliverIn);
    }
    nodeIdle(nodeId);
  });

  sim.on(TIMER, (jobId, tag) => feed({ type: 'timer', jobId, tag }));

  sim.on(INPUT, (id) => {
    const input = delayed.get(id)!;
    delayed.delete(id);
    if (input.type === 'lock') {
      const node = nodes[input.operator]!;
      if (!node.active || node.ejected) return;
      if (node.outstanding > 0 && !entities[node.info.entity]!.strategy.overcommits) return;
    }
    feed(input);
  });

  let windowStart = 0;
  sim.on(WINDOW, () => {
    metrics.closeWindow(windowStart, activeEntities);
    const w = metrics.windowWork[metrics.windowWork.length - 1]!;
    let total = 0;
    for (let i = 0; i < w.length; i++) total += w[i]!;
    for (const e of entities) e.view.share = total > 0 ? w[e.id]! / total : 0;
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
    activeEntities++;
    for (const n of e.nodes) {
      nodes[n]!.active = true;
      feed({ type: 'join', operator: nodes[n]!.info });
    }
  });

  if (initOut.length > 0) {
    busy = true;
    for (const d of initOut) handle(d);
    busy = false;
    // Answers to `init`'s questions (the opening asks) run now, in order.
    feedPending();
  }
  for (const e of entities) if (!e.active && e.joinAt > 0) sim.at(e.joinAt, JOIN, e.id);
  demand.forEach((req, r) => {
    const t = req.spec.start;
    if (req.activeAt(t, s.duration)) sim.at(t, ARRIVAL, r, 0);
  });
  sim.at(Math.min(s.window, s.duration), WINDOW);
  sim.run(s.duration);
  // Drain: no new arrivals; let in-flight jobs finish, for at most another `duration`.
  sim.run(s.duration * 2);
  if (selfHosted) chargeClusterRent(jobs.size > 0 ? sim.now : Math.max(s.duration, lastActivity));
  return { metrics, ledger, population: pop, events: sim.events, openJobs: jobs.size, endTime: sim.now };
}
