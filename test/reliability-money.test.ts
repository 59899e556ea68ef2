import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { usdExact } from '../src/comparison/money.js';
import { pmsim } from './cli.js';

/** A six-decimal USD cell as exact integer µUSD (BigInt: no float ever touches the sums). */
function micros(cell: string): bigint {
  const m = /^(-?)(\d+)\.(\d{6})$/.exec(cell);
  if (!m) throw new Error(`not an exact money cell: "${cell}"`);
  const v = BigInt(m[2]!) * 1_000_000n + BigInt(m[3]!);
  return m[1] ? -v : v;
}

describe('money is exact in summary.csv', () => {
  it('prints integer µUSD as a decimal with six places', () => {
    expect(usdExact(12345678.901234)).toBe('12345678.901234');
    expect(usdExact(0.000001)).toBe('0.000001');
    expect(usdExact(-2.5)).toBe('-2.500000');
    // Every whole number of µUSD up to 2^50 (about $1.1 billion), divided by 1e6 as the rows do, prints back exactly.
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 50n), max: 2n ** 50n }), (m) => {
        const abs = m < 0n ? -m : m;
        expect(usdExact(Number(m) / 1e6)).toBe(`${m < 0n ? '-' : ''}${abs / 1_000_000n}.${String(abs % 1_000_000n).padStart(6, '0')}`);
      }),
      { numRuns: 5000, seed: 18 },
    );
    expect(usdExact(0)).toBe('0.000000');
  });

  it('the ledger identities recomputed from summary.csv alone hold to the micro-dollar, for every mechanism, on totals over $1,000,000', () => {
    const out = mkdtempSync(join(tmpdir(), 'pmsim-million-'));
    const r = pmsim(['run', 'test/fixtures/reliability/million.yaml', '--out', out, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const [head, ...rows] = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
    const cols = head!.split(',');
    expect(rows.length).toBe(9);
    for (const line of rows) {
      const cells = line.split(',');
      const get = (c: string) => cells[cols.indexOf(c)]!;
      const $ = (c: string) => micros(get(c));
      const n = (c: string) => Number(get(c));
      const what = get('mechanism');
      expect($('requester_cost_usd'), what).toBeGreaterThan(1_000_000n * 1_000_000n);
      expect(n('jobs_open_end'), what).toBe(0);
      // Where the requesters' money went: operators (less minted rewards and slash rewards, which
      // are not theirs to pay), the protocol and the burn (less slashed collateral, which operators
      // paid); a dedicated cluster's rent is compute plus idle time.
      const selfHosted = get('mechanism_id') === 'self-hosted';
      const paidOut = $('operator_revenue_usd') - $('emission_usd') + $('protocol_revenue_usd') + $('burned_usd') - $('slashed_usd');
      expect($('requester_cost_usd'), what).toBe(selfHosted ? $('compute_cost_usd') + $('idle_cost_usd') : paidOut);
      // Operators keep what they earned less their compute and lost collateral.
      expect($('operator_profit_usd'), what).toBe(selfHosted ? 0n : $('operator_revenue_usd') - $('compute_cost_usd') - $('slashed_usd'));
      expect($('compute_cost_usd'), what).toBe($('useful_compute_usd') + $('wasted_compute_usd'));
      expect(n('jobs_delivered') + n('jobs_failed') + n('jobs_expired') + n('jobs_rejected'), what).toBe(n('jobs_submitted'));
    }
    const slashedSomewhere = rows.some((l) => micros(l.split(',')[cols.indexOf('slashed_usd')]!) > 0n);
    expect(slashedSomewhere).toBe(true);
  });
});
