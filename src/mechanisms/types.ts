/**
 * The allocation core contract: the types every mechanism speaks.
 *
 * This folder is shared with production code. It imports nothing from the simulator (engine,
 * agents, market, metrics, ...): a live coordinator could run the same functions. Time is a plain
 * number of seconds, money is integer micro-USD, randomness is passed in.
 */

/** Integer micro-USD (1 USD = 1,000,000). Integers keep the ledger exact. */
export type Micros = number;

/** Simulated (or wall-clock, in production) time in seconds. */
export type Seconds = number;

/** Resources a job needs, or a node offers. */
export interface Resources {
  readonly cpus: number;
  readonly gpus: number;
  readonly memoryGb: number;
}

/** A proof request as the protocol sees it. */
export interface Job {
  /** Dense id, unique within a run, assigned in submission order. */
  readonly id: number;
  /** Index of the requester that submitted it. */
  readonly requester: number;
  /** Workload kind (for example `zkvm`, `eth-block`, `aggregation`): hardware speed depends on it. */
  readonly kind: string;
  /** Work in millions of RISC-V cycles (Mcycles). */
  readonly mcycles: number;
  /** Resources the job needs on one node. */
  readonly request: Resources;
  readonly submittedAt: Seconds;
  /** Absolute time by which the proof must be delivered. */
  readonly deadline: Seconds;
  /** The most the requester will pay for the job, in total. */
  readonly maxPrice: Micros;
  /** How many independent provers the requester wants on the job (1-3). */
  readonly redundancy: number;
  /** Declared proving time on reference hardware (ZkCloud's `time` field), used for fixed-price fees. */
  readonly estSeconds: Seconds;
  /**
   * Gang allocation: how many nodes must prove the job together, at the same time, each meeting
   * `request` (real-time Ethereum block proving on 16-160 GPUs). Absent or 1: one node. See
   * {@link gangSize} and `gang.ts` for the rules every mechanism follows.
   */
  readonly gang?: number;
}

/** A prover node as advertised to the protocol. An entity (owner) may run many nodes. */
export interface OperatorInfo {
  /** Dense node id. */
  readonly id: number;
  /** Owning entity: market power is measured by entity. */
  readonly entity: number;
  readonly capacity: Resources;
  /** Hardware class (`cpu`, `gpu`, `vpu`). */
  readonly hardware: string;
  /**
   * The most this node can post as stake, USD (its owner's capital shared among its nodes). Absent:
   * unbounded. Mechanisms with a stake rule (`stake.ts`) post min(required stake, capital) at join.
   */
  readonly capitalUsd?: number;
  /**
   * The node runs several jobs at once while their requests fit its spare resources (bin packing,
   * `packing.ts`); mechanisms that pack (first-fit, random) assign it more jobs, the others one at a time.
   * Absent: one job at a time.
   */
  readonly concurrent?: boolean;
  /**
   * Bid class (`bid-classes.ts`): nodes of one class bid the same price for any job while their
   * queues are empty, so one class bid stands for all of them. Absent: the node bids on its own.
   */
  readonly bidClass?: number;
  /**
   * With `bidClass`: a busy member bids the class's price whenever it can finish by the job's deadline
   * (strategy `pureBid: 'always'`, one work queue per node), so a class bid can stand for the busy
   * members too, less those its bidder names as unable to finish (`bid.except`). Absent: the mechanism
   * names the busy members it needs (`solicit.busy`) and the bidder answers for those.
   */
  readonly busyBids?: boolean;
}

/** A source of uniform numbers in [0, 1). Injected; mechanisms never create their own. */
export interface Random {
  next(): number;
}

/**
 * The caller's id of an input: a non-negative integer, unique per input within one market (a
 * sequence number is enough). The core remembers every id it has seen, so a coordinator may retry
 * an input safely: a second input with the same id is refused as a `duplicate` and changes nothing.
 */
export type InputId = number;

/**
 * Inputs about one job: the requester's submission, the operators' answers to a question about the
 * job, the outcome of their work, and the timers the mechanism set for it.
 */
export type JobInput =
  /**
   * A requester submits a job (and, in an order book, its bid). `beacon`: the public randomness
   * for the job's draws (a drand round value, a block hash; 32 bytes), read by mechanisms that
   * select at random (`random`) and refused by them when missing; others ignore it.
   */
  | { readonly type: 'submit'; readonly id: InputId; readonly job: Job; readonly beacon?: Uint8Array }
  /** An operator declines an assignment that was not `committed` (busy, unprofitable, offline). */
  | { readonly type: 'decline'; readonly id: InputId; readonly jobId: number; readonly operator: number }
  /**
   * An operator bids a total price for a job (sealed-bid), during the job's auction period. With
   * `bidClass`, a class bid: every ready member of that class bids `price` (`bid-classes.ts`), and
   * so do the busy members named in `also` (they can finish by the deadline). With `except` (a class
   * the solicitation listed in `every`), every busy member of the class bids `price` but those named
   * in `except` (they cannot finish by the deadline).
   */
  | {
      readonly type: 'bid';
      readonly id: InputId;
      readonly jobId: number;
      readonly operator: number;
      readonly price: Micros;
      readonly bidClass?: number;
      readonly also?: readonly number[];
      readonly except?: readonly number[];
    }
  /** An operator locks a job at the current price of its ramp (reverse Dutch), before the lock deadline. */
  | { readonly type: 'lock'; readonly id: InputId; readonly jobId: number; readonly operator: number }
  /** An operator joins an open race for a job (`solicit` with mode `race`), while the join window is open. */
  | { readonly type: 'join-race'; readonly id: InputId; readonly jobId: number; readonly operator: number }
  /** An operator delivers a valid proof. */
  | { readonly type: 'deliver'; readonly id: InputId; readonly jobId: number; readonly operator: number }
  /** An operator's attempt failed or was abandoned. */
  | { readonly type: 'fail'; readonly id: InputId; readonly jobId: number; readonly operator: number }
  /** A timer set by a `timer` decision fires (the caller echoes the decision's job id and tag). */
  | { readonly type: 'timer'; readonly id: InputId; readonly jobId: number; readonly tag: number };

/** Inputs about one node: its standing ask, its availability, its arrival and departure. */
export type NodeInput =
  /** An operator posts a standing ask: a price per Mcycle for its free capacity, until `expiresAt`. */
  | { readonly type: 'ask'; readonly id: InputId; readonly operator: number; readonly pricePerMcycle: number; readonly expiresAt: Seconds }
  /** An operator withdraws its standing ask. */
  | { readonly type: 'cancel-ask'; readonly id: InputId; readonly operator: number }
  /** A node is free for new work. */
  | { readonly type: 'available'; readonly id: InputId; readonly operator: number }
  /** A node joins the network. */
  | { readonly type: 'join'; readonly id: InputId; readonly operator: OperatorInfo }
  /** A node leaves the network (exit or ejection acknowledged). */
  | { readonly type: 'leave'; readonly id: InputId; readonly operator: number };

/** What happens to the protocol: one input per `step`. */
export type Input = JobInput | NodeInput;

/** An input without its id, for callers (and tests) that number inputs in one place. */
export type InputDraft = Input extends infer I ? (I extends Input ? Omit<I, 'id'> : never) : never;

/** Roles of an assignment. */
export type AssignRole = 'primary' | 'redundant' | 'fallback' | 'winner' | 'racer';

/** Terminal outcomes of a job. Every job ends in exactly one. */
export type Outcome = 'delivered' | 'failed' | 'expired' | 'rejected';

/**
 * Why an input changed nothing. `duplicate`: an input with this id was already applied. `late`:
 * its window had closed (join window, auction period, lock deadline, request deadline). `unknown-job`:
 * no open job has this id (never submitted, or closed). `not-assigned`: the operator holds no
 * assignment or seat on the job. `taken`: someone else holds what it asked for (a lock, the last
 * race seat, a node's single race). `already`: the operator already did this (a second bid, a
 * second join). `invalid`: a field is out of range (a bid above the price limit, a missing beacon).
 */
export type RefusalReason = 'duplicate' | 'late' | 'unknown-job' | 'not-assigned' | 'taken' | 'already' | 'invalid';

/** Decisions about money: the shell's ledger carries them out, against the job's escrow. */
export type MoneyDecision =
  /** Pay an operator from the job's escrow, or from protocol emission. */
  | {
      readonly type: 'settle';
      readonly jobId: number;
      readonly operator: number;
      readonly amount: Micros;
      readonly source: 'escrow' | 'emission';
    }
  /** Return money from escrow to the requester under a failure rule. */
  | { readonly type: 'refund'; readonly jobId: number; readonly amount: Micros }
  /** Burn money from escrow. */
  | { readonly type: 'burn'; readonly jobId: number; readonly amount: Micros }
  /** Move money from escrow to the protocol treasury (fees, commissions). */
  | { readonly type: 'fee'; readonly jobId: number; readonly amount: Micros }
  /** An operator posts collateral into the job's escrow. */
  | { readonly type: 'collateral'; readonly jobId: number; readonly operator: number; readonly amount: Micros }
  /** Return posted collateral from escrow to its operator. */
  | { readonly type: 'release'; readonly jobId: number; readonly operator: number; readonly amount: Micros }
  /** Slash collateral held in escrow: part burned, part to another operator, the rest to the treasury. */
  | {
      readonly type: 'slash';
      readonly jobId: number;
      readonly operator: number;
      readonly burn: Micros;
      readonly toOperator: number;
      readonly reward: Micros;
      readonly toTreasury: Micros;
    };

/** Decisions about work: the nodes carry them out. */
export type WorkDecision =
  /**
   * Give the job to an operator at a price. `committed`: the operator already agreed (bid, lock,
   * join); otherwise it may still answer `decline` (and its owner is asked, as for a question).
   */
  | {
      readonly type: 'assign';
      readonly jobId: number;
      readonly operator: number;
      readonly price: Micros;
      readonly role: AssignRole;
      readonly committed: boolean;
      /** For beacon-drawn selections: the job's public beacon and the draw number, so anyone can `audit` it. */
      readonly beacon?: Uint8Array;
      readonly draw?: number;
      /**
       * A gang job's nodes, when the mechanism chose them: every node proving the job together, the
       * lead (`operator`) first (random allocation's beacon draws: draws `draw`, `draw + 1`, ...;
       * first-fit and self-hosted: the first free compatible nodes). Absent on a gang job: the lead's
       * entity staffs the gang from its own nodes (the protocol contracted one prover). Either way
       * `deliver`, `fail`, `decline` and `abort` name the lead only, and every member reports
       * `available` when it is free again.
       */
      readonly members?: readonly number[];
    }
  /** Tell an operator to stop working on a job (a race was won, the job ended). */
  | { readonly type: 'abort'; readonly jobId: number; readonly operator: number }
  /** Remove an operator from the network (ZkCloud ejects a prover whose work was re-done by a fallback). */
  | { readonly type: 'eject'; readonly operator: number };

/** Questions to the agents: their answers come back as inputs, within the question's window. */
export type QuestionDecision =
  /**
   * Ask operators to respond: `bid` (sealed bids until `until`), `lock` (reverse Dutch, `lock`
   * inputs until `until`), `race` (`join-race` inputs until `until`).
   */
  | {
      readonly type: 'solicit';
      readonly jobId: number;
      readonly mode: 'bid' | 'lock' | 'race';
      /** Current price or reward on offer. */
      readonly reward: Micros;
      /** Answers after this time are refused as `late`. */
      readonly until: Seconds;
      /** Nodes that may not respond (they already tried). */
      readonly exclude: readonly number[];
      /**
       * Bid classes (sealed bid): the number of nodes the solicitation reaches, and the ones among them
       * that are busy. Present: idle nodes with a `bidClass` answer with one class bid per class,
       * the busy ones and those without a class one by one.
       */
      readonly bidders?: number;
      readonly busy?: readonly number[];
      /**
       * Bid classes whose busy members the mechanism does not name (their members have `busyBids`):
       * the class bid of each stands for all of them, and carries `except`, the busy members that
       * cannot finish by the deadline (empty when none).
       */
      readonly every?: readonly number[];
      /** A price that ramps linearly from `from` at `start` to `to` at `end`, then holds (reverse Dutch). */
      readonly ramp?: { readonly start: Seconds; readonly end: Seconds; readonly from: Micros; readonly to: Micros };
      /** Ask only this operator (a node that just became free), not every eligible one. */
      readonly to?: number;
      /**
       * Seconds between an answer and its effect (reverse Dutch: a lock's way to the chain). A caller
       * that offers the job to one would-be locker at a time learns whether the answer took only then.
       */
      readonly delay?: Seconds;
    }
  /** Ask a node for a standing ask (order book): answered with an `ask` input (or nothing). */
  | { readonly type: 'request-ask'; readonly operator: number; readonly expiresAt: Seconds };

/** Decisions about the mechanism's own clock: the caller echoes each as a `timer` input at `at`. */
export type ClockDecision = { readonly type: 'timer'; readonly jobId: number; readonly at: Seconds; readonly tag: number };

/** Outcomes: what the protocol reports about jobs and inputs. */
export type OutcomeDecision =
  /** The job reached its terminal state. Emitted exactly once per job. */
  | { readonly type: 'done'; readonly jobId: number; readonly outcome: Outcome; readonly operator: number }
  /**
   * All money for the job is settled and no attempt is outstanding: the shell returns whatever is
   * left in escrow to the requester (unused budget, not a refund) and forgets the job. After `done`.
   */
  | { readonly type: 'close'; readonly jobId: number }
  /** The input with this id changed nothing, and why (see {@link RefusalReason}). */
  | { readonly type: 'refused'; readonly inputId: InputId; readonly input: Input['type']; readonly reason: RefusalReason };

/** What the protocol decides, grouped by who carries it out. */
export type Decision = MoneyDecision | WorkDecision | QuestionDecision | ClockDecision | OutcomeDecision;

/**
 * Handles one input type. Returns nothing when the input was applied, or the reason it changed
 * nothing: the shared {@link step} then emits a `refused` decision.
 */
export type Handler<S, T extends Input['type']> = {
  // Method syntax: a table of handlers over a mechanism's own state still types as `Mechanism`.
  // biome-ignore lint/suspicious/noConfusingVoidType: handlers that never refuse are written as void functions
  handle(state: S, input: Extract<Input, { type: T }>, now: Seconds, random: Random, out: Decision[]): RefusalReason | undefined | void;
}['handle'];

/**
 * A mechanism's handler table: one handler per input type it reads. An input type without a
 * handler carries no information for the mechanism: it is applied as a no-op (no `refused`).
 */
export type Handlers<S> = { readonly [T in Input['type']]?: Handler<S, T> };

/** What every mechanism's state holds besides its own fields: the ids of the inputs it applied. */
export interface ProtocolState {
  readonly seen: SeenIds;
}

/**
 * Ids of applied inputs: a bitmap for small integer ids (a simulator's sequence numbers cost one
 * bit each), a list for the rest. Plain data, so a state can be copied or serialised with it.
 */
export interface SeenIds {
  /** Every id in [0, low) was seen: a caller that numbers its inputs 0, 1, 2, ... in order only moves it up. */
  low: number;
  /** An id outside that run was seen: `low` stays where it is, and later ids go to the bitmap or the set. */
  scattered: boolean;
  /** Ids seen outside the run (all ≥ low): a bitmap for small integers, a set for the rest. */
  bits: Uint32Array;
  others: Set<number>;
}

/**
 * One allocation mechanism. Built by a factory, it is a plain object tagged by `type` (its id).
 *
 * **Determinism.** `step` is a deterministic function of (state, input, now, random): it does no I/O
 * and reads no clock. For speed the state is owned by the caller and updated in place; a caller
 * keeps one state per market and never shares it. Decisions are appended to `out`, so the hot path
 * allocates no arrays. The input object is only valid during the call (callers may reuse it): a
 * mechanism keeps its fields, never the object (a submitted `job` is data and may be kept).
 *
 * **Rebuilding state (event sourcing).** Every bit of a mechanism's state lives in the state object
 * (pending timers included, as records of what was asked for; nothing in closures, nothing keyed
 * by the identity of a caller's object). So `init(operators)` followed by `step` over the logged
 * (input, now) pairs, in order, with a random source replayed from the same seed, rebuilds the
 * state exactly: from there the mechanism decides, byte for byte, what it would have decided
 * without the interruption. A coordinator's durable log of inputs is therefore its database. (No
 * snapshot format is offered: states hold typed arrays and heaps, rebuilt faster by replay than by
 * a generic deserialiser.)
 *
 * **Timing contract.** Every question a mechanism asks (`solicit`, `request-ask`) and every window
 * it opens has a real duration, set by a parameter:
 * - answers may arrive at any later time, in any order, more than once, or never; the mechanism
 *   never relies on them arriving in the same instant as the question;
 * - a window is open from the decision that opens it until its closing timer is applied: an answer
 *   applied after that (or after the `until` of its `solicit`) is refused as `late`. An answer at the
 *   closing instant counts if the caller applies it before the closing timer: callers that answer
 *   at once (the simulator) therefore never see their answers refused;
 * - windows: race join windows (`race.joinWindow`), the order book's bid hold while asks are on
 *   their way (`order-book.askWait`), sealed-bid auction periods (`sealed-bid.auctionPeriod`),
 *   reverse-Dutch lock windows (until the lock deadline, locks landing after `lockDelay`) and
 *   fulfil races (until the lock deadline or the request deadline), random allocation's
 *   last-resort race (until the job's deadline);
 * - a repeated input id is refused as `duplicate`; a repeated answer under a new id (a second
 *   bid, a second join) is refused as `already`; an answer about a job that is not open is
 *   refused as `unknown-job`; an answer from an operator that holds nothing is `not-assigned`.
 * - a timer input is applied at (or after) the time its decision named; a mechanism re-checks its
 *   state when a timer fires, so a stale timer (for a job that moved on) changes nothing.
 */
export interface Mechanism<S extends ProtocolState = ProtocolState> {
  /** The mechanism id that scenario files name (`random`, `race`, ...). */
  readonly type: string;
  /** The resolved parameters, for reports and `run.json`. */
  readonly params: Readonly<Record<string, unknown>>;
  /**
   * False: no handler ever reads a `submit` input's `beacon`, so a caller may leave it out (the
   * simulator then derives none: eight hashes per job saved). Absent or true: the mechanism may read it.
   */
  readonly readsBeacon?: boolean;
  /**
   * False: the mechanism never decides `solicit` or `request-ask` (it assigns nodes itself), so a
   * caller need keep no index of who would answer (the simulator's race entry index: O(N) to build,
   * updated at every busy or free change). Absent or true: it may ask.
   */
  readonly solicits?: boolean;
  /**
   * True: the mechanism frees a node when it hears the node's own `deliver` or `fail` (the
   * self-hosted scheduler's `freeNode`), so an `available` from that node right after would change
   * nothing and a caller need not send it. Absent or false: send it.
   */
  readonly freesOnReport?: boolean;
  /**
   * True: the mechanism keeps no reference to a job's object once it has decided `close` (it deletes
   * its record first; its queues and nodes hold job ids), so a caller may overwrite that object for a
   * later job (the simulator: one object and four boxed numbers fewer per job). Absent or false: it
   * may keep it.
   */
  readonly releasesJobs?: boolean;
  /**
   * False: the mechanism never decides a money decision (`settle`, `refund`, `burn`, `fee`,
   * `collateral`, `release`, `slash`), so nothing is ever paid out of a job's escrow and a caller need
   * not escrow the requester's budget at all (the simulator: no escrow in and out per job; the
   * self-hosted cluster is paid by its rent). Absent or true: it may move money.
   */
  readonly movesMoney?: boolean;
  /**
   * Creates the initial state for a set of nodes at time `now` (default 0). It may decide (the
   * order book asks every node for its opening ask): carry out `out` as for any step.
   */
  init(operators: readonly OperatorInfo[], out?: Decision[], now?: Seconds): S;
  /** The handler table that {@link step} dispatches to. */
  readonly handlers: Handlers<S>;
  /** Applies one input at time `now` and appends the resulting decisions to `out` ({@link step}). */
  step(state: S, input: Input, now: Seconds, random: Random, out: Decision[]): void;
}

/** A fresh, empty set of input ids. */
export function seenIds(): SeenIds {
  return { low: 0, scattered: false, bits: new Uint32Array(1024), others: new Set() };
}

/** Ids below this go to the bitmap (at most 8 MiB); larger or fractional ids to the set. */
const BITMAP_LIMIT = 1 << 26;

/** Records `id`; false if it was already there. */
export function markSeen(seen: SeenIds, id: InputId): boolean {
  // The next id of an in-order run (every simulator input): one compare, no bitmap.
  if (id === seen.low && !seen.scattered) {
    seen.low = id + 1;
    return true;
  }
  if (id >= 0 && id < seen.low && (id | 0) === id) return false;
  seen.scattered = true;
  if (id >= 0 && id < BITMAP_LIMIT && (id | 0) === id) {
    const w = id >>> 5;
    let bits = seen.bits;
    if (w >= bits.length) {
      let n = bits.length * 2;
      while (n <= w) n *= 2;
      const grown = new Uint32Array(n);
      grown.set(bits);
      seen.bits = bits = grown;
    }
    const m = 1 << (id & 31);
    if ((bits[w]! & m) !== 0) return false;
    bits[w] = bits[w]! | m;
    return true;
  }
  if (seen.others.has(id)) return false;
  seen.others.add(id);
  return true;
}

/**
 * The one dispatcher of every mechanism: refuses a repeated input id, then runs the mechanism's
 * handler for the input's type, and turns a handler's reason into a `refused` decision.
 */
export function step<S extends ProtocolState>(
  mechanism: Pick<Mechanism<S>, 'handlers'>,
  state: S,
  input: Input,
  now: Seconds,
  random: Random,
  out: Decision[],
): void {
  if (!markSeen(state.seen, input.id)) {
    out.push({ type: 'refused', inputId: input.id, input: input.type, reason: 'duplicate' });
    return;
  }
  const handler = mechanism.handlers[input.type] as Handler<S, Input['type']> | undefined;
  if (handler === undefined) return;
  const reason = handler(state, input, now, random, out);
  if (reason) out.push({ type: 'refused', inputId: input.id, input: input.type, reason });
}

/** What a factory gives {@link defineMechanism}. */
export interface MechanismDefinition<S extends ProtocolState> {
  readonly type: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** See {@link Mechanism.readsBeacon}. */
  readonly readsBeacon?: boolean;
  /** See {@link Mechanism.solicits}. */
  readonly solicits?: boolean;
  /** See {@link Mechanism.freesOnReport}. */
  readonly freesOnReport?: boolean;
  /** See {@link Mechanism.releasesJobs}. */
  readonly releasesJobs?: boolean;
  /** See {@link Mechanism.movesMoney}. */
  readonly movesMoney?: boolean;
  init(operators: readonly OperatorInfo[], out: Decision[], now: Seconds): S;
  readonly handlers: Handlers<S>;
}

/** Builds a mechanism object from its definition: `step` is the shared {@link step} over its handlers. */
export function defineMechanism<S extends ProtocolState>(d: MechanismDefinition<S>): Mechanism<S> {
  const m: Mechanism<S> = {
    type: d.type,
    params: d.params,
    readsBeacon: d.readsBeacon !== false,
    solicits: d.solicits !== false,
    freesOnReport: d.freesOnReport === true,
    releasesJobs: d.releasesJobs === true,
    movesMoney: d.movesMoney !== false,
    handlers: d.handlers,
    init: (operators, out = [], now = 0) => d.init(operators, out, now),
    step: (state, input, now, random, out) => step(m, state, input, now, random, out),
  };
  return m;
}

/** Builds a mechanism from user parameters; throws on an unknown parameter name. */
// biome-ignore lint/suspicious/noExplicitAny: a factory's state type is its own; callers hold the mechanism as Mechanism<any>
export type MechanismFactory<P = Record<string, unknown>> = (params?: Partial<P> & { preset?: string }) => Mechanism<any>;

/** How many nodes a job needs at once (1 unless it is a gang job). */
export function gangSize(job: Pick<Job, 'gang'>): number {
  return job.gang !== undefined && job.gang > 1 ? job.gang : 1;
}

/** Does a node's capacity meet a job's request? */
export function fits(capacity: Resources, request: Resources): boolean {
  return capacity.cpus >= request.cpus && capacity.gpus >= request.gpus && capacity.memoryGb >= request.memoryGb;
}

/** Converts dollars to integer micro-USD (rounded half away from zero). */
export function toMicros(usd: number): Micros {
  return Math.round(usd * 1_000_000);
}

/** Converts integer micro-USD to dollars. */
export function toUsd(micros: Micros): number {
  return micros / 1_000_000;
}
