import type { MarketResult } from '../market/market.js';
import { OPERATOR0 } from '../market/ledger.js';

import type { Row } from '../output/csv.js';

export type { Row } from '../output/csv.js';

/** Identifies a run in every row. */
export interface RunKey {
  scenario: string;
  mechanism: string;
  mechanism_id: string;
  preset: string;
  seed: number;
}

const usd = (micros: number): number => Math.round(micros) / 1e6;

/** The summary columns, in order (the output contract, docs/outputs.md). */
export const SUMMARY_COLUMNS = [
  'scenario',
  'mechanism',
  'mechanism_id',
  'preset',
  'seed',
  'jobs_submitted',
  'jobs_delivered',
  'jobs_on_time',
  'jobs_failed',
  'jobs_expired',
  'jobs_rejected',
  'jobs_open_end',
  'liveness',
  'latency_mean_s',
  'latency_p50_s',
  'latency_p95_s',
  'latency_p99_s',
  'price_per_job_mean_usd',
  'price_per_mcycle_mean_usd',
  'price_cv',
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
  'capital_cost_usd',
  'fixed_cost_usd',
  'operator_full_profit_usd',
  'utilisation_mean',
  'total_surplus_usd',
  'allocative_efficiency',
  'hhi',
  'top1_share',
  'active_operators_end',
  'attacker_share_peak',
  'attack_cost_usd',
  'time_to_dominance_s',
  'price_ratio_after_before',
  'honest_exits',
  'events',
] as const;

/** One summary row for a finished market run. */
export function summaryRow(key: RunKey, r: MarketResult): Row {
  const m = r.metrics;
  const c = m.concentration();
  const ents = r.population.entities;
  let profit = 0;
  let attackerProfit = 0;
  let honestExits = 0;
  for (const e of ents) {
    const b = r.ledger.balance(OPERATOR0 + e.id);
    profit += b;
    if (e.view.attacker) attackerProfit += b;
    else if (e.exited) honestExits++;
  }
  const attack = m.attack();
  const hasAtt = m.hasAttackers();
  return {
    ...key,
    jobs_submitted: m.submitted,
    jobs_delivered: m.delivered,
    jobs_on_time: m.onTime,
    jobs_failed: m.failed,
    jobs_expired: m.expired,
    jobs_rejected: m.rejected,
    jobs_open_end: r.openJobs,
    liveness: m.submitted > 0 ? m.onTime / m.submitted : NaN,
    latency_mean_s: m.latency.mean(),
    latency_p50_s: m.latency.quantile(0.5),
    latency_p95_s: m.latency.quantile(0.95),
    latency_p99_s: m.latency.quantile(0.99),
    price_per_job_mean_usd: m.amortizedMicrosPerSecond > 0 ? m.amortized().perJob : m.pricePerJob.mean(),
    price_per_mcycle_mean_usd: m.amortizedMicrosPerSecond > 0 ? m.amortized().perMcycle : m.pricePerMcycle.mean(),
    price_cv: m.priceCv(),
    requester_cost_usd: usd(m.requesterPaid),
    compute_cost_usd: usd(m.compute),
    useful_compute_usd: usd(m.useful),
    wasted_compute_usd: usd(m.compute - m.useful),
    idle_cost_usd: usd(m.idle),
    operator_revenue_usd: usd(m.revenue),
    operator_profit_usd: usd(profit),
    protocol_revenue_usd: usd(m.protocol),
    burned_usd: usd(m.burned),
    refunded_usd: usd(m.refunded),
    slashed_usd: usd(m.slashed),
    emission_usd: usd(m.emission),
    verification_cost_usd: usd(m.verification),
    cloud_cost_usd: usd(m.cloud),
    capital_cost_usd: Math.round(m.capitalUsd * 1e6) / 1e6,
    fixed_cost_usd: Math.round(m.fixedUsd * 1e6) / 1e6,
    // Operators' profit after every cost: ledger profit minus capital and fixed costs per wall hour.
    operator_full_profit_usd: Math.round((profit / 1e6 - m.capitalUsd - m.fixedUsd) * 1e6) / 1e6,
    utilisation_mean: m.nodeSeconds > 0 ? m.busySeconds / m.nodeSeconds : NaN,
    // Value of the proofs delivered on time minus all compute spent (wasted work included); over the bound of metrics.bestSurplusUsd.
    total_surplus_usd: Math.round((m.valueDeliveredUsd - m.compute / 1e6) * 1e6) / 1e6,
    allocative_efficiency: m.bestSurplusUsd > 0 ? (m.valueDeliveredUsd - m.compute / 1e6) / m.bestSurplusUsd : NaN,
    hhi: c.hhi,
    top1_share: c.top1,
    active_operators_end: ents.filter((e) => e.active).length,
    attacker_share_peak: attack.peak,
    // The attackers' deepest cumulative loss (at a window boundary or at the end): what the attack cost before any recoupment.
    attack_cost_usd: hasAtt ? usd(Math.max(0, -attackerProfit, m.attackerLossPeak)) : NaN,
    time_to_dominance_s: attack.ttd,
    price_ratio_after_before: attack.ratio,
    honest_exits: honestExits,
    events: r.events,
  };
}

/** Time-series rows (one per window). */
export function timeseriesRows(key: RunKey, r: MarketResult): Row[] {
  return r.metrics.windows.map((w) => ({ scenario: key.scenario, mechanism: key.mechanism, seed: key.seed, ...w }));
}

/** Market-share rows: the five largest entities overall plus `others`, per window. */
export function sharesRows(key: RunKey, r: MarketResult): Row[] {
  const m = r.metrics;
  const top = m.topEntities(5);
  const names = r.population.entities.map((e) => e.view.name);
  const rows: Row[] = [];
  m.windows.forEach((w, i) => {
    const work = m.windowWork[i]!;
    let total = 0;
    for (let e = 0; e < work.length; e++) total += work[e]!;
    let rest = total;
    for (const e of top) {
      rows.push({
        scenario: key.scenario,
        mechanism: key.mechanism,
        seed: key.seed,
        window: w.window,
        t_start_s: w.t_start_s,
        entity: names[e]!,
        share: total > 0 ? work[e]! / total : 0,
      });
      rest -= work[e]!;
    }
    rows.push({
      scenario: key.scenario,
      mechanism: key.mechanism,
      seed: key.seed,
      window: w.window,
      t_start_s: w.t_start_s,
      entity: 'others',
      share: total > 0 ? Math.max(0, rest) / total : 0,
    });
  });
  return rows;
}

/** Latency quantile rows (0.01 ... 1.00) for CDF charts. */
export function latencyRows(key: RunKey, r: MarketResult): Row[] {
  const h = r.metrics.latency;
  if (h.count === 0) return [];
  const rows: Row[] = [];
  for (let i = 1; i <= 100; i++) {
    rows.push({ scenario: key.scenario, mechanism: key.mechanism, seed: key.seed, quantile: i / 100, latency_s: h.quantile(i / 100) });
  }
  return rows;
}
