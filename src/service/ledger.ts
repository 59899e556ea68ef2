import type { Decision } from './core-adapter.js';

/** A ledger account: `requester:<n>`, `escrow:<job>`, `operator:<node>`, `stake:<node>`, `treasury`, `burned`, `emission`, `deposits`. */
export type Account = string;

/** What the ledger knows about one job's money. */
export interface Settlement {
  escrowed: number;
  paid: Record<string, number>;
  refunded: number;
  fees: number;
  burned: number;
  collateral: number;
  released: number;
  returned: number;
  closed: boolean;
}

/**
 * The coordinator's double-entry ledger in integer micro-USD. It carries out the core's money
 * decisions exactly as the simulator's shell does: the job's price limit is escrowed at submission,
 * `settle`/`refund`/`burn`/`fee`/`collateral`/`release`/`slash` move money out of (or into) the
 * job's escrow, and `close` returns what is left to the requester. Balances always sum to zero.
 */
export class ServiceLedger {
  private readonly balances = new Map<Account, number>();
  private readonly jobs = new Map<number, Settlement>();
  private readonly requesterOf = new Map<number, number>();

  /** Escrows a job's price limit from its requester. */
  submit(jobId: number, requester: number, maxPrice: number): void {
    this.requesterOf.set(jobId, requester);
    this.jobs.set(jobId, {
      escrowed: maxPrice,
      paid: {},
      refunded: 0,
      fees: 0,
      burned: 0,
      collateral: 0,
      released: 0,
      returned: 0,
      closed: false,
    });
    this.move(`requester:${requester}`, `escrow:${jobId}`, maxPrice);
  }

  /** Records an operator's stake (deposited from outside the market). */
  stake(operator: number, amount: number): void {
    this.move('deposits', `stake:${operator}`, amount);
  }

  /** Carries out one decision (non-money decisions are ignored). */
  apply(d: Decision): void {
    const esc = 'jobId' in d ? `escrow:${d.jobId}` : '';
    const st = 'jobId' in d ? this.jobs.get(d.jobId) : undefined;
    switch (d.type) {
      case 'settle':
        this.move(d.source === 'emission' ? 'emission' : esc, `operator:${d.operator}`, d.amount);
        if (st) st.paid[d.operator] = (st.paid[d.operator] ?? 0) + d.amount;
        return;
      case 'refund':
        this.move(esc, this.requester(d.jobId), d.amount);
        if (st) st.refunded += d.amount;
        return;
      case 'burn':
        this.move(esc, 'burned', d.amount);
        if (st) st.burned += d.amount;
        return;
      case 'fee':
        this.move(esc, 'treasury', d.amount);
        if (st) st.fees += d.amount;
        return;
      case 'collateral':
        this.move(`operator:${d.operator}`, esc, d.amount);
        if (st) st.collateral += d.amount;
        return;
      case 'release':
        this.move(esc, `operator:${d.operator}`, d.amount);
        if (st) st.released += d.amount;
        return;
      case 'slash':
        this.move(esc, 'burned', d.burn);
        // As in the simulator's shell: a reward with no recipient stays in escrow (returned at close).
        if (d.toOperator >= 0) this.move(esc, `operator:${d.toOperator}`, d.reward);
        this.move(esc, 'treasury', d.toTreasury);
        if (st) {
          st.burned += d.burn;
          st.fees += d.toTreasury;
        }
        return;
      case 'close': {
        const left = this.balance(esc);
        if (left > 0) this.move(esc, this.requester(d.jobId), left);
        if (st) {
          st.returned = left;
          st.closed = true;
        }
        return;
      }
      default:
        return;
    }
  }

  balance(a: Account): number {
    return this.balances.get(a) ?? 0;
  }

  settlement(jobId: number): Settlement | undefined {
    return this.jobs.get(jobId);
  }

  /** Every non-zero balance, by account name (sorted, so the output is stable). */
  accounts(): Record<Account, number> {
    const out: Record<Account, number> = {};
    for (const k of [...this.balances.keys()].sort()) if (this.balances.get(k) !== 0) out[k] = this.balances.get(k)!;
    return out;
  }

  /**
   * The reconciliation: balances sum to zero, no escrow is negative, closed jobs hold nothing, and
   * money paid in by requesters equals operator income + treasury + burned (emission aside).
   */
  reconcile(): { ok: boolean; sum: number; escrow_held: number; problems: string[] } {
    let sum = 0;
    let held = 0;
    const problems: string[] = [];
    for (const [k, v] of this.balances) {
      sum += v;
      if (k.startsWith('escrow:')) {
        held += v;
        if (v < 0) problems.push(`${k} is negative (${v})`);
        const st = this.jobs.get(Number(k.slice(7)));
        if (st?.closed && v !== 0) problems.push(`${k} holds ${v} after close`);
      }
    }
    if (sum !== 0) problems.push(`balances sum to ${sum}, not 0`);
    return { ok: problems.length === 0, sum, escrow_held: held, problems };
  }

  private requester(jobId: number): Account {
    return `requester:${this.requesterOf.get(jobId) ?? 0}`;
  }

  private move(from: Account, to: Account, amount: number): void {
    if (amount === 0) return;
    if (!Number.isInteger(amount) || amount < 0) throw new Error(`ledger: bad amount ${amount} from ${from} to ${to}`);
    this.set(from, this.balance(from) - amount);
    this.set(to, this.balance(to) + amount);
  }

  /** Empty escrow accounts are dropped, so reads stay proportional to the open jobs. */
  private set(a: Account, v: number): void {
    if (v === 0 && a.startsWith('escrow:')) this.balances.delete(a);
    else this.balances.set(a, v);
  }
}
