/**
 * A minimal shell for single-job tests of the reverse-dutch, sealed-bid and self-hosted
 * mechanisms: it feeds inputs to a mechanism, applies its money decisions to a tiny double-entry
 * book (with the same rules as the real ledger: escrow per job may never go negative), and checks
 * the lifecycle rules: exactly one `done`, then one `close`, collateral settled before `close`.
 */
import type { Decision, Input, InputDraft, Job, Mechanism, OperatorInfo, ProtocolState } from '../src/mechanisms/types.js';
import { job as baseJob } from './agents-helpers.js';

export const op = (id: number, gpus = 1): OperatorInfo => ({
  id,
  entity: id,
  capacity: { cpus: 16 * gpus, gpus, memoryGb: 64 * gpus },
  hardware: 'gpu',
});

/** The shared test job (100 Mcycles, 1 h deadline, $1 limit), with id 0 unless overridden. */
export const job = (over: Partial<Job> = {}): Job => baseJob({ id: 0, ...over });

/** A deterministic uniform stream (mulberry32) for mechanisms and Monte Carlo tests. */
export function rng(seed = 1): { next(): number } {
  let a = seed >>> 0;
  return {
    next(): number {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

export class Driver<S extends ProtocolState> {
  readonly state: S;
  /** Every decision so far, in order. */
  readonly log: Decision[] = [];
  readonly escrow = new Map<number, number>();
  readonly collateral = new Map<number, number>();
  /** Balances: `requester`, `burned`, `treasury`, `op<N>`. */
  readonly bal: Record<string, number> = { requester: 0, burned: 0, treasury: 0 };
  readonly done = new Map<number, Extract<Decision, { type: 'done' }>>();
  readonly closed = new Set<number>();
  refunded = 0;
  private readonly random = rng(7);
  private nextId = 0;

  constructor(
    readonly mech: Mechanism<S>,
    operators: readonly OperatorInfo[],
  ) {
    this.state = mech.init(operators);
  }

  private add(account: string, amount: number): void {
    this.bal[account] = (this.bal[account] ?? 0) + amount;
  }

  private take(jobId: number, amount: number): void {
    if (!(Number.isInteger(amount) && amount >= 0)) throw new Error(`bad amount ${amount}`);
    const held = this.escrow.get(jobId) ?? 0;
    if (amount > held) throw new Error(`job ${jobId}: escrow holds ${held}, cannot pay ${amount}`);
    this.escrow.set(jobId, held - amount);
  }

  /** Feeds one input at `now`; returns the decisions it produced. */
  step(draft: InputDraft, now: number): Decision[] {
    const out: Decision[] = [];
    this.mech.step(this.state, { ...draft, id: this.nextId++ } as Input, now, this.random, out);
    for (const d of out) this.apply(d);
    this.log.push(...out);
    return out;
  }

  /** Submits a job (escrowing its price limit, as the shell does). */
  submit(j: Job, now = j.submittedAt): Decision[] {
    this.escrow.set(j.id, j.maxPrice);
    this.add('requester', -j.maxPrice);
    return this.step({ type: 'submit', job: j }, now);
  }

  private apply(d: Decision): void {
    switch (d.type) {
      case 'settle':
        this.take(d.jobId, d.amount);
        this.add(`op${d.operator}`, d.amount);
        return;
      case 'refund':
        this.take(d.jobId, d.amount);
        this.add('requester', d.amount);
        this.refunded += d.amount;
        return;
      case 'burn':
        this.take(d.jobId, d.amount);
        this.add('burned', d.amount);
        return;
      case 'fee':
        this.take(d.jobId, d.amount);
        this.add('treasury', d.amount);
        return;
      case 'collateral':
        this.add(`op${d.operator}`, -d.amount);
        this.escrow.set(d.jobId, (this.escrow.get(d.jobId) ?? 0) + d.amount);
        this.collateral.set(d.jobId, (this.collateral.get(d.jobId) ?? 0) + d.amount);
        return;
      case 'release':
        this.take(d.jobId, d.amount);
        this.add(`op${d.operator}`, d.amount);
        this.collateral.set(d.jobId, (this.collateral.get(d.jobId) ?? 0) - d.amount);
        return;
      case 'slash':
        this.take(d.jobId, d.burn + d.reward + d.toTreasury);
        this.add('burned', d.burn);
        if (d.reward > 0) this.add(`op${d.toOperator}`, d.reward);
        this.add('treasury', d.toTreasury);
        this.collateral.set(d.jobId, (this.collateral.get(d.jobId) ?? 0) - (d.burn + d.reward + d.toTreasury));
        return;
      case 'done':
        if (this.done.has(d.jobId)) throw new Error(`job ${d.jobId} ended twice`);
        if (this.closed.has(d.jobId)) throw new Error(`job ${d.jobId} done after close`);
        this.done.set(d.jobId, d);
        return;
      case 'close': {
        if (!this.done.has(d.jobId)) throw new Error(`job ${d.jobId} closed before done`);
        if (this.closed.has(d.jobId)) throw new Error(`job ${d.jobId} closed twice`);
        if ((this.collateral.get(d.jobId) ?? 0) !== 0) throw new Error(`job ${d.jobId} closed with collateral in escrow`);
        this.closed.add(d.jobId);
        // The shell returns unused escrow to the requester.
        this.add('requester', this.escrow.get(d.jobId) ?? 0);
        this.escrow.set(d.jobId, 0);
        return;
      }
      default:
        return;
    }
  }

  /** Decisions of one type from the log. */
  of<T extends Decision['type']>(type: T): Extract<Decision, { type: T }>[] {
    return this.log.filter((d): d is Extract<Decision, { type: T }> => d.type === type);
  }

  /** The book balances to zero (money is conserved). */
  conserved(): boolean {
    let t = 0;
    for (const v of Object.values(this.bal)) t += v;
    for (const v of this.escrow.values()) t += v;
    return t === 0;
  }
}
