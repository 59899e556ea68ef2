import { Feedback } from '../agents/feedback.js';
import type { Quote } from '../agents/strategy.js';
import { rngStream, seed32, StreamBank, type Rng } from '../engine/rng.js';
import { Simulation } from '../engine/simulation.js';
import type { Decision, Input, InputDraft, Job, Mechanism, OperatorInfo } from '../mechanisms/types.js';
import { RunMetrics } from '../metrics/run-metrics.js';
import type { Scenario } from '../scenario/schema.js';
import { AttemptBook } from './attempt-book.js';
import { TIMER, type DecisionHandler, type DecisionTable, type JobRec, type JobRow, type MarketContext } from './context.js';
import { buildDemand } from './demand.js';
import { CollateralBook, createEntryExit } from './entry-exit.js';
import { createEvents, type MarketEvents } from './events.js';
import { JobTable } from './job-table.js';
import { Ledger, OPERATOR0 } from './ledger.js';
import { createMoneyRoom } from './money.js';
import { createOutcomeRoom } from './outcomes.js';
import type { Entity, Node, Population } from './population.js';
import { createAgents } from './responses.js';
import { settingOf } from './self-hosted-cluster.js';
import { createWorkRoom } from './work.js';
import { gangTiming } from './gang-work.js';
import { collateralRule, mechanismBoundsCollateral } from './collateral-limits.js';
import { createCommittee } from './verifier-committee.js';
import { createChunking } from './chunking.js';
import { createPackingRoom, type PackingRoom } from './packing-room.js';
import { SurplusBound } from './welfare.js';

export type { JobRow } from './context.js';

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
  /** Hears every input the mechanism receives (`pmsim run --record`). */
  readonly record?: StepRecorder;
}

/**
 * The recording hook: the nodes (all, and those in the initial state) with `init`'s decisions,
 * then each input (its id and beacon included) with its time and its decisions. Inputs and
 * decisions are valid only during the call (the shell reuses objects).
 */
export interface StepRecorder {
  init(all: readonly OperatorInfo[], initial: readonly OperatorInfo[], decisions: readonly Decision[]): void;
  step(input: Input, now: number, decisions: readonly Decision[]): void;
}

/** What a market run leaves behind. */
export interface MarketResult {
  readonly metrics: RunMetrics;
  readonly ledger: Ledger;
  readonly population: Population;
  readonly events: number;
  readonly openJobs: number;
  readonly endTime: number;
  /** Inputs the mechanism refused, by reason (the simulator's answers are on time: expect few). */
  readonly refusals: Readonly<Record<string, number>>;
}

/**
 * The entities' random streams `entity/<name>`, side by side in one bank, each seeded on its first
 * draw (most entities of a large population never draw).
 */
function entityStreams(seed: number, run: number, entities: readonly Entity[]): Rng[] {
  const bank = new StreamBank(seed, run, (i) => `entity/${entities[i]!.view.name}`, entities.length);
  return entities.map((e) => bank.stream(e.id));
}

/**
 * Runs one simulated market: the imperative shell around a mechanism. It owns the clock, the job
 * lifecycle (submitted → assigned → proving → delivered / failed / expired), the agents' answers,
 * the hardware timing and the ledger, and streams everything into {@link RunMetrics}. The
 * mechanism's decisions go through one table to the room that carries them out: money
 * (`money.ts`), work (`work.ts`), the agents' answers to questions (`responses.ts`), the clock and
 * the outcomes (`outcomes.ts`); the shell's events are in `events.ts`.
 */
export function runMarket(o: MarketOptions): MarketResult {
  const s = o.scenario;
  const run = o.run ?? 0;
  const mech = o.mechanism;
  const sim = new Simulation();
  // The `self-hosted` baseline proves on the requester's own rented cluster: its one hook.
  const setting = settingOf(mech);
  const pop = setting.population(s, () => sim.now, o.seed, run);
  const { nodes, entities } = pop;
  // A recorded run replays into a coordinator, which takes one bid per operator: no bid classes.
  if (o.record) {
    for (const n of nodes) {
      const { bidClass, busyBids, ...info } = n.info;
      if (bidClass !== undefined) (n as { info: OperatorInfo }).info = info;
    }
  }
  // Strategies read the published settlement rule of a sealed-bid auction (first or second price).
  const settlement = mech.params.settlement;
  if (pop.market && (settlement === 'first' || settlement === 'second')) pop.market.settlement = settlement;
  // Capital bounds collateral: a lock or bid whose collateral exceeds what the entity holds is refused.
  const collateralFor = collateralRule(mech);
  const mechRng = rngStream(o.seed, run, `mechanism/${mech.type}`);
  const agentRng = entityStreams(o.seed, run, entities);
  const ledger = new Ledger(entities.length);
  const metrics = new RunMetrics(
    { names: entities.map((e) => e.view.name), attackers: entities.map((e) => e.view.attacker), dominanceShare: o.dominanceShare ?? 0.5 },
    s.window,
  );
  if (pop.shares) pop.shares.source = metrics; // entities read their share of the last window's work from it
  const pump = inputPump();
  let events: MarketEvents | undefined;
  const ctx: MarketContext = {
    scenario: s,
    sim,
    nodes,
    entities,
    demand: buildDemand(s, o.seed, run),
    ledger,
    metrics,
    jobs: new JobTable<JobRec>(),
    // Attempts in progress, per node (usually zero or one; more for capacity-blind nodes).
    attempts: new AttemptBook(nodes.length),
    // Learning strategies (`observe`) hear how each job they competed for ended, once its money is final.
    feedback: new Feedback(
      (en, won, p, jobId) => entities[en]!.strategy.observe?.(won, p, entities[en]!.view, jobId),
      entities.some((e) => e.strategy.observe !== undefined),
    ),
    collateral: new CollateralBook(entities.length),
    ownerOf: nodes.map((n) => entities[n.info.entity]!),
    rngOf: nodes.map((n) => agentRng[n.info.entity]!),
    agentRng,
    lastCost: new Float64Array(nodes.length),
    surplus: new SurplusBound(nodes),
    seeds: {
      fail: seed32(o.seed, run, 'hardware-failures'),
      jitter: seed32(o.seed, run, 'hardware-jitter'),
      raceOrder: seed32(o.seed, run, 'race-order'),
      beacon: seed32(o.seed, run, 'beacon'),
    },
    onJob: o.onJob,
    activeEntities: entities.filter((e) => e.active).length,
    lastActivity: 0,
    // The pump's own function (it reads no `this`): one call less per input.
    feed: pump.feed,
    later: (at, input) => events!.later(at, input),
    quote: (node, job, bidders) => {
      const q = quote(sim, node, job, bidders, mech.type === 'reverse-dutch' ? collateralFor : undefined, ctx.packing);
      return job.gang === undefined ? q : gangQuote(q, nodes, entities[node.info.entity]!.nodes, node.info.id, sim.now);
    },
    collateralFor,
    collateralChecked: mechanismBoundsCollateral(mech),
    canPost(entity, micros) {
      const cap = entities[entity]!.capitalUsd;
      return !Number.isFinite(cap) || micros <= 0 || Math.round(cap * 1e6) + ledger.balance(OPERATOR0 + entity) >= micros;
    },
    deactivate: (nodeId) => {
      deactivate(ctx, nodeId);
      ctx.nodeChanged(nodeId);
    },
    nodeChanged: () => {},
    freesOnReport: mech.freesOnReport === true,
    packing: createPackingRoom(nodes),
  };

  // Nodes are asked nothing by a mechanism that assigns them itself (self-hosted, first-fit).
  const solicits = mech.solicits !== false;
  const agents = createAgents(ctx, solicits);
  if (solicits) ctx.nodeChanged = agents.nodeChanged;
  const work = createWorkRoom(ctx, agents, () => pump.busy);
  const outcomes = createOutcomeRoom(ctx, work.gang);
  // Issue 13's chunked jobs: their pieces' outcomes are handled in chunking.ts, the rest as usual.
  const chunking = createChunking(ctx, outcomes);
  const handle = decisionRouter(ctx, o, solicits, { agents, work, money: createMoneyRoom(ctx, work.gang), outcomes }, chunking);
  startMechanism(ctx, o, pump, mechRng, handle);

  const reject = (jobId: number): void => {
    handle({ type: 'done', jobId, outcome: 'rejected', operator: -1 });
    handle({ type: 'close', jobId });
  };
  events = createEvents(
    ctx,
    work,
    createEntryExit({ entities, nodes, ledger, metrics, window: s.window, collateral: ctx.collateral }),
    reject,
    chunking?.split,
    // A recorded run's submissions keep their beacons (a replay feeds them to a coordinator).
    mech.readsBeacon !== false || o.record !== undefined,
    // A recorder or a chunked job may still read a closed job: its object is recycled only without them.
    mech.releasesJobs === true && o.record === undefined && chunking === undefined,
    // Chunking pays a job's pieces out of its parent's escrow: kept with chunks whatever the mechanism.
    mech.movesMoney !== false || chunking !== undefined,
  );
  events.start();
  sim.run(s.duration);
  // Drain: no new arrivals; let in-flight jobs finish, for at most another `duration`.
  sim.run(s.duration * 2);
  setting.end(ctx);
  return {
    metrics,
    ledger,
    population: pop,
    events: sim.events,
    openJobs: ctx.jobs.size - (chunking?.openPieces() ?? 0),
    endTime: sim.now,
    refusals: outcomes.refusals,
  };
}

/** The rooms a decision can go to (`docs/architecture.md`, the shell). */
interface Rooms {
  readonly agents: ReturnType<typeof createAgents>;
  readonly work: ReturnType<typeof createWorkRoom>;
  readonly money: ReturnType<typeof createMoneyRoom>;
  readonly outcomes: ReturnType<typeof createOutcomeRoom>;
}

/**
 * The decision table (each decision type to its room) and the router over it. Issue 13's verifier committee
 * wraps `done` (every market mechanism, not the self-hosted baseline's own cluster), chunking wraps `done` and
 * `close`; the decisions every job produces go by a switch (a string-keyed load from the table is megamorphic).
 */
function decisionRouter(
  ctx: MarketContext,
  o: MarketOptions,
  solicits: boolean,
  { agents, work, money, outcomes }: Rooms,
  chunking: ReturnType<typeof createChunking>,
): (d: Decision) => void {
  const { sim } = ctx;
  const committee =
    o.mechanism.type === 'self-hosted'
      ? undefined
      : createCommittee(ctx, ctx.scenario.verifier_committee, seed32(o.seed, o.run ?? 0, 'verifier-committee'));
  const done = chunking ? chunking.done(outcomes.done) : outcomes.done;
  const table: DecisionTable = {
    // A mechanism that moves no money (`Mechanism.movesMoney`) found its jobs' escrows empty: a money decision is its bug.
    ...(o.mechanism.movesMoney === false ? moneyless(o.mechanism.type) : money),
    assign: work.assign,
    abort: work.abort,
    eject: work.eject,
    solicit: solicits ? agents.solicit : unasked,
    'request-ask': solicits ? agents['request-ask'] : unasked,
    timer: (d) => void sim.at(d.at, TIMER, d.jobId, d.tag),
    done: committee ? committee.wrap(done) : done,
    close: chunking ? chunking.close(outcomes.close) : outcomes.close,
    refused: outcomes.refused,
  };
  // `done` and `close` go through the table's (possibly wrapped: committee, chunking) handlers.
  const onDone = table.done;
  const onClose = table.close;
  const onSettle = table.settle;
  return (d: Decision): void => {
    switch (d.type) {
      case 'assign':
        return work.assign(d);
      case 'done':
        return onDone(d);
      case 'close':
        return onClose(d);
      case 'settle':
        return onSettle(d);
      default:
        (table[d.type] as DecisionHandler<Decision['type']>)(d);
    }
  };
}

/**
 * The mechanism's `init` over the active nodes, and the input pump connected to it. `init` may decide (the
 * order book asks every node for its opening ask): those decisions are carried out before the clock starts.
 */
function startMechanism(
  ctx: MarketContext,
  o: MarketOptions,
  pump: ReturnType<typeof inputPump>,
  mechRng: Rng,
  handle: (d: Decision) => void,
): void {
  const { nodes, sim } = ctx;
  const mech = o.mechanism;
  const initial: OperatorInfo[] = [];
  for (let i = 0; i < nodes.length; i++) if (nodes[i]!.active) initial.push(nodes[i]!.info);
  const initOut: Decision[] = [];
  const state = mech.init(initial, initOut, sim.now);
  o.record?.init(
    nodes.map((n) => n.info),
    initial,
    initOut,
  );
  pump.connect(
    mech,
    state,
    // Learning strategies hear who offered to do each job (no listener: no hook on every input).
    ctx.feedback.enabled
      ? (input) => {
          if ((input.type === 'bid' || input.type === 'lock' || input.type === 'join-race') && ctx.jobs.has(input.jobId)) {
            ctx.feedback.offered(input.jobId, nodes[input.operator]!.info.entity);
          }
        }
      : undefined,
    sim,
    mechRng,
    handle,
    o.record,
  );
  pump.decideAll(initOut);
}

/** The money room of a mechanism that declared it moves no money: every money decision throws. */
function moneyless(type: string): ReturnType<typeof createMoneyRoom> {
  const refuse = (d: Decision): never => {
    throw new Error(`${d.type}: mechanism ${type} declared that it moves no money (Mechanism.movesMoney), and its jobs hold no escrow`);
  };
  return { settle: refuse, refund: refuse, burn: refuse, fee: refuse, collateral: refuse, release: refuse, slash: refuse };
}

/** A question to operators in a setting where none are asked (its agents keep no index to answer it). */
function unasked(d: Decision): void {
  throw new Error(`${d.type}: this setting's nodes are not asked (the self-hosted cluster takes assignments only)`);
}

/** What a job would cost a node and when it would finish, as strategies see it. */
function quote(
  sim: Simulation,
  node: Node,
  job: Job,
  bidders?: number,
  collateralFor?: (job: Job, price: number) => number,
  packing?: PackingRoom,
): Quote {
  const m = node.model;
  const dur = m.duration(job.mcycles, job.kind);
  let start = node.freeAt > sim.now ? node.freeAt : sim.now;
  let busy = node.outstanding > 0;
  let span = dur;
  if (packing && node.info.concurrent) {
    // A multi-job node (issue 13): busy for a job only when it does not fit beside the running ones;
    // the job runs on its share of the node (longer, at the same cost).
    busy = !packing.fitsNow(node, job);
    if (!busy) start = sim.now;
    span = dur / packing.share(node, job);
  }
  return {
    job,
    costUsd: (dur * m.hourlyCostUsd) / 3600,
    durationS: span,
    finishAt: start + span,
    busy,
    now: sim.now,
    bidders,
    capitalUsdPerHour: m.capitalUsdPerHour,
    failureProb: node.failureProb,
    // Known before the lock where it does not depend on the price (reverse Dutch).
    collateralUsd: collateralFor ? collateralFor(job, 0) / 1e6 : 0,
  };
}

/**
 * A gang job's quote: the crew the node's entity would field (gang-work.ts). An entity that cannot
 * field it sees an infinite cost and finish time, so no strategy offers.
 */
function gangQuote(q: Quote, nodes: readonly Node[], own: readonly number[], lead: number, now: number): Quote {
  const t = gangTiming(nodes, own, q.job, lead, now);
  if (!t) return { ...q, costUsd: Infinity, durationS: Infinity, finishAt: Infinity };
  return { ...q, costUsd: t.costUsd, durationS: t.durationS, finishAt: t.finishAt };
}

/** A node stops taking work; its entity is inactive once none of its nodes is active. */
function deactivate(ctx: MarketContext, nodeId: number): void {
  const node = ctx.nodes[nodeId]!;
  node.active = false;
  ctx.surplus.update(nodeId);
  const e = ctx.entities[node.info.entity]!;
  if (e.active && e.nodes.every((n) => !ctx.nodes[n]!.active)) {
    e.active = false;
    ctx.activeEntities--;
  }
}

/**
 * Feeds inputs to the mechanism and carries out its decisions. Decisions may produce further
 * inputs (a decline, an ask): they queue and run in order, never re-entrantly. Every input gets the
 * next id of one sequence for the run (the core refuses a repeated id).
 */
function inputPump() {
  let mech: Mechanism;
  let state: unknown;
  let observe: ((input: Input) => void) | undefined;
  let clock: { readonly now: number };
  let random: { next(): number };
  let handle: (d: Decision) => void;
  let recorder: StepRecorder | undefined;
  let pending: InputDraft[] = [];
  let pHead = 0;
  let nextInputId = 0;
  // Decisions of the current step. `apply` never nests, so one array serves every step; it is
  // emptied only after steps that decided something (a fresh `[]` per step would allocate room for
  // 16 decisions each time).
  const out: Decision[] = [];

  function apply(draft: InputDraft): void {
    const input = draft as Input & { id: number };
    input.id = nextInputId++;
    observe?.(input);
    mech.step(state as never, input, clock.now, random, out);
    recorder?.step(input, clock.now, out);
    const n = out.length;
    if (n === 0) return;
    for (let i = 0; i < n; i++) handle(out[i]!);
    // pop() is inlined by V8; `length = 0` is a runtime call, slower for the few decisions of a step.
    for (let i = 0; i < n; i++) out.pop();
  }

  const pump = {
    busy: false,
    connect(
      m: Mechanism,
      s: unknown,
      obs: ((input: Input) => void) | undefined,
      sim: { readonly now: number },
      rng: { next(): number },
      h: (d: Decision) => void,
      rec?: StepRecorder,
    ): void {
      recorder = rec;
      mech = m;
      state = s;
      observe = obs;
      clock = sim;
      random = rng;
      handle = h;
    },
    feed(input: InputDraft): void {
      if (pump.busy) {
        pending.push(input);
        return;
      }
      pump.busy = true;
      apply(input);
      pump.busy = false;
      pump.drain();
    },
    /** Carries out decisions made outside a step (by `init`), then the inputs they raised. */
    decideAll(ds: readonly Decision[]): void {
      pump.busy = true;
      for (const d of ds) handle(d);
      pump.busy = false;
      pump.drain();
    },
    /** Applies the inputs raised while decisions were carried out, in order. */
    drain(): void {
      if (pending.length === 0) return;
      pump.busy = true;
      while (pHead < pending.length) apply(pending[pHead++]!);
      pending = [];
      pHead = 0;
      pump.busy = false;
    },
  };
  return pump;
}
