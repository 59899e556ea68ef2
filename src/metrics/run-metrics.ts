import { concentration } from './concentration.js';
import { LogHistogram } from './log-histogram.js';
import { RunningStats } from './running-stats.js';

/** The running sums of {@link RunMetrics} (money in micro-USD, seconds, USD): stored as doubles from the start. */
const SUMS = [
  'requesterPaid',
  'refunded',
  'burned',
  'protocol',
  'revenue',
  'slashed',
  'emission',
  'compute',
  'useful',
  'cloud',
  'idle',
  'capitalUsd',
  'fixedUsd',
  'busySeconds',
  'nodeSeconds',
  'valueDeliveredUsd',
  'bestSurplusUsd',
  'verification',
] as const;

/** Terminal outcomes counted by the collector. */
export type JobOutcome = 'delivered' | 'failed' | 'expired' | 'rejected';

/** Static facts about the entities of one run. */
export interface EntityFacts {
  readonly names: readonly string[];
  readonly attackers: readonly boolean[];
  /** Share of delivered work at which attackers count as dominant. */
  readonly dominanceShare: number;
}

/** One window of the time series. */
export interface WindowRow {
  window: number;
  t_start_s: number;
  jobs_submitted: number;
  jobs_delivered: number;
  jobs_on_time: number;
  price_per_mcycle_mean_usd: number;
  active_operators: number;
  hhi: number;
  top1_share: number;
  attacker_share: number;
}

/**
 * Streaming metrics of one market run: counters, a latency histogram, running price statistics and
 * per-window aggregates. Memory is O(windows × entities), independent of the number of jobs.
 */
export class RunMetrics {
  submitted = 0;
  delivered = 0;
  onTime = 0;
  failed = 0;
  expired = 0;
  rejected = 0;
  /** Of the rejected jobs: those no node of the run could ever serve (rejected at submission by the shell). */
  unservable = 0;
  readonly latency = new LogHistogram();
  readonly pricePerJob = new RunningStats();
  readonly pricePerMcycle = new RunningStats();
  /** Money counters, micro-USD. */
  requesterPaid = 0;
  refunded = 0;
  burned = 0;
  protocol = 0;
  revenue = 0;
  slashed = 0;
  emission = 0;
  compute = 0;
  useful = 0;
  cloud = 0;
  /** Rent paid for idle hours (the self-hosted baseline), micro-USD. */
  idle = 0;
  /** Capital booked per wall hour of active nodes (`cost_basis: full`), USD. */
  capitalUsd = 0;
  /** Fixed costs (`fixed_usd_per_hour`) booked for active nodes, USD. */
  fixedUsd = 0;
  /** Seconds of attempts run on nodes (busy time, wasted attempts included). */
  busySeconds = 0;
  /** Wall seconds of active physical nodes (the denominator of utilisation). */
  nodeSeconds = 0;
  /** Requesters' values of the jobs delivered by their deadline, USD. */
  valueDeliveredUsd = 0;
  /** Σ over submitted jobs of max(0, value − cheapest eligible marginal cost), USD: an upper bound on surplus. */
  bestSurplusUsd = 0;
  /** Paid to verifier committees (scenario `verifier_committee`), micro-USD; also in `revenue`. */
  verification = 0;
  /** Verifications done by committee members (one per member per verified proof). */
  verifications = 0;
  /** Failed attempts a locker retried (once per job). */
  retries = 0;
  /** Locks and bids refused because the entity's capital could not cover the collateral. */
  refusedForCollateral = 0;
  private rentRate = 0;
  exits: boolean[];
  /** Attackers' deepest cumulative loss seen at a window boundary (−ledger balance, micro-USD, ≥ 0). */
  attackerLossPeak = 0;
  readonly windows: WindowRow[] = [];
  /** Delivered Mcycles per entity, per closed window. */
  readonly windowWork: Float64Array[] = [];
  private readonly totalWork: Float64Array;
  private cur: Float64Array;
  private curSubmitted = 0;
  private curDelivered = 0;
  private curOnTime = 0;
  private readonly curPrice = new RunningStats();
  private readonly windowPrice = new RunningStats();
  /** Entities that are attackers (usually none): the window's attacker share sums only them. */
  private readonly attackerIds: number[];
  /** Work delivered in the last closed window, all entities (0 before the first). */
  private lastTotal = 0;

  constructor(
    private readonly facts: EntityFacts,
    private readonly window: number,
  ) {
    const n = facts.names.length;
    this.totalWork = new Float64Array(n);
    this.cur = new Float64Array(n);
    this.exits = new Array<boolean>(n).fill(false);
    this.attackerIds = [];
    for (let e = 0; e < n; e++) if (facts.attackers[e]) this.attackerIds.push(e);
    // The sums start as doubles. Left to V8, a counter holds a small integer until its sum first
    // passes 2^31 (within 13,000 jobs of an M/M/c run), and that change of the object's field
    // representation, mid-run, discards every optimized function that reads a counter, all compiled
    // again (the outcome and money handlers: 3.5% of the M/M/c run's CPU). The values are the same.
    for (const k of SUMS) {
      this[k] = 0.5;
      this[k] = 0;
    }
  }

  jobSubmitted(): void {
    this.submitted++;
    this.curSubmitted++;
  }

  /** A job reached its outcome; `entity` is the winner's entity for delivered jobs. */
  /** Credits delivered work to an entity outside {@link jobDone} (a gang's members share its job). */
  creditWork(entity: number, mcycles: number): void {
    this.totalWork[entity]! += mcycles;
    this.cur[entity]! += mcycles;
  }

  jobDone(outcome: JobOutcome, latency: number, onTime: boolean, entity: number, mcycles: number): void {
    switch (outcome) {
      case 'delivered':
        this.delivered++;
        this.curDelivered++;
        this.latency.add(latency);
        if (onTime) {
          this.onTime++;
          this.curOnTime++;
        }
        if (entity >= 0) {
          this.totalWork[entity]! += mcycles;
          this.cur[entity]! += mcycles;
        }
        return;
      case 'failed':
        this.failed++;
        return;
      case 'expired':
        this.expired++;
        return;
      case 'rejected':
        this.rejected++;
        return;
    }
  }

  /** Delivered work credited to an entity without a job outcome (a chunk of a chunked job). */
  workDone(entity: number, mcycles: number): void {
    this.totalWork[entity]! += mcycles;
    this.cur[entity]! += mcycles;
  }

  /** A delivered job's money is final: what the requester paid, in micro-USD. */
  jobPrice(paidMicros: number, mcycles: number): void {
    const usd = paidMicros / 1e6;
    this.pricePerJob.add(usd);
    const per = usd / mcycles;
    this.pricePerMcycle.add(per);
    this.curPrice.add(per);
  }

  /** Closes the window that started at `tStart`; `active` is the count of active entities. */
  closeWindow(tStart: number, active: number): void {
    const c = concentration(this.cur);
    let att = 0;
    for (const e of this.attackerIds) att += this.cur[e]!;
    this.lastTotal = c.total;
    const priceMean = this.curPrice.mean();
    if (this.curPrice.n > 0) this.windowPrice.add(priceMean);
    this.windows.push({
      window: this.windows.length,
      t_start_s: tStart,
      jobs_submitted: this.curSubmitted,
      jobs_delivered: this.curDelivered,
      jobs_on_time: this.curOnTime,
      price_per_mcycle_mean_usd: priceMean,
      active_operators: active,
      hhi: c.hhi,
      top1_share: c.top1,
      attacker_share: this.hasAttackers() ? (c.total > 0 ? att / c.total : NaN) : NaN,
    });
    this.windowWork.push(this.cur);
    this.cur = new Float64Array(this.cur.length);
    this.curSubmitted = 0;
    this.curDelivered = 0;
    this.curOnTime = 0;
    this.curPrice.reset();
  }

  /**
   * For a baseline paid by time, not per job (self-hosted rent): µUSD per second. Prices are then
   * amortized: what the requester paid per delivered job and Mcycle in the summary, and per window
   * (the window's rent over the Mcycles it delivered) in the time series and for price_cv. The rent
   * is known only when the run ends, so setting it rewrites the closed windows' prices; before, they
   * kept the per-job price (0: nothing is paid per job) and the time series disagreed with the summary.
   */
  get amortizedMicrosPerSecond(): number {
    return this.rentRate;
  }

  set amortizedMicrosPerSecond(rate: number) {
    this.rentRate = rate;
    if (rate <= 0) return;
    this.windows.forEach((w, i) => {
      w.price_per_mcycle_mean_usd = this.windowRentPrice(i);
    });
  }

  /** The window's rent over its delivered Mcycles (USD/Mcycle; NaN if it delivered nothing). */
  private windowRentPrice(i: number): number {
    const w = this.windows[i]!;
    const work = this.windowWork[i]!;
    let total = 0;
    for (let e = 0; e < work.length; e++) total += work[e]!;
    const next = this.windows[i + 1]?.t_start_s ?? w.t_start_s + this.window;
    return total > 0 ? ((next - w.t_start_s) * this.rentRate) / 1e6 / total : NaN;
  }

  hasAttackers(): boolean {
    return this.attackerIds.length > 0;
  }

  /**
   * The entity's share of the work delivered in the last closed window (0 before the first window
   * closes, and when that window delivered nothing): `EntityView.share`, read when a strategy asks.
   */
  lastShare(entity: number): number {
    return this.lastTotal > 0 ? this.windowWork[this.windowWork.length - 1]![entity]! / this.lastTotal : 0;
  }

  /** Concentration of all delivered work. */
  concentration(): { hhi: number; top1: number } {
    return concentration(this.totalWork);
  }

  /** Entity indices by total delivered work, largest first (ties by index). */
  topEntities(k: number): number[] {
    return [...this.totalWork.keys()]
      .filter((e) => this.totalWork[e]! > 0)
      .sort((a, b) => this.totalWork[b]! - this.totalWork[a]! || a - b)
      .slice(0, k);
  }

  /** Coefficient of variation of per-window mean price per Mcycle. */
  priceCv(): number {
    if (this.amortizedMicrosPerSecond > 0) return this.amortized().cv;
    return this.windowPrice.cv();
  }

  /** Prices of a time-paid baseline: total paid over delivered jobs and Mcycles; per-window rent / Mcycles. */
  amortized(): { perJob: number; perMcycle: number; cv: number } {
    // Every delivered Mcycle, those delivered while in-flight jobs drained after the last window too.
    let mcycles = 0;
    for (let e = 0; e < this.totalWork.length; e++) mcycles += this.totalWork[e]!;
    const perWindow = new RunningStats();
    this.windows.forEach((_, i) => {
      const p = this.windowRentPrice(i);
      if (!Number.isNaN(p)) perWindow.add(p);
    });
    const paid = this.requesterPaid / 1e6;
    return {
      perJob: this.delivered > 0 ? paid / this.delivered : NaN,
      perMcycle: mcycles > 0 ? paid / mcycles : NaN,
      cv: perWindow.cv(),
    };
  }

  /**
   * Attack outcome columns (NaN where they do not apply).
   * - `peak`: the highest attackers' share of a window's delivered work (windows that delivered work).
   * - `ttd`: the END of the first window in which the attackers delivered at least the dominance
   *   share (the time by which dominance was observed; never 0). NaN: never dominant.
   * - `ratio`: mean per-window price per Mcycle of the windows after that one, over the mean of the
   *   windows up to and including it (windows without deliveries skipped). NaN: never dominant, or
   *   no priced window on one side.
   */
  attack(): { peak: number; ttd: number; ratio: number } {
    if (!this.hasAttackers()) return { peak: NaN, ttd: NaN, ratio: NaN };
    const ws = this.windows;
    let peak = NaN;
    let dom = -1;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      if (!Number.isNaN(w.attacker_share) && !(w.attacker_share <= peak)) peak = w.attacker_share;
      if (dom < 0 && w.attacker_share >= this.facts.dominanceShare) dom = i;
    }
    if (dom < 0) return { peak, ttd: NaN, ratio: NaN };
    const ttd = dom + 1 < ws.length ? ws[dom + 1]!.t_start_s : ws[dom]!.t_start_s + this.window;
    const before = new RunningStats();
    const after = new RunningStats();
    for (let i = 0; i < ws.length; i++) {
      const p = ws[i]!.price_per_mcycle_mean_usd;
      if (Number.isNaN(p)) continue;
      (i <= dom ? before : after).add(p);
    }
    const ratio = before.n > 0 && after.n > 0 && before.mean() > 0 ? after.mean() / before.mean() : NaN;
    return { peak, ttd, ratio };
  }
}
