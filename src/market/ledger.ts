import type { Micros } from '../mechanisms/types.js';

/** Fixed accounts. Operator entity `e` is account `OPERATOR0 + e`. */
export const REQUESTERS = 0;
export const ESCROW = 1;
export const TREASURY = 2;
export const BURNED = 3;
/** Where compute spending goes (hardware owners, energy, cloud): outside the market. */
export const COMPUTE = 4;
/** Where minted rewards come from (proof-mining emission). */
export const EMISSION = 5;
export const OPERATOR0 = 6;

/**
 * Double-entry money in integer micro-USD. Every movement debits one account and credits another,
 * so the balances always sum to zero; escrow is also tracked per job, and may never go negative.
 * External accounts (requesters, compute, emission) go negative as they pay in.
 */
export class Ledger {
  private balances: Float64Array;
  /**
   * Per-job escrow, indexed by job id (ids are dense). A typed array instead of a Map: escrow is
   * touched several times per job on the hot path. 8 bytes per job.
   */
  private escrow = new Float64Array(1024);
  private escrowJobs = 0;

  constructor(entities: number) {
    this.balances = new Float64Array(OPERATOR0 + entities);
  }

  /** Moves `amount` (≥ 0, integer) from one account to another. */
  transfer(from: number, to: number, amount: Micros): void {
    if (amount === 0) return;
    if (!(amount > 0) || !Number.isInteger(amount)) throw new Error(`ledger: bad amount ${amount}`);
    if (from >= this.balances.length || to >= this.balances.length) this.ensure(Math.max(from, to));
    this.balances[from]! -= amount;
    this.balances[to]! += amount;
  }

  /** Moves money into a job's escrow. */
  toEscrow(from: number, jobId: number, amount: Micros): void {
    if (amount === 0) return;
    this.transfer(from, ESCROW, amount);
    if (jobId >= this.escrow.length) {
      let n = this.escrow.length;
      while (n <= jobId) n *= 2;
      const e = new Float64Array(n);
      e.set(this.escrow);
      this.escrow = e;
    }
    if (this.escrow[jobId] === 0) this.escrowJobs++;
    this.escrow[jobId]! += amount;
  }

  /** Moves money out of a job's escrow; throws if the escrow would go negative (a mechanism bug). */
  fromEscrow(jobId: number, to: number, amount: Micros): void {
    if (amount === 0) return;
    const held = this.held(jobId);
    if (amount > held) throw new Error(`ledger: job ${jobId} escrow holds ${held} µUSD, cannot pay ${amount}`);
    this.transfer(ESCROW, to, amount);
    this.escrow[jobId] = held - amount;
    if (held === amount) this.escrowJobs--;
  }

  /** What a job's escrow holds. */
  held(jobId: number): Micros {
    return jobId < this.escrow.length ? this.escrow[jobId]! : 0;
  }

  balance(account: number): Micros {
    return this.balances[account] ?? 0;
  }

  /** Sum of all balances: always 0 in a correct ledger. */
  total(): number {
    let t = 0;
    for (let i = 0; i < this.balances.length; i++) t += this.balances[i]!;
    return t;
  }

  /** Sum of per-job escrows: always equal to the escrow account. */
  escrowTotal(): number {
    let t = 0;
    for (let i = 0; i < this.escrow.length; i++) t += this.escrow[i]!;
    return t;
  }

  /** Jobs that still hold escrow. */
  openEscrows(): number {
    return this.escrowJobs;
  }

  private ensure(account: number): void {
    const b = new Float64Array(Math.max(account + 1, this.balances.length * 2));
    b.set(this.balances);
    this.balances = b;
  }
}
