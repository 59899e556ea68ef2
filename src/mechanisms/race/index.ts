import { credit, EPOCH_JOB, emissionBook, type EmissionBook, onEpochTimer, TAG_EPOCH } from '../emission.js';
import { resolveParams } from '../resolve-params.js';
import type {
  Decision,
  Handlers,
  Job,
  Mechanism,
  Micros,
  OperatorInfo,
  ProtocolState,
  RefusalReason,
  Resources,
  Seconds,
} from '../types.js';
import { defineMechanism, fits, seenIds, toMicros } from '../types.js';
import { DenseTable } from '../dense-table.js';
import { raceDefaults, racePresets, type RaceParams } from './params.js';

export { raceDefaults, racePresets, type RaceParams } from './params.js';

/** Timer tag: the job's deadline. */
export const RACE_TAG_DEADLINE = 1;
/**
 * Timer tag: the join window of a solicitation closes, `joinWindow` seconds after it opened. Joins
 * applied before it are admitted; later ones are refused as `late`. A stale one (the job was
 * solicited again since) changes nothing.
 */
export const RACE_TAG_JOIN_CLOSED = 2;

/** The join window is open and nobody has joined yet (the job also waits in the queue). */
const SOLICITING = 0;
/** Nobody joined: the job waits for a node to become free. */
const WAITING = 1;
/** At least one racer is (or was) at work. */
const RACING = 2;
/** The job ended; kept while losers still run to the end. */
const ENDED = 3;

interface RaceJob {
  job: Job;
  reward: Micros;
  status: number;
  /** Racers still working (not yet delivered, failed or aborted). */
  racers: number[];
  /** Racers admitted so far, over every solicitation. */
  attempts: number;
  delivered: boolean;
  /** The deadline passed. */
  late: boolean;
  queued: boolean;
  /** Which entry of the waiting queue is live (a re-queued job leaves a stale entry behind). */
  qToken: number;
  /** When the current join window opened and closes (joins after its closing timer are late). */
  joinFrom: Seconds;
  joinUntil: Seconds;
  /** The current join window is open. */
  joinOpen: boolean;
}

/** The mechanism-owned state of proof racing. */
export interface RaceState extends ProtocolState {
  /** Job id → its race (a dense table: job ids are dense, in submission order). */
  jobs: DenseTable<RaceJob>;
  /** Node id → advertised capacity (undefined: unknown or gone). */
  capacity: (Resources | undefined)[];
  /** Node id → how many races it is in. */
  racing: number[];
  /** Jobs nobody joined, in the order they were queued (stale entries skipped lazily). */
  waiting: RaceJob[];
  /** Token of each queue entry: live iff it equals its job's `qToken` while the job is queued. */
  tokens: number[];
  wHead: number;
  /** The epoch emission (`rewardSource: epoch`). */
  emission: EmissionBook;
}

/**
 * Proof racing (mechanism id `race`): every eligible free node is invited; each decides with its
 * participation rule (expected profit given the expected number of racers) whether to join; every
 * racer proves at its own cost; the first valid delivery wins the whole reward; the losers abort at
 * the announcement or run to the end. The reward is a share of the requester's price (paid from
 * escrow) or a protocol emission (Aleo preset). Rules and sources: docs/mechanisms/race.md.
 */
export function proofRace(params: Partial<RaceParams> & { preset?: string } = {}): Mechanism<RaceState> {
  const p: RaceParams = resolveParams('race', raceDefaults, racePresets, params);
  const preset = params.preset;
  if (p.rewardSource !== 'price' && p.rewardSource !== 'emission' && p.rewardSource !== 'epoch')
    throw new Error(`race: rewardSource must be "price", "emission" or "epoch", got "${String(p.rewardSource)}"`);
  const epochParams = {
    epochSeconds: p.epochSeconds,
    tokensPerEpoch: p.epochTokens,
    tokenUsd: p.epochTokenUsd,
    split: 'target' as const,
    fullAtWeight: p.epochFullAtMcycles,
  };
  if (p.onNoRacers !== 'wait' && p.onNoRacers !== 'fail')
    throw new Error(`race: onNoRacers must be "wait" or "fail", got "${String(p.onNoRacers)}"`);
  if (!(p.rewardShare >= 0 && p.rewardShare <= 1)) throw new Error(`race: rewardShare must be in [0, 1], got ${p.rewardShare}`);
  if (!(p.emissionUsdPerProof >= 0) || !(p.emissionUsdPerMcycle >= 0)) throw new Error('race: emissions must be ≥ 0');
  if (!(p.maxRacers >= 0) || !Number.isInteger(p.maxRacers)) throw new Error(`race: maxRacers must be an integer ≥ 0, got ${p.maxRacers}`);
  if (!(p.joinWindow > 0)) throw new Error(`race: joinWindow must be > 0 seconds, got ${p.joinWindow}`);

  const queue = raceQueue(p);
  const { offerTo, onSubmit } = queue;
  const { onJoin, onJoinClosed, onDeliver, onFail, onDeadline } = raceOutcomes(p, queue);

  const handlers: Handlers<RaceState> = {
    submit: (s, input, now, _r, out) => onSubmit(s, input.job, now, out),
    available: (s, input, now, _r, out) => {
      if (s.wHead < s.waiting.length) offerTo(s, input.operator, now, out);
    },
    join: (s, input, now, _r, out) => {
      s.capacity[input.operator.id] = input.operator.capacity;
      if (s.wHead < s.waiting.length) offerTo(s, input.operator.id, now, out);
    },
    // Work in progress still finishes (the shell reports it); the node gets no new offers.
    leave: (s, input) => {
      s.capacity[input.operator] = undefined;
    },
    'join-race': (s, input, _now, _r, out) => {
      const rec = s.jobs.get(input.jobId);
      return rec ? onJoin(s, rec, input.operator, out) : 'unknown-job';
    },
    deliver: (s, input, now, _r, out) => {
      const rec = s.jobs.get(input.jobId);
      return rec ? onDeliver(s, rec, input.operator, now, out) : 'unknown-job';
    },
    fail: (s, input, now, _r, out) => {
      const rec = s.jobs.get(input.jobId);
      return rec ? onFail(s, rec, input.operator, now, out) : 'unknown-job';
    },
    timer: (s, input, now, _r, out) => {
      if (input.jobId === EPOCH_JOB) {
        if (input.tag === TAG_EPOCH) onEpochTimer(s.emission, now, out);
        return;
      }
      const rec = s.jobs.get(input.jobId);
      if (!rec) return;
      if (input.tag === RACE_TAG_JOIN_CLOSED) onJoinClosed(s, rec, now, out);
      else if (input.tag === RACE_TAG_DEADLINE) onDeadline(s, rec, now, out);
    },
  };

  return defineMechanism<RaceState>({
    type: 'race',
    params: { ...p, ...(preset ? { preset } : {}) },
    init(operators: readonly OperatorInfo[]): RaceState {
      const capacity: (Resources | undefined)[] = [];
      for (const o of operators) capacity[o.id] = o.capacity;
      return {
        seen: seenIds(),
        jobs: new DenseTable<RaceJob>(),
        capacity,
        racing: [],
        waiting: [],
        tokens: [],
        wHead: 0,
        emission: emissionBook(epochParams),
      };
    },
    handlers,
  });
}

/** Race rules, part 1: rewards, solicitations (join windows) and the waiting queue. */
function raceQueue(p: RaceParams) {
  /** The reward on offer for a job, micro-USD. */
  function rewardOf(job: Job): Micros {
    if (p.rewardSource === 'emission') return toMicros(p.emissionUsdPerProof) + toMicros(p.emissionUsdPerMcycle * job.mcycles);
    if (p.rewardSource === 'epoch') {
      // What a racer can expect: the epoch's rate per Mcycle below the cap (the cap may dilute it).
      const budget = p.epochTokens * p.epochTokenUsd;
      return p.epochFullAtMcycles > 0 ? toMicros((budget * job.mcycles) / p.epochFullAtMcycles) : toMicros(budget);
    }
    return Math.floor(job.maxPrice * p.rewardShare);
  }

  /**
   * Opens a join window. Under `wait` the job also joins the waiting queue at once: if nobody joins,
   * a node that becomes free later (even inside the window) gets it offered again. It is never
   * offered twice in the instant it was solicited: answers to that solicitation may still come.
   */
  function solicit(s: RaceState, rec: RaceJob, now: Seconds, out: Decision[]): void {
    rec.status = SOLICITING;
    if (p.onNoRacers === 'wait') enqueue(s, rec);
    rec.joinOpen = true;
    rec.joinFrom = now;
    rec.joinUntil = now + p.joinWindow;
    out.push({ type: 'solicit', jobId: rec.job.id, mode: 'race', reward: rec.reward, until: rec.joinUntil, exclude: [] });
    out.push({ type: 'timer', jobId: rec.job.id, at: rec.joinUntil, tag: RACE_TAG_JOIN_CLOSED });
  }

  /** Ends a job without a proof: `failed` if someone tried, `expired` if nobody ever joined. */
  function endUnproved(s: RaceState, rec: RaceJob, out: Decision[]): void {
    rec.status = ENDED;
    rec.queued = false;
    out.push({ type: 'done', jobId: rec.job.id, outcome: rec.attempts > 0 ? 'failed' : 'expired', operator: -1 });
    close(s, rec, out);
  }

  function close(s: RaceState, rec: RaceJob, out: Decision[]): void {
    s.jobs.delete(rec.job.id);
    out.push({ type: 'close', jobId: rec.job.id });
  }

  function enqueue(s: RaceState, rec: RaceJob): void {
    if (rec.queued) return;
    rec.queued = true;
    rec.qToken++;
    s.waiting.push(rec);
    s.tokens.push(rec.qToken);
  }

  function live(s: RaceState, i: number): boolean {
    const rec = s.waiting[i]!;
    return rec.queued && rec.qToken === s.tokens[i];
  }

  /** A node became free: re-offer the oldest waiting job it could run. */
  function offerTo(s: RaceState, op: number, now: Seconds, out: Decision[]): void {
    const cap = s.capacity[op];
    if (!cap) return;
    const q = s.waiting;
    while (s.wHead < q.length && !live(s, s.wHead)) s.wHead++;
    for (let i = s.wHead; i < q.length; i++) {
      const rec = q[i]!;
      if (!live(s, i) || !fits(cap, rec.job.request)) continue;
      if (rec.status === SOLICITING && rec.joinFrom === now) continue;
      rec.queued = false;
      solicit(s, rec, now, out);
      break;
    }
    if (s.wHead > 1024 && s.wHead * 2 > q.length) {
      s.waiting = q.slice(s.wHead);
      s.tokens = s.tokens.slice(s.wHead);
      s.wHead = 0;
    }
  }

  function onSubmit(s: RaceState, job: Job, now: Seconds, out: Decision[]): void {
    const reward = rewardOf(job);
    if (reward <= 0) {
      // Nothing to race for (a zero price limit under `price`, or a zero emission).
      out.push({ type: 'done', jobId: job.id, outcome: 'rejected', operator: -1 });
      out.push({ type: 'close', jobId: job.id });
      return;
    }
    const rec: RaceJob = {
      job,
      reward,
      status: SOLICITING,
      racers: [],
      attempts: 0,
      delivered: false,
      late: false,
      queued: false,
      qToken: 0,
      joinFrom: now,
      joinUntil: now,
      joinOpen: false,
    };
    s.jobs.set(job.id, rec);
    out.push({ type: 'timer', jobId: job.id, at: job.deadline, tag: RACE_TAG_DEADLINE });
    solicit(s, rec, now, out);
  }

  return { rewardOf, solicit, endUnproved, close, enqueue, live, offerTo, onSubmit };
}

/** Race rules, part 2: joins, deliveries, failures, the end of a join window and the deadline. */
function raceOutcomes(p: RaceParams, prior: ReturnType<typeof raceQueue>) {
  const { solicit, endUnproved, close } = prior;
  function onJoin(s: RaceState, rec: RaceJob, op: number, out: Decision[]): RefusalReason | undefined {
    if (rec.status === ENDED || rec.delivered) return 'late';
    if (!rec.joinOpen) return 'late';
    if (rec.racers.includes(op)) return 'already';
    if (p.maxRacers > 0 && rec.racers.length >= p.maxRacers) return 'taken';
    const n = s.racing[op] ?? 0;
    if (p.oneRacePerNode && n > 0) return 'taken';
    s.racing[op] = n + 1;
    rec.racers.push(op);
    rec.attempts++;
    rec.status = RACING;
    rec.queued = false;
    out.push({ type: 'assign', jobId: rec.job.id, operator: op, price: rec.reward, role: 'racer', committed: true });
    return undefined;
  }

  function onJoinClosed(s: RaceState, rec: RaceJob, now: Seconds, out: Decision[]): void {
    if (!rec.joinOpen || now < rec.joinUntil) return; // a stale timer of an earlier window
    rec.joinOpen = false;
    if (rec.status !== SOLICITING) return;
    if (rec.late || p.onNoRacers === 'fail' || now >= rec.job.deadline) endUnproved(s, rec, out);
    else rec.status = WAITING; // already in the queue since the window opened
  }

  function dropRacer(s: RaceState, rec: RaceJob, op: number): boolean {
    const i = rec.racers.indexOf(op);
    if (i < 0) return false;
    rec.racers[i] = rec.racers[rec.racers.length - 1]!;
    rec.racers.pop();
    s.racing[op]!--;
    return true;
  }

  function onDeliver(s: RaceState, rec: RaceJob, op: number, now: Seconds, out: Decision[]): RefusalReason | undefined {
    if (!dropRacer(s, rec, op)) return 'not-assigned';
    const id = rec.job.id;
    // Aleo: every solution accepted in time earns its share of the epoch's capped budget.
    if (p.paySolutions && p.rewardSource === 'epoch' && !rec.late) credit(s.emission, op, rec.job.mcycles, id, now, out);
    if (!rec.delivered) {
      rec.delivered = true;
      rec.status = ENDED;
      if (p.rewardSource === 'epoch') {
        if (!p.paySolutions && !rec.late) credit(s.emission, op, rec.job.mcycles, id, now, out);
      } else
        out.push({
          type: 'settle',
          jobId: id,
          operator: op,
          amount: rec.reward,
          source: p.rewardSource === 'price' ? 'escrow' : 'emission',
        });
      out.push({ type: 'done', jobId: id, outcome: 'delivered', operator: op });
      if (p.losersAbort) {
        for (let i = 0; i < rec.racers.length; i++) {
          const loser = rec.racers[i]!;
          s.racing[loser]!--;
          out.push({ type: 'abort', jobId: id, operator: loser });
        }
        rec.racers.length = 0;
      }
    }
    // A loser that ran to the end is paid nothing; close once every racer is resolved.
    if (rec.racers.length === 0) close(s, rec, out);
    return undefined;
  }

  function onFail(s: RaceState, rec: RaceJob, op: number, now: Seconds, out: Decision[]): RefusalReason | undefined {
    if (!dropRacer(s, rec, op)) return 'not-assigned';
    if (rec.racers.length > 0) return undefined;
    if (rec.delivered) close(s, rec, out);
    else if (rec.late || now >= rec.job.deadline) endUnproved(s, rec, out);
    else solicit(s, rec, now, out); // every racer failed before the deadline: open the race again
    return undefined;
  }

  function onDeadline(s: RaceState, rec: RaceJob, now: Seconds, out: Decision[]): void {
    rec.late = true;
    // Racers at work may still deliver (late, and paid); a job waiting for racers ends now.
    if (rec.status === WAITING || (rec.status === SOLICITING && rec.joinFrom < now)) endUnproved(s, rec, out);
  }
  return { onJoin, onJoinClosed, dropRacer, onDeliver, onFail, onDeadline };
}
