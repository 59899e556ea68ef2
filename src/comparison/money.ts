import { cell } from '../output/csv.js';
import type { Row } from './rows.js';

/**
 * Summary columns that hold an exact amount of money: integer µUSD in the ledger, divided by 1e6 for
 * the row. They are written with all six decimals, so that totals of any size keep their last
 * micro-dollar and the ledger's identities can be checked from summary.csv alone. Means and
 * ratios (price per job, price per Mcycle) are not exact amounts and keep the usual format.
 */
export const MONEY_COLUMNS: ReadonlySet<string> = new Set([
  'requester_cost_usd',
  'compute_cost_usd',
  'useful_compute_usd',
  'wasted_compute_usd',
  'idle_cost_usd',
  'operator_revenue_usd',
  'operator_profit_usd',
  'protocol_revenue_usd',
  'burned_usd',
  'refunded_usd',
  'slashed_usd',
  'emission_usd',
  'verification_cost_usd',
  'cloud_cost_usd',
  'attack_cost_usd',
]);

/**
 * An amount in USD (a whole number of µUSD divided by 1e6) as a decimal with six places:
 * `1234567.000001`, `-0.250000`. Exact up to 2^50 µUSD (about $1.1 billion): beyond, the row's
 * float (µUSD / 1e6) no longer maps back to one whole µUSD.
 */
export function usdExact(v: number): string {
  if (!Number.isFinite(v)) return '';
  const micros = Math.round(v * 1e6);
  const abs = Math.abs(micros);
  const whole = Math.floor(abs / 1e6);
  const frac = abs - whole * 1e6;
  return `${micros < 0 ? '-' : ''}${whole}.${String(frac).padStart(6, '0')}`;
}

/** A summary cell: exact money for {@link MONEY_COLUMNS}, the usual format otherwise. */
export function summaryCell(column: string, v: unknown): string {
  return MONEY_COLUMNS.has(column) && typeof v === 'number' ? usdExact(v) : cell(v);
}

/** One summary row as JSON text: like jsonRow, but money as exact six-decimal number tokens. */
export function summaryJsonRow(r: Row, indent: string): string {
  const parts = Object.entries(r).map(([k, v]) => {
    let text: string;
    if (typeof v === 'number') text = !Number.isFinite(v) ? 'null' : MONEY_COLUMNS.has(k) ? usdExact(v) : cell(v);
    else text = JSON.stringify(v);
    return `${indent}  ${JSON.stringify(k)}: ${text}`;
  });
  return `${indent}{\n${parts.join(',\n')}\n${indent}}`;
}
