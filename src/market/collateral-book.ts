/**
 * Collateral each entity has posted into job escrows and not yet got back or lost: an asset, not a
 * loss, when the exit rule and the attack cost read an entity's ledger balance.
 *
 * A job's collateral almost always comes from one entity (its locker), so each job has one slot in
 * typed arrays indexed by job id (ids are dense), and only a job with a second poster gets a Map.
 * With 10,000 operators thousands of jobs hold collateral at once: a Map per job (and a Map of
 * them) was a young object per job that survived every scavenge while its job ran.
 */
export class CollateralBook {
  /** Micro-USD held per entity. */
  readonly held: Float64Array;
  /** The job's first poster still holding collateral on it (-1: none), and what it holds. */
  private entity = new Int32Array(1024).fill(-1);
  private amount = new Float64Array(1024);
  /** Other entities' collateral on a job, entity → micro-USD (rare). */
  private readonly extra = new Map<number, Map<number, number>>();
  /** Has anything been posted? (if not, {@link close} has nothing to do) */
  private posted = false;

  constructor(entities: number) {
    this.held = new Float64Array(entities);
  }

  /** `entity` posted `micros` into job `jobId`'s escrow. */
  post(jobId: number, entity: number, micros: number): void {
    if (jobId >= this.entity.length) this.grow(jobId);
    const first = this.entity[jobId]!;
    if (first === entity) this.amount[jobId]! += micros;
    else {
      const m = this.extra.get(jobId);
      const h = m?.get(entity);
      if (m !== undefined && h !== undefined) m.set(entity, h + micros);
      else if (first < 0) {
        this.entity[jobId] = entity;
        this.amount[jobId] = micros;
      } else if (m !== undefined) m.set(entity, micros);
      else this.extra.set(jobId, new Map([[entity, micros]]));
    }
    this.posted = true;
    this.held[entity]! += micros;
  }

  /** `micros` of the entity's collateral came back to it. */
  release(jobId: number, entity: number, micros: number): void {
    const h = this.heldOn(jobId, entity);
    if (h === undefined) return;
    const r = Math.min(h, micros);
    this.held[entity]! -= r;
    if (h - r > 0) this.setOn(jobId, entity, h - r);
    else this.drop(jobId, entity);
  }

  /** The entity's collateral on the job was slashed: it is gone. */
  forfeit(jobId: number, entity: number): void {
    const h = this.heldOn(jobId, entity);
    if (h === undefined) return;
    this.held[entity]! -= h;
    this.drop(jobId, entity);
  }

  /** The job closed: collateral still posted on it will never come back. */
  close(jobId: number): void {
    if (!this.posted || jobId >= this.entity.length) return;
    const first = this.entity[jobId]!;
    if (first >= 0) {
      this.held[first]! -= this.amount[jobId]!;
      this.entity[jobId] = -1;
    }
    const m = this.extra.get(jobId);
    if (m === undefined) return;
    for (const [e, h] of m) this.held[e]! -= h;
    this.extra.delete(jobId);
  }

  /** What `entity` holds on the job (undefined: nothing posted, or all of it returned or lost). */
  private heldOn(jobId: number, entity: number): number | undefined {
    if (jobId >= this.entity.length) return undefined;
    if (this.entity[jobId] === entity) return this.amount[jobId]!;
    return this.extra.get(jobId)?.get(entity);
  }

  private setOn(jobId: number, entity: number, micros: number): void {
    if (this.entity[jobId] === entity) this.amount[jobId] = micros;
    else this.extra.get(jobId)!.set(entity, micros);
  }

  private drop(jobId: number, entity: number): void {
    if (this.entity[jobId] === entity) this.entity[jobId] = -1;
    else this.extra.get(jobId)!.delete(entity);
  }

  private grow(jobId: number): void {
    let n = this.entity.length;
    while (n <= jobId) n *= 2;
    const e = new Int32Array(n).fill(-1);
    e.set(this.entity);
    const a = new Float64Array(n);
    a.set(this.amount);
    this.entity = e;
    this.amount = a;
  }
}
