import { createHash, type KeyObject } from 'node:crypto';
import { importPublicKey } from './auth.js';
import type { Clock } from './clock.js';
import {
  Core,
  JOB_INPUT_TYPE,
  fromHex,
  inputFromJson,
  inputJob,
  refusal,
  submitBeacon,
  toJson,
  type Decision,
  type Input,
  type InputDraft,
  type Job,
  type MechanismConfig,
  type OperatorInfo,
  type Selection,
} from './core-adapter.js';
import { RequestError } from './errors.js';
import { ServiceLedger } from './ledger.js';
import type { ClockBody, JobInputBody, NodeInputBody, RegisterBody, SubmitBody } from './schemas.js';
import type { InputStore, LogEntry } from './store.js';
import { TimerQueue } from './timers.js';

/** Operator requests about a job. `join` joins a race. */
export type JobInputType = keyof typeof JOB_INPUT_TYPE;
/** Operator requests about the node itself. */
export type NodeInputType = 'ask' | 'cancel-ask' | 'available' | 'join' | 'leave';

/** A validated, authenticated request (or the wall clock's tick). */
export type Command =
  | { readonly kind: 'register'; readonly body: RegisterBody }
  | { readonly kind: 'submit'; readonly body: SubmitBody }
  | { readonly kind: 'job'; readonly type: JobInputType; readonly jobId: number; readonly operator: number; readonly body: JobInputBody }
  | { readonly kind: 'node'; readonly type: NodeInputType; readonly operator: number; readonly body: NodeInputBody }
  | { readonly kind: 'clock'; readonly body: ClockBody }
  | { readonly kind: 'tick' };

/** Checks a delivered proof. The default accepts every proof (the simulator's proofs are always valid). */
export type VerifyHook = (jobId: number, operator: number, proof: Buffer) => boolean;

/** One step of the core: an input (its beacon included), and the decisions it produced. */
export interface StepRecord {
  readonly seq: number;
  readonly at: number;
  /** The input as JSON. */
  readonly input: string;
  /** The beacon the input carried (a submission's), hex, or '' when none. */
  readonly beacon: string;
  /** Each decision as JSON, exactly as the core emitted it. */
  readonly decisions: readonly string[];
  readonly selections: readonly Selection[];
}

/** A registered operator. */
export interface OperatorRecord {
  readonly info: OperatorInfo;
  readonly key: KeyObject;
  readonly publicKey: string;
  readonly stake: number;
  online: boolean;
  ejected: boolean;
  /** Open assignments: job id → the assign decision's role. */
  readonly work: Map<number, string>;
}

/** A submitted job. */
export interface JobRecord {
  readonly job: Job;
  readonly submitSeq: number;
  outcome: string;
  operator: number;
  closed: boolean;
  /** The last solicitation: inputs answering it after `until` are refused. */
  solicit: { mode: string; until: number } | undefined;
  readonly delivered: Set<number>;
  /** Sequence numbers of the steps that decided something about the job. */
  readonly steps: number[];
  readonly selections: Selection[];
}

/** A reply: an HTTP status and a JSON body (already serialised). */
export interface Reply {
  readonly status: number;
  readonly json: string;
}

/** Options of {@link Coordinator}. */
export interface CoordinatorOptions {
  readonly config: MechanismConfig;
  readonly store: InputStore;
  readonly clock: Clock;
  /** Seeds the coordinator's own beacon source (used when an input brings no beacon). */
  readonly beaconSeed: string;
  readonly verify?: VerifyHook;
}

/**
 * The live coordinator: one core, its timers, its ledger and its append-only input log. Requests
 * are queued and applied one at a time in arrival order; the entries a batch of requests produced
 * are written in one transaction (group commit), and only then are the requests acknowledged.
 * Everything here is a function of the log: {@link restore} rebuilds it by replaying the entries.
 */
export class Coordinator {
  readonly core: Core;
  readonly ledger = new ServiceLedger();
  readonly operators: OperatorRecord[] = [];
  readonly jobs: JobRecord[] = [];
  readonly steps: StepRecord[] = [];
  readonly counters = { requests: 0, refused: 0, coreRefused: 0, duplicates: 0, commits: 0, entries: 0, decisions: 0, commitSeconds: 0 };
  now = 0;
  private seq = 0;
  private readonly timers = new TimerQueue();
  private readonly ids = new Map<string, number>();
  private queue: { cmd: Command; done: (r: Reply) => void }[] = [];
  private scheduled = false;
  private readonly listeners = new Set<(s: StepRecord) => void>();
  private ticker: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly o: CoordinatorOptions) {
    this.core = new Core(o.config);
  }

  /** The position of the last log entry. */
  get lastSeq(): number {
    return this.seq;
  }

  get clockMode(): string {
    return this.o.clock.mode;
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Rebuilds the state by replaying the stored log (a restart). Returns the number of entries. */
  restore(): number {
    let n = 0;
    for (const e of this.o.store.entries()) {
      this.replayEntry(e);
      n++;
    }
    this.arm();
    return n;
  }

  /** Queues a command; resolves once its log entries are durable (or with its refusal). */
  enqueue(cmd: Command): Promise<Reply> {
    return new Promise((done) => {
      this.queue.push({ cmd, done });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Calls `fn` with every step from now on; returns the unsubscribe function. */
  subscribe(fn: (s: StepRecord) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Seq of a logged input id, if it was acknowledged. */
  seqOf(id: string): number | undefined {
    return this.ids.get(id);
  }

  /** Stops the wall-clock ticker. */
  close(): void {
    this.closed = true;
    if (this.ticker) clearTimeout(this.ticker);
  }

  private flush(): void {
    this.scheduled = false;
    const q = this.queue;
    this.queue = [];
    const batch: LogEntry[] = [];
    const replies: Reply[] = [];
    const firstStep = this.steps.length;
    for (const { cmd } of q) {
      if (cmd.kind !== 'tick') this.counters.requests++;
      try {
        replies.push(this.run(cmd, batch));
      } catch (e) {
        if (!(e instanceof RequestError)) throw e;
        this.counters.refused++;
        replies.push({ status: e.status, json: JSON.stringify(e) });
      }
    }
    const t0 = process.hrtime.bigint();
    // Durable before anyone hears of it. A failed write is fatal: the process dies unacknowledged,
    // and a restart rebuilds the state from what the log holds.
    this.o.store.append(batch);
    this.counters.commitSeconds += Number(process.hrtime.bigint() - t0) / 1e9;
    this.counters.commits++;
    this.counters.entries += batch.length;
    q.forEach((item, i) => item.done(replies[i]!));
    for (let i = firstStep; i < this.steps.length; i++) for (const l of this.listeners) l(this.steps[i]!);
    this.arm();
  }

  /** Runs one command: every check first (a refusal changes nothing), then the state changes. */
  private run(cmd: Command, batch: LogEntry[]): Reply {
    if (cmd.kind === 'tick') {
      const first = this.steps.length;
      this.fireDue(this.wallNow(), true, batch);
      return this.ok({}, first);
    }
    const id = cmd.body.id;
    const seen = this.ids.get(id);
    if (seen !== undefined) {
      this.counters.duplicates++;
      return { status: 200, json: JSON.stringify({ ok: true, duplicate: true, id, seq: seen }) };
    }
    switch (cmd.kind) {
      case 'register':
        return this.register(cmd.body, batch);
      case 'submit':
        return this.submit(cmd.body, batch);
      case 'job':
        return this.jobInput(cmd, batch);
      case 'node':
        return this.nodeInput(cmd, batch);
      case 'clock':
        return this.moveClock(cmd.body, batch);
    }
  }

  private register(b: RegisterBody, batch: LogEntry[]): Reply {
    const id = this.operators.length;
    const info: OperatorInfo = {
      id,
      entity: b.entity ?? id,
      capacity: { cpus: b.capacity.cpus, gpus: b.capacity.gpus, memoryGb: b.capacity.memory_gb },
      hardware: b.hardware,
    };
    const body = JSON.stringify({ operator: info, public_key: b.public_key, stake_micros: b.stake_micros, online: b.online });
    const first = this.steps.length;
    const at = this.wallNow() ?? this.now;
    const entry = this.entry(b.id, at, 'register', body);
    this.applyRegister(JSON.parse(body), entry.seq, at);
    batch.push({ ...entry, beacon: '' });
    return this.ok({ operator: id }, first, 201);
  }

  private applyRegister(
    b: { operator: OperatorInfo; public_key: string; stake_micros: number; online: boolean },
    seq: number,
    at: number,
  ): void {
    this.operators.push({
      info: b.operator,
      key: importPublicKey(b.public_key),
      publicKey: b.public_key,
      stake: b.stake_micros,
      online: b.online,
      ejected: false,
      work: new Map(),
    });
    if (b.stake_micros > 0) this.ledger.stake(b.operator.id, b.stake_micros);
    if (this.core.isStarted && b.online) this.step({ type: 'join', operator: b.operator }, seq, at);
  }

  private submit(b: SubmitBody, batch: LogEntry[]): Reply {
    const at = this.inputTime(b.at, b.beacon);
    const beacon = b.beacon !== undefined ? fromHex(b.beacon) : roundBeacon(this.o.beaconSeed, at);
    const deadline = b.deadline_at ?? at + b.deadline_s!;
    if (!(deadline > at))
      throw new RequestError(
        400,
        b.deadline_at !== undefined ? 'deadline_at' : 'deadline_s',
        `expected a deadline after the submission time ${at} s, got ${deadline} s`,
      );
    const first = this.steps.length;
    this.advance(at, batch);
    const job: Job = {
      id: this.jobs.length,
      requester: b.requester,
      kind: b.kind,
      mcycles: b.mcycles,
      request: { cpus: b.resources.cpus, gpus: b.resources.gpus, memoryGb: b.resources.memory_gb },
      submittedAt: at,
      deadline,
      maxPrice: b.max_price_micros,
      redundancy: b.redundancy,
      // As the simulator declares it: the work at the scenario default of 884 kHz per GPU (`reference_khz`).
      estSeconds: b.est_seconds ?? (b.mcycles * 1e6) / (884 * 1000 * Math.max(1, b.resources.gpus)),
    };
    const step = this.logInput(b.id, at, { type: 'submit', job, beacon }, batch);
    return refusal(step.decisionObjects) ? this.refusedOr(step, first) : this.ok({ job_id: job.id }, first, 201);
  }

  private jobInput(c: Extract<Command, { kind: 'job' }>, batch: LogEntry[]): Reply {
    const b = c.body;
    const rec = this.jobs[c.jobId];
    if (!rec) throw new RequestError(404, 'job_id', `expected a submitted job, got ${c.jobId} (${this.jobs.length} jobs so far)`);
    // An ejected operator may still finish (or give up) work it holds; it may not take new work.
    const op = this.liveOperator(c.operator, c.type === 'deliver' || c.type === 'fail' || c.type === 'decline');
    const at = this.inputTime(b.at, undefined);
    if (c.type === 'deliver') {
      if (rec.delivered.has(op.info.id))
        throw new RequestError(
          409,
          'job_id',
          `expected one delivery per operator, got a second delivery of job ${c.jobId} by operator ${op.info.id}`,
        );
      const proof = Buffer.from(b.proof ?? '', 'base64');
      if (this.o.verify && !this.o.verify(c.jobId, op.info.id, proof))
        throw new RequestError(422, 'proof', `expected a proof the verifier accepts, got one it rejects`);
    }
    if ((c.type === 'bid' || c.type === 'lock' || c.type === 'join') && rec.solicit && at > rec.solicit.until) {
      throw new RequestError(
        409,
        'job_id',
        `expected a ${c.type} within the ${rec.solicit.mode} window of job ${c.jobId} (closed at ${rec.solicit.until} s), got one at ${at} s`,
      );
    }
    if (c.type === 'bid' && b.price_micros === undefined)
      throw new RequestError(400, 'price_micros', 'expected a bid price in micro-USD, got nothing');
    const first = this.steps.length;
    this.advance(at, batch);
    const jobId = c.jobId;
    const operator = op.info.id;
    const input: InputDraft =
      c.type === 'bid' ? { type: 'bid', jobId, operator, price: b.price_micros! } : { type: JOB_INPUT_TYPE[c.type], jobId, operator };
    return this.refusedOr(this.logInput(b.id, at, input, batch), first);
  }

  private nodeInput(c: Extract<Command, { kind: 'node' }>, batch: LogEntry[]): Reply {
    const b = c.body;
    const op = this.operators[c.operator];
    if (!op) throw new RequestError(404, 'operator', `expected a registered operator, got ${c.operator}`);
    if (op.ejected) throw new RequestError(403, 'operator', `expected an operator in the network, got ${c.operator}, which was ejected`);
    const at = this.inputTime(b.at, undefined);
    if (c.type === 'join' && op.online)
      throw new RequestError(409, 'operator', `expected an offline operator, got ${c.operator}, which is online`);
    if (c.type === 'leave' && !op.online)
      throw new RequestError(409, 'operator', `expected an online operator, got ${c.operator}, which is offline`);
    if (c.type === 'ask' && b.price_per_mcycle === undefined)
      throw new RequestError(400, 'price_per_mcycle', 'expected a price per Mcycle, got nothing');
    if (c.type === 'ask' && b.expires_at === undefined)
      throw new RequestError(400, 'expires_at', 'expected the time the ask expires, got nothing');
    const first = this.steps.length;
    this.advance(at, batch);
    const operator = c.operator;
    let input: InputDraft;
    if (c.type === 'ask') input = { type: 'ask', operator, pricePerMcycle: b.price_per_mcycle!, expiresAt: b.expires_at! };
    else if (c.type === 'join') input = { type: 'join', operator: op.info };
    else input = { type: c.type, operator };
    return this.refusedOr(this.logInput(b.id, at, input, batch), first);
  }

  private moveClock(b: ClockBody, batch: LogEntry[]): Reply {
    if (this.o.clock.mode !== 'manual')
      throw new RequestError(409, 'to', 'expected a coordinator started with --clock manual, got one on wall time');
    if (b.to < this.now) throw new RequestError(409, 'to', `expected a time ≥ the clock (${this.now} s), got ${b.to} s`);
    const first = this.steps.length;
    this.advance(b.to, batch);
    this.now = b.to;
    this.fireDue(b.to, true, batch, b.fire ?? Infinity);
    batch.push({ ...this.entry(b.id, b.to, 'clock', JSON.stringify({ to: b.to })), beacon: '' });
    return this.ok({ now: this.now }, first);
  }

  /** The time of an input: the wall clock, or (manual clock) the request's `at`, never before now. */
  private inputTime(at: number | undefined, beacon: string | undefined): number {
    const wall = this.wallNow();
    if (wall !== undefined) {
      if (at !== undefined)
        throw new RequestError(400, 'at', 'expected no time (the coordinator runs on wall time; `at` needs --clock manual), got one');
      if (beacon !== undefined)
        throw new RequestError(
          400,
          'beacon',
          'expected no beacon (on wall time the coordinator takes the beacon of the round; `beacon` needs --clock manual), got one',
        );
      return Math.max(this.now, wall);
    }
    if (at === undefined) return this.now;
    if (at < this.now) throw new RequestError(409, 'at', `expected a time ≥ the clock (${this.now} s), got ${at} s`);
    return at;
  }

  private liveOperator(id: number, mayBeEjected: boolean): OperatorRecord {
    const op = this.operators[id];
    if (!op) throw new RequestError(404, 'operator', `expected a registered operator, got ${id} (${this.operators.length} registered)`);
    if (op.ejected && !mayBeEjected)
      throw new RequestError(403, 'operator', `expected an operator in the network, got ${id}, which was ejected`);
    return op;
  }

  private wallNow(): number | undefined {
    const t = this.o.clock.now();
    return t === undefined ? undefined : Math.max(this.now, t);
  }

  /**
   * Genesis, before the first entry that is not a registration: the state is built from the
   * operators online, at the current time. It is a log entry and a step (`init` may decide).
   */
  private genesis(batch: LogEntry[] | undefined, seq?: number): void {
    if (this.core.isStarted) return;
    const entry = seq === undefined ? this.entry(null, this.now, 'genesis', '{}') : { seq, at: this.now };
    const decisions = this.core.start(
      this.operators.filter((o) => o.online).map((o) => o.info),
      this.now,
    );
    this.record(entry.seq, this.now, GENESIS, '', decisions, [], -1);
    if (seq === undefined) batch?.push({ ...(entry as Omit<LogEntry, 'beacon'>), beacon: '' });
  }

  /** Moves time to `to`, firing every timer due before it (each at its own time). */
  private advance(to: number, batch: LogEntry[] | undefined): void {
    this.genesis(batch);
    this.fireDue(to, false, batch);
  }

  /** Fires due timers: those before `to`, and (if `inclusive`) up to `limit` due exactly at `to`. */
  private fireDue(to: number | undefined, inclusive: boolean, batch: LogEntry[] | undefined, limit = Infinity): void {
    if (to === undefined) return;
    this.genesis(batch);
    let atTo = 0;
    for (let t = this.timers.peek(); t && (t.at < to || (inclusive && t.at === to && atTo < limit)); t = this.timers.peek()) {
      if (t.at === to) atTo++;
      this.timers.pop();
      this.logInput(null, t.at, { type: 'timer', jobId: t.jobId, tag: t.tag }, batch);
    }
  }

  private logInput(
    id: string | null,
    at: number,
    draft: InputDraft,
    batch: LogEntry[] | undefined,
  ): StepRecord & { decisionObjects: Decision[] } {
    const entry = this.entry(id, at, 'input', '');
    const step = this.step(draft, entry.seq, at);
    batch?.push({ ...entry, body: step.input, beacon: step.beacon });
    return step;
  }

  /** A step the core refused (its only decision is `refused`): a 4xx naming the field, the step included. */
  private refusedOr(step: StepRecord & { decisionObjects: Decision[] }, first: number): Reply {
    const reason = refusal(step.decisionObjects);
    if (!reason) return this.ok({}, first);
    this.counters.coreRefused++;
    const [status, field] = REFUSAL_STATUS[reason] ?? [409, 'body'];
    const e = new RequestError(status, field, `the core refused the input: ${reason}`).toJSON();
    const r = this.ok({}, first);
    return { status, json: `${JSON.stringify({ ...e, ok: false }).slice(0, -1)},${r.json.slice(1)}` };
  }

  private entry(id: string | null, at: number, kind: LogEntry['kind'], body: string): Omit<LogEntry, 'beacon'> {
    const seq = ++this.seq;
    if (id !== null) this.ids.set(id, seq);
    return { seq, id, at, kind, body };
  }

  /** One core step: its decisions, and their effects on the coordinator's books. */
  private step(draft: InputDraft, seq: number, at: number): StepRecord & { decisionObjects: Decision[] } {
    this.now = at;
    const r = this.core.step(draft, at);
    const input = r.input;
    const refused = refusal(r.decisions) !== undefined;
    if (input.type === 'submit' && !refused) {
      this.jobs.push({
        job: input.job,
        submitSeq: seq,
        outcome: '',
        operator: -1,
        closed: false,
        solicit: undefined,
        delivered: new Set(),
        steps: [],
        selections: [],
      });
      this.ledger.submit(input.job.id, input.job.requester, input.job.maxPrice);
    }
    if (!refused) this.afterInput(input);
    const rec = this.record(seq, at, toJson(input), submitBeacon(input) ?? '', r.decisions, r.selections, inputJob(input));
    return { ...rec, decisionObjects: r.decisions };
  }

  /** Keeps a step and carries out its decisions on the coordinator's books. */
  private record(
    seq: number,
    at: number,
    input: string,
    beacon: string,
    ds: readonly Decision[],
    selections: readonly Selection[],
    job: number,
  ): StepRecord {
    const rec: StepRecord = { seq, at, input, beacon, decisions: ds.map(toJson), selections };
    this.steps.push(rec);
    this.counters.decisions += ds.length;
    const touched = new Set<number>();
    if (job >= 0 && this.jobs[job]) touched.add(job);
    for (const d of ds) this.carryOut(d, touched);
    for (const s of selections) this.jobs[s.job_id]?.selections.push(s);
    for (const t of touched) this.jobs[t]?.steps.push(seq);
    return rec;
  }

  private afterInput(input: InputDraft): void {
    if (input.type === 'join') this.operators[input.operator.id]!.online = true;
    else if (input.type === 'leave') this.operators[input.operator]!.online = false;
    else if (input.type === 'deliver' || input.type === 'fail' || input.type === 'decline') {
      this.operators[input.operator]?.work.delete(input.jobId);
      if (input.type === 'deliver') this.jobs[input.jobId]?.delivered.add(input.operator);
    }
  }

  private carryOut(d: Decision, touched: Set<number>): void {
    this.ledger.apply(d);
    if ('jobId' in d) touched.add(d.jobId);
    const rec = 'jobId' in d ? this.jobs[d.jobId] : undefined;
    switch (d.type) {
      case 'assign':
        this.operators[d.operator]?.work.set(d.jobId, d.role);
        return;
      case 'abort':
        this.operators[d.operator]?.work.delete(d.jobId);
        return;
      case 'solicit':
        if (rec) rec.solicit = { mode: d.mode, until: d.until };
        return;
      case 'timer':
        this.timers.push(d.at, this.now, d.jobId, d.tag);
        return;
      case 'eject': {
        const op = this.operators[d.operator];
        if (op) op.ejected = true;
        return;
      }
      case 'done':
        if (rec) {
          rec.outcome = d.outcome;
          rec.operator = d.operator;
        }
        return;
      case 'close':
        if (rec) {
          rec.closed = true;
          for (const op of this.operators) op.work.delete(d.jobId);
        }
        return;
      default:
        return;
    }
  }

  /** Replays one stored entry (restart). Timer entries must be the timer due next, or the log is corrupt. */
  private replayEntry(e: LogEntry): void {
    this.seq = e.seq;
    if (e.id !== null) this.ids.set(e.id, e.seq);
    if (e.kind === 'register') {
      this.applyRegister(JSON.parse(e.body), e.seq, e.at);
      return;
    }
    if (e.kind === 'genesis') {
      this.now = e.at;
      this.genesis(undefined, e.seq);
      return;
    }
    if (e.kind === 'clock') {
      this.now = e.at;
      return;
    }
    const input = inputFromJson(JSON.parse(e.body) as Input);
    if (input.type === 'timer') {
      const t = this.timers.pop();
      if (!t || t.jobId !== input.jobId || t.tag !== input.tag || t.at !== e.at)
        throw new Error(`log entry ${e.seq}: a timer (job ${input.jobId}, tag ${input.tag}) that is not the one due`);
    }
    this.step(input, e.seq, e.at);
  }

  /** Wall clock: wakes up when the next timer is due. */
  private arm(): void {
    if (this.o.clock.mode !== 'wall' || this.closed) return;
    if (this.ticker) clearTimeout(this.ticker);
    const next = this.timers.peek();
    if (!next) return;
    const delay = Math.min(2 ** 31 - 1, Math.max(0, (next.at - (this.o.clock.now() ?? 0)) * 1000));
    this.ticker = setTimeout(() => void this.enqueue({ kind: 'tick' }), delay);
  }

  private ok(extra: Record<string, unknown>, firstStep: number, status = 200): Reply {
    const steps = this.steps.slice(firstStep).map(stepJson).join(',');
    const head = JSON.stringify({ ok: true, ...extra, seq: this.seq, now: this.now });
    return { status, json: `${head.slice(0, -1)},"steps":[${steps}]}` };
  }
}

/** The input of the genesis step, in replies and streams. */
export const GENESIS = '{"type":"init"}';

/** HTTP status and field of each reason the core gives for refusing an input. */
const REFUSAL_STATUS: Record<string, [number, string]> = {
  late: [409, 'job_id'],
  'unknown-job': [404, 'job_id'],
  'not-assigned': [409, 'operator'],
  taken: [409, 'job_id'],
  already: [409, 'job_id'],
  invalid: [400, 'body'],
  duplicate: [409, 'id'],
};

/** A step as JSON, with its decisions embedded exactly as the core emitted them. */
export function stepJson(s: StepRecord): string {
  return `{"seq":${s.seq},"at":${JSON.stringify(s.at)},"input":${s.input},"decisions":[${s.decisions.join(',')}]}`;
}

/** Seconds between two beacon rounds (drand's default network: one every 30 s, as the simulator). */
export const BEACON_PERIOD_S = 30;

/**
 * The coordinator's stand-in for an external beacon when a submission brings none: the first round
 * after the submission, SHA-256(`pmsim-beacon/<seed>/<round>`). A live network takes the round's
 * value from drand (or a block hash) instead; with `--clock manual` a submission may bring it.
 */
export function roundBeacon(seed: string, at: number): Uint8Array {
  const round = Math.floor(at / BEACON_PERIOD_S) + 1;
  return new Uint8Array(createHash('sha256').update(`pmsim-beacon/${seed}/${round}`).digest());
}
