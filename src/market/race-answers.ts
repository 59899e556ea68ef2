import type { Quote } from '../agents/strategy.js';
import type { Decision, Job } from '../mechanisms/types.js';
import { eligible } from './lock-answers.js';
import { type RaceEntryIndex, drawDistinct } from './race-entry.js';
import type { ResponderContext } from './responses.js';

type Solicit = Extract<Decision, { type: 'solicit' }>;

/**
 * The agents' answers to a race solicitation: who joins (free entry, per entry class of
 * `race-entry.ts`), drawn uniformly among the joiners, and the announcements that let free provers
 * who stayed out take the next waiting race. A re-offer to one node that became free (`solicit.to`,
 * reverse Dutch's secondary race) asks that node only.
 */
export function createRaceAnswers(ctx: ResponderContext): { respond(d: Solicit, job: Job): void } {
  // Race jobs whose last solicitation drew no racer: they wait for a free node (open requests are public).
  const raceWaiting = new Set<number>();
  const rational = (ctx.raceEntry ?? 'rational') === 'rational';
  const announced = new Set<number>();
  let announcedAt = -1;
  /** Waiting races still open (jobs that ended are forgotten here, lazily). */
  const waitingOpen = (): number => {
    for (const id of raceWaiting) if (!ctx.jobs.has(id)) raceWaiting.delete(id);
    return raceWaiting.size;
  };
  const index = ctx.entry;
  // Scratch of one solicitation: the eligible classes, their free counts, representative quotes and draws.
  const cls: number[] = [];
  const count: number[] = [];
  const quotes: Quote[] = [];
  const us: number[] = [];
  const picked: number[] = [];

  /** Does class i (of this solicitation) join when k racers are expected? */
  function joins(i: number, reward: number, k: number): boolean {
    const e = ctx.entities[ctx.nodes[index.members[cls[i]!]![0]!]!.info.entity]!;
    return e.strategy.joinRace(quotes[i]!, reward, k, e.view, us[i]!);
  }

  /**
   * A race offered to one node that became free (reverse Dutch's secondary race, `solicit.to`): it
   * joins if it would race expecting to be the only racer; otherwise the job waits for the next.
   */
  function raceOne(d: Solicit, id: number, job: Job): void {
    if (d.until > job.deadline) job = { ...job, deadline: d.until };
    if (!eligible(ctx, id, job, d.exclude, true)) {
      raceWaiting.add(job.id);
      return;
    }
    const node = ctx.nodes[id]!;
    const e = ctx.entities[node.info.entity]!;
    const u = e.strategy.pure ? 0 : ctx.agentRng[e.id]!.next();
    if (!e.strategy.joinRace(ctx.quote(node, job), d.reward / 1e6, 1, e.view, u)) {
      raceWaiting.add(job.id);
      return;
    }
    raceWaiting.delete(job.id);
    ctx.feed({ type: 'join-race', jobId: job.id, operator: id });
  }

  /**
   * Free-entry participation, per entry class: each candidate expects k racers, where k is the
   * largest number such that at least k candidates would join a race they expect k racers in
   * (joinRace is monotone in the expected number of racers); then k of those join, drawn uniformly
   * at random (a per-job hash). A class answers once for all its members.
   */
  function race(d: Solicit, job: Job): void {
    // Racers may work until the later of the requester's deadline and the last moment the race
    // accepts them (`until`): a reverse-Dutch secondary works to the offer's timeout, which may
    // come after the requester's off-chain deadline (issue 12). A race's join window ends sooner.
    if (d.until > job.deadline) job = { ...job, deadline: d.until };
    // A gang job: only entity leads that can field N nodes may race (docs/gang.md); the others are excluded.
    if (job.gang !== undefined) d = { ...d, exclude: gangExclude(ctx, d, job, cls) };
    const reward = d.reward / 1e6;
    index.eligible(job.request, cls);
    count.length = quotes.length = us.length = 0;
    let total = 0;
    for (let i = 0; i < cls.length; i++) {
      const c = cls[i]!;
      let n = index.members[c]!.length;
      for (const x of d.exclude) if (index.isMember(x) && index.classOfNode(x) === c) n--;
      const rep = n > 0 ? member(index, c, 0, d.exclude) : index.members[c]![0]!;
      const node = ctx.nodes[rep]!;
      count.push(n);
      quotes.push(ctx.quote(node, job));
      // A pure class ignores its draw; a node asked alone draws from its entity's stream, as before.
      us.push(index.pure[c] || n === 0 ? 0 : ctx.agentRng[node.info.entity]!.next());
      total += n;
    }
    // Do at least k candidates join when k racers are expected? Stops counting at k.
    const enough = (k: number): boolean => {
      let got = 0;
      for (let i = 0; i < cls.length && got < k; i++) if (count[i]! > 0 && joins(i, reward, k)) got += count[i]!;
      return got >= k;
    };
    let lo = 0;
    let hi = total;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (enough(mid)) lo = mid;
      else hi = mid - 1;
    }
    // Rational entry: a prover chooses among all open races, not this one alone. With W races
    // open (this one and those waiting) and F free candidates, a free-entry equilibrium spreads
    // the provers over the races, at most ceil(F / W) to each: one more racer here lowers every
    // racer's win probability, while an uncontested waiting race pays its whole reward.
    const open = rational ? waitingOpen() + (raceWaiting.has(job.id) ? 0 : 1) : 1;
    if (open > 1 && lo > 0) lo = Math.min(lo, Math.max(1, Math.ceil(total / open)));
    if (lo === 0) {
      raceWaiting.add(job.id);
      return;
    }
    raceWaiting.delete(job.id);
    // The joiners at level lo, class by class; lo of them, drawn without replacement, join in draw order.
    let joiners = 0;
    for (let i = 0; i < cls.length; i++) {
      const j = count[i]! > 0 && joins(i, reward, lo);
      if (!j) count[i] = 0;
      joiners += count[i]!;
    }
    picked.length = 0;
    for (const r0 of drawDistinct(ctx.raceOrderSeed, job.id, joiners, lo)) {
      let r = r0;
      let i = 0;
      while (r >= count[i]!) r -= count[i++]!;
      const id = member(index, cls[i]!, r, d.exclude);
      picked.push(id);
      ctx.feed({ type: 'join-race', jobId: job.id, operator: id });
    }
    if (rational && raceWaiting.size > 0) announce(d, job.request);
  }

  /**
   * The free provers that stayed out announce themselves again, so the mechanism offers them the
   * next waiting race (it re-offers waiting jobs only to nodes that become available). Each node at
   * most once per instant, so the cascade ends even when a join is refused; and at most one per
   * waiting race per class and solicitation: an announcement re-solicits at most one waiting race.
   */
  function announce(d: Solicit, request: Job['request']): void {
    const now = ctx.now();
    if (now !== announcedAt) {
      announcedAt = now;
      announced.clear();
    }
    index.eligible(request, cls);
    for (const c of cls) {
      const m = index.members[c]!;
      for (let j = 0, left = raceWaiting.size; j < m.length && left > 0; j++) {
        const id = m[j]!;
        if (picked.includes(id) || d.exclude.includes(id) || ctx.nodes[id]!.outstanding !== 0 || announced.has(id)) continue;
        announced.add(id);
        left--;
        ctx.feed({ type: 'available', operator: id });
      }
    }
  }

  return {
    respond(d: Solicit, job: Job): void {
      if (d.to !== undefined && job.gang === undefined) raceOne(d, d.to, job);
      else race(d, job);
    },
  };
}

/**
 * The exclusions of a gang job's race: the solicitation's own, plus every free eligible node that is
 * not an entity lead able to field the gang (`gangCandidates`). O(N), but only for gang jobs.
 * `scratch` receives the eligible classes.
 */
function gangExclude(ctx: ResponderContext, d: Solicit, job: Job, scratch: number[]): number[] {
  const index = ctx.entry;
  const allowed = new Set(ctx.candidates(job, d.exclude, true));
  const already = new Set(d.exclude);
  const out = [...d.exclude];
  index.eligible(job.request, scratch);
  for (const c of scratch) for (const id of index.members[c]!) if (!allowed.has(id) && !already.has(id)) out.push(id);
  return out;
}

/** The r-th (0-based) free member of class c, skipping the excluded nodes; -1 if there is none. */
function member(index: RaceEntryIndex, c: number, r: number, exclude: readonly number[]): number {
  const m = index.members[c]!;
  if (exclude.length === 0) return m[r]!;
  for (const id of m) if (!exclude.includes(id) && r-- === 0) return id;
  return -1;
}
