import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvParse } from 'd3';
import { describe, expect, it } from 'vitest';
import { pmsim } from './cli.js';

// The default scenario under all six mechanisms, one week: timeseries.csv must tell the same story
// as summary.csv. Jobs delivered while in-flight work drains after the last window are in the
// summary only; they are a few in 7,686, hence the 0.5% tolerance.
describe('timeseries.csv per-window prices agree with summary.csv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pmsim-winprice-'));
  const r = pmsim(['run', 'scenarios/default.yaml', '--out', dir, '--jobs', '--quiet']);
  const summary = () => csvParse(readFileSync(join(dir, 'summary.csv'), 'utf8'));
  const series = () => csvParse(readFileSync(join(dir, 'timeseries.csv'), 'utf8'));

  it('runs', () => expect(r.status, r.stderr).toBe(0));

  it('for every mechanism, the delivered-jobs-weighted mean of window prices is the summary mean (markets), and the Mcycle-weighted mean is the amortized rent price (self-hosted)', () => {
    const ts = series();
    const jobs = csvParse(readFileSync(join(dir, 'jobs.csv'), 'utf8')).filter((j) => j.outcome === 'delivered');
    const rows = summary();
    expect(rows.length).toBe(6);
    for (const s of rows) {
      const m = s.mechanism!;
      const mine = ts.filter((w) => w.mechanism === m && w.price_per_mcycle_mean_usd !== '');
      expect(mine.length, m).toBeGreaterThan(0);
      let num = 0;
      let den = 0;
      if (s.mechanism_id === 'self-hosted') {
        // Paid by time: each window's price is its rent over the Mcycles it delivered.
        const width = Number(ts[1]!.t_start_s) - Number(ts[0]!.t_start_s);
        for (const w of mine) {
          const t0 = Number(w.t_start_s);
          const mc = jobs
            .filter((j) => j.mechanism === m && Number(j.ended_s) >= t0 && Number(j.ended_s) < t0 + width)
            .reduce((a, j) => a + Number(j.mcycles), 0);
          num += mc * Number(w.price_per_mcycle_mean_usd);
          den += mc;
        }
      } else {
        for (const w of mine) {
          num += Number(w.jobs_delivered) * Number(w.price_per_mcycle_mean_usd);
          den += Number(w.jobs_delivered);
        }
      }
      const want = Number(s.price_per_mcycle_mean_usd);
      expect(want, m).toBeGreaterThan(0);
      expect(Math.abs(num / den - want) / want, `${m}: windows ${num / den} vs summary ${want}`).toBeLessThan(0.005);
    }
  });

  it('no window that delivered work shows a price of 0 when the summary price is positive', () => {
    const ts = series();
    for (const s of summary()) {
      const zero = ts.filter(
        (w) => w.mechanism === s.mechanism && Number(w.jobs_delivered) > 0 && Number(w.price_per_mcycle_mean_usd) === 0,
      );
      expect(zero.length, String(s.mechanism)).toBe(0);
    }
  });

  it("price_cv is the population CV of the time series' window prices, for every mechanism", () => {
    const ts = series();
    for (const s of summary()) {
      const ps = ts
        .filter((w) => w.mechanism === s.mechanism && w.price_per_mcycle_mean_usd !== '')
        .map((w) => Number(w.price_per_mcycle_mean_usd));
      const mean = ps.reduce((a, b) => a + b, 0) / ps.length;
      const sd = Math.sqrt(ps.reduce((a, b) => a + (b - mean) ** 2, 0) / ps.length);
      expect(sd / mean, String(s.mechanism)).toBeCloseTo(Number(s.price_cv), 6);
    }
  });
});
