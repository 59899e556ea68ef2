/**
 * Per-job feedback for learning strategies: which entities competed for a job (bid, locked, joined
 * a race, accepted an assignment), what each was paid and spent on it. When the job closes (its
 * money is final) every participant gets one `observe(won, profitUsd)`: `won` when it was paid for
 * the job, `profitUsd` = paid + returned collateral − compute − posted collateral, in USD.
 * Money arguments are micro-USD, like the ledger. Only jobs with at least one participant use memory.
 */
export class Feedback {
  private readonly jobs = new Map<number, Map<number, { paid: number; spent: number }>>();

  constructor(
    /** Called once per participant when a job closes. */
    private readonly notify: (entity: number, won: boolean, profitUsd: number, jobId: number) => void,
    /** Is anyone listening? (no learning strategy: the tracker does nothing) */
    readonly enabled = true,
  ) {}

  private rec(jobId: number, entity: number): { paid: number; spent: number } {
    let m = this.jobs.get(jobId);
    if (!m) this.jobs.set(jobId, (m = new Map()));
    let r = m.get(entity);
    if (!r) m.set(entity, (r = { paid: 0, spent: 0 }));
    return r;
  }

  /** The entity offered to do the job (bid, lock, race, accept). */
  offered(jobId: number, entity: number): void {
    if (this.enabled) this.rec(jobId, entity);
  }

  /** The entity received money for the job (payment, slash reward). */
  paid(jobId: number, entity: number, micros: number): void {
    if (this.enabled) this.rec(jobId, entity).paid += micros;
  }

  /** The entity got money back for the job (released collateral). */
  returned(jobId: number, entity: number, micros: number): void {
    if (this.enabled) this.rec(jobId, entity).spent -= micros;
  }

  /** The entity spent money on the job (compute, posted collateral). */
  spent(jobId: number, entity: number, micros: number): void {
    if (this.enabled) this.rec(jobId, entity).spent += micros;
  }

  /** The job's money is final: tell every participant, then forget the job. */
  close(jobId: number): void {
    if (this.jobs.size === 0) return;
    const m = this.jobs.get(jobId);
    if (!m) return;
    this.jobs.delete(jobId);
    for (const [entity, r] of m) this.notify(entity, r.paid > 0, (r.paid - r.spent) / 1e6, jobId);
  }

  /** Jobs still tracked (for tests: 0 after a run whose jobs all closed). */
  get open(): number {
    return this.jobs.size;
  }
}
