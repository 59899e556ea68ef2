/**
 * The shell's side of gang jobs (`docs/gang.md`): N nodes start one proof together and end
 * together. The lead (the `assign`'s operator) carries the attempt the mechanism knows about (its
 * completion event, its deliver or fail); the other members are booked here: busy from the common
 * start to the common end, their compute charged to their own entities, freed when the lead's
 * attempt ends or is aborted. Payments to the lead are shared among the members.
 */
import { hashUniform } from '../mechanisms/beacon.js';
import { splitAmong } from '../mechanisms/gang.js';
import type { Decision, Job } from '../mechanisms/types.js';
import { fits, gangSize } from '../mechanisms/types.js';
import { gangDuration } from '../hardware-models/gang-efficiency.js';
import type { Agents } from './responses.js';
import { COMPLETE, type JobRec, type MarketContext } from './context.js';
import type { Entity, Node } from './population.js';

/** One gang at work (or finished, until its job closes: later payments are still shared). */
interface Crew {
  readonly lead: number;
  /** Every member, lead first. */
  readonly members: readonly number[];
  start: number;
  end: number;
  /** Members other than the lead still booked busy. */
  working: boolean;
}

/** What the work room and the events need from the gang shell. */
export interface GangWork {
  /** Carries out an `assign` of a gang job (`gangSize(job) > 1`). */
  assign(d: Extract<Decision, { type: 'assign' }>, rec: JobRec): void;
  /** The lead's attempt ended: books the other members' compute (returns it, micro-USD); they stay busy until {@link release}. */
  complete(jobId: number, lead: number): number;
  /** Frees the other members after the lead's report (each tells the mechanism it is available). */
  release(jobId: number, lead: number): void;
  /** The lead's attempt was aborted at `now`: stops and frees every other member. */
  abort(jobId: number, lead: number): void;
  /** The entities to pay for `amount` paid to `operator` on the job, with their shares; undefined: not a gang. */
  shares(jobId: number, operator: number, amount: number): { entity: number; amount: number }[] | undefined;
  /** The members' entities for a delivery by `lead` (work shares), undefined: not a gang. */
  membersOf(jobId: number, lead: number): readonly number[] | undefined;
  /** The job closed: forget its crews. */
  forget(jobId: number): void;
}

/**
 * An entity-staffed gang: the lead and its entity's other active compatible nodes that are free
 * soonest (ties by id). Undefined when the entity cannot field `gangSize(job)` of them.
 */
export function entityCrew(nodes: readonly Node[], own: readonly number[], job: Job, lead: number): number[] | undefined {
  const n = gangSize(job);
  const pool = own.filter((id) => {
    const node = nodes[id]!;
    return id !== lead && node.active && !node.ejected && fits(node.info.capacity, job.request);
  });
  if (pool.length < n - 1) return undefined;
  pool.sort((a, b) => nodes[a]!.freeAt - nodes[b]!.freeAt || a - b);
  return [lead, ...pool.slice(0, n - 1)];
}

/**
 * Who answers a question about a gang job (a race, bids, locks): one node per entity, its lead,
 * and only entities that own enough active compatible nodes (`needFree`: enough idle ones). The
 * lead is the entity's first listed (lowest-id) candidate. Coalitions are not modelled.
 */
export function gangCandidates(
  list: readonly number[],
  job: Job,
  nodes: readonly Node[],
  entities: readonly Entity[],
  needFree: boolean,
): number[] {
  const n = gangSize(job);
  const out: number[] = [];
  const seen = new Set<number>();
  for (const id of list) {
    const e = nodes[id]!.info.entity;
    if (seen.has(e)) continue;
    seen.add(e);
    let count = 0;
    for (const m of entities[e]!.nodes) {
      const node = nodes[m]!;
      if (!node.active || node.ejected || !fits(node.info.capacity, job.request)) continue;
      if (needFree && node.outstanding > 0 && !entities[e]!.strategy.overcommits) continue;
      count++;
    }
    if (count >= n) out.push(id);
  }
  return out;
}

/**
 * What a gang job would cost an entity and when it would finish, as its strategy sees it: the
 * crew it would field with `lead` (start when all are free, the curve's duration, every member's
 * hourly cost). Undefined when the entity cannot field the gang.
 */
export function gangTiming(
  nodes: readonly Node[],
  own: readonly number[],
  job: Job,
  lead: number,
  now: number,
): { durationS: number; costUsd: number; finishAt: number } | undefined {
  const crew = entityCrew(nodes, own, job, lead);
  if (!crew) return undefined;
  const dur = gangDuration(
    crew.map((m) => nodes[m]!.model),
    job.mcycles,
    job.kind,
  );
  let begin = now;
  let hourly = 0;
  for (const m of crew) {
    if (nodes[m]!.freeAt > begin) begin = nodes[m]!.freeAt;
    hourly += nodes[m]!.model.hourlyCostUsd;
  }
  return { durationS: dur, costUsd: (dur * hourly) / 3600, finishAt: begin + dur };
}

/** Builds the gang shell over the work room's compute booking and idle reports. */
export function createGangWork(
  ctx: MarketContext,
  agents: Agents,
  bookCompute: (nodeId: number, seconds: number, rec: JobRec | undefined) => number,
  nodeIdle: (nodeId: number) => void,
): GangWork {
  const { sim, nodes, jobs, attempts, ownerOf } = ctx;
  const crews = new Map<number, Crew[]>();
  /** The crew whose lead's attempt just completed, until its members are released. */
  let ended: Crew | undefined;

  // Asked on every completion of every job: a run without gang jobs (no crew) skips the Map's hashing.
  const crewOf = (jobId: number, lead: number): Crew | undefined =>
    crews.size === 0 ? undefined : crews.get(jobId)?.find((c) => c.lead === lead);

  const staff = (job: Job, lead: number): number[] | undefined => entityCrew(nodes, ownerOf[lead]!.nodes, job, lead);

  /** Starts the gang's one attempt: common start, curve-timed duration, any member's failure fails it. */
  function start(rec: JobRec, members: readonly number[]): void {
    const job = rec.job;
    const lead = members[0]!;
    const k = rec.attempts++;
    const { fail, jitter } = ctx.seeds;
    let begin = sim.now;
    for (const m of members) if (nodes[m]!.freeAt > begin) begin = nodes[m]!.freeAt;
    const dur =
      gangDuration(
        members.map((m) => nodes[m]!.model),
        job.mcycles,
        job.kind,
      ) *
      (0.9 + 0.2 * hashUniform(jitter, job.id, lead, k));
    // The same (seed, job, node, attempt) hash draws as a single node's attempt, per member.
    let end = begin + dur;
    let failed = false;
    for (const m of members) {
      if (hashUniform(fail, job.id, m, k) >= nodes[m]!.failureProb) continue;
      failed = true;
      end = Math.min(end, begin + dur * hashUniform(fail ^ 0x5bd1e995, job.id, m, k));
    }
    for (const m of members) {
      nodes[m]!.freeAt = end;
      nodes[m]!.outstanding++;
    }
    attempts.add(job.id, lead, begin, end, failed, sim.at(end, COMPLETE, job.id, lead));
    const list = crews.get(job.id) ?? [];
    const old = list.findIndex((c) => c.lead === lead);
    const crew: Crew = { lead, members, start: begin, end, working: true };
    if (old >= 0) list[old] = crew;
    else list.push(crew);
    crews.set(job.id, list);
  }

  /** An attempt that fails at once, with no work (the lead's entity cannot field the gang). */
  function failNow(rec: JobRec, lead: number): void {
    rec.attempts++;
    nodes[lead]!.outstanding++;
    attempts.add(rec.job.id, lead, sim.now, sim.now, true, sim.at(sim.now, COMPLETE, rec.job.id, lead));
  }

  /** Frees the members other than the lead (books their compute up to `until` when `book`). */
  function stop(jobId: number, crew: Crew, until: number, book: boolean): number {
    if (!crew.working) return 0;
    crew.working = false;
    let micros = 0;
    const rec = jobs.get(jobId);
    for (let i = 1; i < crew.members.length; i++) {
      const m = crew.members[i]!;
      const node = nodes[m]!;
      node.outstanding--;
      if (book && until > crew.start) micros += bookCompute(m, until - crew.start, rec);
      if (node.outstanding === 0 && node.freeAt > sim.now) node.freeAt = sim.now;
    }
    return micros;
  }

  return {
    assign(d, rec) {
      const members = d.members ?? staff(rec.job, d.operator);
      if (!members) {
        failNow(rec, d.operator);
        return;
      }
      if (!d.committed) {
        // Every member's owner is asked at its share of the price; one refusal declines the gang.
        const shares = splitAmong(d.price, members.length);
        const dur = gangDuration(
          members.map((m) => nodes[m]!.model),
          rec.job.mcycles,
          rec.job.kind,
        );
        let begin = sim.now;
        for (const m of members) if (nodes[m]!.freeAt > begin) begin = nodes[m]!.freeAt;
        // Each member judges its own node's share: its hourly cost for the gang's duration, against its share of the price.
        const ok = members.every((m, i) => {
          const q = ctx.quote(nodes[m]!, rec.job);
          const own = { ...q, durationS: dur, finishAt: begin + dur, costUsd: (dur * nodes[m]!.model.hourlyCostUsd) / 3600 };
          return agents.acceptsAssignment({ ...d, operator: m, price: shares[i]! }, rec.job, own);
        });
        if (!ok) {
          ctx.feed({ type: 'decline', jobId: d.jobId, operator: d.operator });
          for (let i = 1; i < members.length; i++) nodeIdle(members[i]!);
          return;
        }
      }
      if (d.committed && d.role === 'winner') rec.locker = d.operator;
      // Staffed members stop selling their capacity elsewhere (a standing ask in a book).
      if (!d.members) for (let i = 1; i < members.length; i++) ctx.feed({ type: 'cancel-ask', operator: members[i]! });
      start(rec, members);
    },
    complete(jobId, lead) {
      const crew = crewOf(jobId, lead);
      // Kept for `release`: the lead's report may close the job (and forget its crews) first.
      ended = crew;
      return crew ? stop(jobId, crew, crew.end, true) : 0;
    },
    release(jobId, lead) {
      const crew = ended !== undefined && ended.lead === lead ? ended : crewOf(jobId, lead);
      ended = undefined;
      if (crew) for (let i = 1; i < crew.members.length; i++) nodeIdle(crew.members[i]!);
    },
    abort(jobId, lead) {
      const crew = crewOf(jobId, lead);
      if (!crew || !crew.working) return;
      stop(jobId, crew, sim.now, true);
      for (let i = 1; i < crew.members.length; i++) nodeIdle(crew.members[i]!);
    },
    shares(jobId, operator, amount) {
      const crew = crewOf(jobId, operator);
      if (!crew) return undefined;
      const split = splitAmong(amount, crew.members.length);
      return crew.members.map((m, i) => ({ entity: nodes[m]!.info.entity, amount: split[i]! }));
    },
    membersOf(jobId, lead) {
      return crewOf(jobId, lead)?.members;
    },
    forget(jobId) {
      crews.delete(jobId);
    },
  };
}
