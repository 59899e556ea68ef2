import { strategyFactory } from '../agents/registry.js';
import { cdfOf, marketView, type FactorSpec, type ViewNode } from '../agents/cost-prior.js';
import type { EntityView, MarketView, OperatorStrategy } from '../agents/strategy.js';
import { toSampler } from './demand.js';
import { rngStream } from '../engine/rng.js';
import { hardwareById } from '../hardware-models/catalogue.js';
import { nodeModel, type HardwareTimeline, type NodeModel } from '../hardware-models/node-model.js';
import type { OperatorInfo } from '../mechanisms/types.js';
import type { Scenario } from '../scenario/schema.js';

/** When an entity leaves on its own (besides running out of capital). */
export interface ExitRule {
  /** Trailing profit window, seconds. */
  readonly trailingS: number;
  /** Exit when the profit over the trailing window is below −maxLossUsd. */
  readonly maxLossUsd: number;
}

/** When a potential entrant joins. */
export interface EntryRule {
  /** Enter when recent price per Mcycle / own cost per Mcycle − 1 ≥ hurdle. */
  readonly hurdle: number;
  /** Seconds between the decision and joining (buying and installing hardware). */
  readonly leadTimeS: number;
  /** How far back the entrant looks at prices, seconds. */
  readonly watchS: number;
}

/** One owner of prover nodes. */
export interface Entity {
  readonly id: number;
  readonly group: string;
  readonly strategy: OperatorStrategy;
  readonly view: EntityView;
  readonly nodes: number[];
  /** When the entity's nodes join the network, seconds. */
  readonly joinAt: number;
  capitalUsd: number;
  active: boolean;
  exited: boolean;
  /** A potential entrant: starts outside the market, joins when its entry rule says so. */
  readonly potential?: boolean;
  /** Fixed cost of the entity's physical nodes, USD per hour, busy or idle (exit/entry decisions only). */
  readonly fixedUsdPerHour?: number;
  /** Capital cost of the entity's physical nodes per wall hour, USD (`cost_basis: full`; else 0). */
  capitalUsdPerHour?: number;
  /** Physical nodes (the identities of a sybil node count once). */
  readonly physicalNodes?: number;
  readonly exitRule?: ExitRule;
  readonly entryRule?: EntryRule;
}

/** One prover node: what it advertises, how fast and costly it is, and its work queue. */
export interface Node {
  readonly info: OperatorInfo;
  readonly model: NodeModel;
  readonly failureProb: number;
  /** When its queued work ends (shared by the identities of one physical node). */
  freeAt: number;
  /** Attempts accepted and not yet finished. */
  outstanding: number;
  active: boolean;
  ejected: boolean;
}

/** The operator population of a scenario: the same for every mechanism in a comparison. */
export interface Population {
  readonly entities: Entity[];
  readonly nodes: Node[];
  /** The public market view every entity reads (cost priors, speeds). */
  readonly market?: MarketView;
  /** Where the entities' views read their share of delivered work (the run connects its metrics). */
  readonly shares?: ShareBoard;
}

/**
 * Where entities read their share of delivered work: the run's metrics, once connected. A view
 * reads its share when a strategy asks (few do), so closing a window costs nothing per entity.
 */
export class ShareBoard {
  /** The run's metrics: the share of the last closed window. */
  source?: { lastShare(entity: number): number };

  of(entity: number): number {
    return this.source ? this.source.lastShare(entity) : 0;
  }
}

/** An entity's view, its `share` read from `board`. */
export function boardView(
  id: number,
  name: string,
  margin: number,
  attacker: boolean,
  params: Readonly<Record<string, unknown>>,
  board: ShareBoard,
): EntityView {
  return new BoardView(id, name, margin, attacker, params, board);
}

/** An entity's view; its `share` is the board's (read-only: the run's metrics set it). */
class BoardView implements EntityView {
  market?: MarketView = undefined;
  /** The strategy's memory, created at its first use (most strategies keep none: 5,500 entities at 10,000 operators). */
  private mem?: Record<string, number> = undefined;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly margin: number,
    readonly attacker: boolean,
    readonly params: Readonly<Record<string, unknown>>,
    private readonly board: ShareBoard,
  ) {}

  get share(): number {
    return this.board.of(this.id);
  }

  get memory(): Record<string, number> {
    if (this.mem === undefined) this.mem = {};
    return this.mem;
  }
}

/** Default advertised capacity of a node by hardware kind. */
function defaultCapacity(kind: string, devices: number): { cpus: number; gpus: number; memoryGb: number } {
  if (kind === 'cpu') return { cpus: 64 * devices, gpus: 0, memoryGb: 256 * devices };
  return { cpus: 16 * devices, gpus: devices, memoryGb: 64 * devices };
}

/**
 * A node's advertised record. Optional fields are set only when present, in a fixed order (capital,
 * concurrent, bid class), without object spreads: 10,000 nodes are built at set-up.
 */
function operatorInfo(
  id: number,
  entity: number,
  capacity: OperatorInfo['capacity'],
  hardware: OperatorInfo['hardware'],
  capitalUsd: number | undefined,
  concurrent: boolean,
  bidClass: number | undefined,
  busyBids = false,
): OperatorInfo {
  // The common records (no capital bound, one job at a time) as literals of their final shape: fields added
  // after a literal's go to a separate property array, one more object per node.
  if (capitalUsd === undefined && !concurrent) {
    if (bidClass === undefined) return { id, entity, capacity, hardware };
    return busyBids ? { id, entity, capacity, hardware, bidClass, busyBids: true } : { id, entity, capacity, hardware, bidClass };
  }
  const info: { -readonly [K in keyof OperatorInfo]: OperatorInfo[K] } = { id, entity, capacity, hardware };
  if (capitalUsd !== undefined) info.capitalUsd = capitalUsd;
  if (concurrent) info.concurrent = true;
  if (bidClass !== undefined) info.bidClass = bidClass;
  if (bidClass !== undefined && busyBids) info.busyBids = true;
  return info;
}

/** The `count` integers from `first`, in an array of exactly that length. */
function consecutive(first: number, count: number): number[] {
  if (count === 1) return [first];
  const a = new Array<number>(count);
  for (let k = 0; k < count; k++) a[k] = first + k;
  return a;
}

/** A node as the public market view sees it: one object per node, no closure (10,000 at set-up). */
class NodeView implements ViewNode {
  constructor(
    readonly model: NodeModel,
    readonly capacity: OperatorInfo['capacity'],
    readonly factor: number,
    readonly factorCdf: ViewNode['factorCdf'],
    private readonly node: Node,
  ) {}

  isActive(): boolean {
    return this.node.active && !this.node.ejected;
  }
}

/** A new, idle node; the identities of one physical node share `machine`'s work queue (`freeAt`). */
function makeNode(info: OperatorInfo, model: NodeModel, failureProb: number, active: boolean, machine?: { freeAt: number }): Node {
  if (!machine) {
    // `freeAt` is created holding a fraction, then set to 0: V8 then gives the field a double
    // representation from the start. Created as a small integer 0, the field changed representation
    // at a node's first attempt, and each of 10,000 nodes migrated to the new map on its first touch.
    const node: Node = { info, model, failureProb, freeAt: 0.5, outstanding: 0, active, ejected: false };
    node.freeAt = 0;
    return node;
  }
  return {
    info,
    model,
    failureProb,
    get freeAt(): number {
      return machine.freeAt;
    },
    set freeAt(t: number) {
      machine.freeAt = t;
    },
    outstanding: 0,
    active,
    ejected: false,
  };
}

/** The shared work queue of a sybil's identities, idle (its `freeAt` a double from the start, as in {@link makeNode}). */
function idleMachine(): { freeAt: number } {
  const m = { freeAt: 0.5 };
  m.freeAt = 0;
  return m;
}

/** The hardware timeline of a scenario (software progress, energy prices). */
export function timelineOf(s: Scenario): HardwareTimeline | undefined {
  const sw = s.software_speedup;
  const en = s.energy_schedule;
  if (!sw && (!en || en.length === 0)) return undefined;
  return {
    softwareSpeedup: sw ? { perQuarter: sw.per_quarter, start: sw.start, mode: sw.mode, kinds: sw.kinds } : undefined,
    energy: en?.map((c) => ({ at: c.at, usdPerKwh: c.usd_per_kwh })),
  };
}

/**
 * Builds entities and nodes from the scenario's operator groups, in file order. `clock` (the
 * simulation's time) lets node models follow the scenario's hardware timeline. Cost factors
 * (`cost_factor`) are drawn once per physical node from the stream `cost-factor/<group>` of
 * (`seed`, `run`) (default: the scenario's seed, run 0): the same population under every mechanism.
 */
export function buildPopulation(s: Scenario, clock?: () => number, seed = s.seed, run = 0): Population {
  const entities: Entity[] = [];
  const nodes: Node[] = [];
  // For the market view's nodes, built later: each group's cost-factor distribution and where its nodes end, the factors ≠ 1.
  const groupCdfs: ViewNode['factorCdf'][] = [];
  const groupEnds: number[] = [];
  const factors = new Map<number, number>();
  const shares = new ShareBoard();
  const timeline = timelineOf(s);
  // Bid classes (mechanisms/bid-classes.ts): nodes of one group (one hardware model, strategy and
  // margin) with one cost factor and a pure-bid strategy bid alike while idle; capital, when bounded, is the group's too.
  const classes = new Map<string, number>();
  // Nodes of a group come in a row, mostly with one factor: the last class is reused without building its key.
  let last = { group: '', factor: NaN, failureProb: NaN, c: -1 };
  const classOf = (group: string, factor: number, failureProb: number): number => {
    if (last.group === group && last.factor === factor && last.failureProb === failureProb) return last.c;
    const key = `${group}\u0000${factor}\u0000${failureProb}`;
    let c = classes.get(key);
    if (c === undefined) classes.set(key, (c = classes.size));
    last = { group, factor, failureProb, c };
    return c;
  };
  for (const g of s.operators) {
    const profile = hardwareById(g.hardware);
    if (!profile) throw new Error(`unknown hardware ${g.hardware}`);
    const opts = { speedup: g.speedup, timeline, clock, basis: g.cost_basis };
    const shared = nodeModel(profile, g.devices, g.ownership, s.energy_usd_per_kwh, undefined, undefined, opts);
    const factorSpec = (g.cost_factor ?? 1) as FactorSpec;
    const factorCdf = cdfOf(factorSpec);
    const factorSampler = g.cost_factor === undefined ? undefined : toSampler(g.cost_factor as Parameters<typeof toSampler>[0]);
    const factorRng = rngStream(seed, run, `cost-factor/${g.name}`);
    const cap = { ...defaultCapacity(profile.kind, g.devices) };
    if (g.resources?.cpus !== undefined) cap.cpus = g.resources.cpus;
    if (g.resources?.gpus !== undefined) cap.gpus = g.resources.gpus;
    if (g.resources?.memory_gb !== undefined) cap.memoryGb = g.resources.memory_gb;
    const potential = g.entry !== undefined;
    const newStrategy = strategyFactory(g.strategy, g.params);
    let shared0: OperatorStrategy | undefined;
    for (let i = 0; i < g.entities; i++) {
      const id = entities.length;
      const name = g.entities === 1 ? g.name : `${g.name}-${i + 1}`;
      // A pure strategy keeps no state of its own (`OperatorStrategy.pure`): one instance serves the group.
      const strategy = i > 0 && shared0?.pure ? shared0 : newStrategy();
      if (i === 0) shared0 = strategy;
      const joinAt = g.join_at ?? 0;
      const active = !potential && joinAt === 0;
      const identities = Math.max(1, Math.floor(strategy.identities ?? 1));
      const e: Entity = {
        capitalUsdPerHour: 0,
        physicalNodes: g.nodes,
        id,
        group: g.name,
        strategy,
        view: boardView(id, name, g.margin, g.attacker, g.params, shares),
        // Its node ids are consecutive (the loop below): an array of their exact length, where one grown by
        // `push` from empty holds 17 slots (5,500 entities of one node at 10,000 operators).
        nodes: consecutive(nodes.length, g.nodes * identities),
        joinAt,
        capitalUsd: g.capital_usd ?? Infinity,
        active,
        exited: false,
        potential,
        fixedUsdPerHour: (g.fixed_usd_per_hour ?? 0) * g.nodes,
        exitRule: g.exit ? { trailingS: g.exit.trailing, maxLossUsd: g.exit.max_loss_usd } : undefined,
        entryRule: g.entry ? { hurdle: g.entry.hurdle, leadTimeS: g.entry.lead_time, watchS: g.entry.watch } : undefined,
      };
      entities.push(e);
      const failureProb = g.failure_prob ?? strategy.failureProb ?? profile.failureProb;
      for (let k = 0; k < g.nodes; k++) {
        const factor = factorSampler ? factorSampler.sample(factorRng) : 1;
        const model = factorSampler
          ? nodeModel(profile, g.devices, g.ownership, s.energy_usd_per_kwh, undefined, undefined, { ...opts, costFactor: factor })
          : shared;
        e.capitalUsdPerHour! += model.capitalUsdPerHour;
        // The identities of one physical node share its work queue (`freeAt`).
        const machine = identities > 1 ? idleMachine() : undefined;
        for (let d = 0; d < identities; d++) {
          const nid = nodes.length;
          // Stake posted at join is bounded by the owner's capital, shared among its identities.
          const capitalUsd = g.capital_usd !== undefined ? g.capital_usd / (g.nodes * identities) : undefined;
          const bidClass = strategy.pureBid ? classOf(g.name, factor, failureProb) : undefined;
          // Sybil identities share one queue, whose free time moves without a notice for the siblings: their busy members are named.
          const busyBids = strategy.pureBid === 'always' && identities === 1;
          const info = operatorInfo(nid, id, cap, profile.kind, capitalUsd, Boolean(g.concurrent_jobs), bidClass, busyBids);
          const node = makeNode(info, model, failureProb, active, machine);
          nodes.push(node);
          if (factor !== 1) factors.set(nid, factor);
        }
      }
    }
    groupCdfs.push(factorCdf);
    groupEnds.push(nodes.length);
  }
  // The market view's nodes are built at its first question (few strategies read it): one object per node.
  const market = marketView(() => {
    const views: ViewNode[] = [];
    let g = 0;
    for (let i = 0; i < nodes.length; i++) {
      while (i >= groupEnds[g]!) g++;
      const n = nodes[i]!;
      views.push(new NodeView(n.model, n.info.capacity, factors.get(i) ?? 1, groupCdfs[g]!, n));
    }
    return views;
  });
  for (let i = 0; i < entities.length; i++) entities[i]!.view.market = market;
  return { entities, nodes, market, shares };
}
