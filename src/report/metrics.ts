/** Display names, units and formats of the summary columns (docs/outputs.md). */
import { fmtDuration, fmtNumber, fmtPct, fmtUsd } from './format.js';

/** How a metric is shown. */
export interface MetricInfo {
  /** Short name for axes and tables, without unit. */
  readonly label: string;
  /** Unit shown in axis labels ("%", "USD", "s"), empty if none. */
  readonly unit: string;
  /** Values are 0–1 fractions shown as percentages. */
  readonly percent: boolean;
  /** Formats one value for text. */
  readonly fmt: (x: number | null) => string;
  /** Higher is better (for headlines); `null` when neither. */
  readonly higherIsBetter: boolean | null;
  /**
   * The values the metric can take, [lo, hi] (default [0, 1] for percentages, [0, ∞) for counts,
   * costs, durations and CVs, unbounded for profits and unknown columns): CI bands are clipped to it.
   */
  readonly bounds?: readonly [number, number];
}

const pct = (x: number | null) => fmtPct(x);
const usd = (x: number | null) => fmtUsd(x);
const plain = (x: number | null) => fmtNumber(x);

const KNOWN: Record<string, MetricInfo> = {
  liveness: { label: 'liveness', unit: '% on time', percent: true, fmt: pct, higherIsBetter: true },
  price_per_job_mean_usd: { label: 'price per job', unit: 'USD', percent: false, fmt: usd, higherIsBetter: false },
  price_per_mcycle_mean_usd: { label: 'price per Mcycle', unit: 'USD/Mcycle', percent: false, fmt: usd, higherIsBetter: false },
  price_cv: { label: 'price CV', unit: '', percent: false, fmt: (x) => (x === null ? 'n/a' : x.toFixed(3)), higherIsBetter: false },
  requester_cost_usd: { label: 'requester cost', unit: 'USD', percent: false, fmt: usd, higherIsBetter: false },
  total_cost_usd: { label: 'total cost of proving', unit: 'USD', percent: false, fmt: usd, higherIsBetter: false },
  total_cost_per_job_usd: { label: 'total cost per job', unit: 'USD', percent: false, fmt: usd, higherIsBetter: false },
  requester_cost_per_job_usd: { label: 'requester cost per job', unit: 'USD', percent: false, fmt: usd, higherIsBetter: false },
  emission_per_job_usd: { label: 'emission per job', unit: 'USD', percent: false, fmt: usd, higherIsBetter: false },
  emission_usd: { label: 'emission', unit: 'USD', percent: false, fmt: usd, higherIsBetter: false },
  verification_cost_usd: { label: 'verification cost', unit: 'USD', percent: false, fmt: usd, higherIsBetter: false },
  liveness_shortfall: { label: 'not on time', unit: '%', percent: true, fmt: pct, higherIsBetter: false },
  compute_cost_usd: { label: 'compute cost', unit: 'USD', percent: false, fmt: usd, higherIsBetter: false },
  useful_compute_usd: { label: 'useful compute', unit: 'USD', percent: false, fmt: usd, higherIsBetter: null },
  wasted_compute_usd: { label: 'wasted compute', unit: 'USD', percent: false, fmt: usd, higherIsBetter: false },
  idle_cost_usd: { label: 'idle hours', unit: 'USD', percent: false, fmt: usd, higherIsBetter: false },
  operator_revenue_usd: { label: 'operator revenue', unit: 'USD', percent: false, fmt: usd, higherIsBetter: null },
  operator_profit_usd: {
    label: 'operator profit',
    unit: 'USD',
    percent: false,
    fmt: usd,
    higherIsBetter: null,
    bounds: [-Infinity, Infinity],
  },
  protocol_revenue_usd: { label: 'protocol revenue', unit: 'USD', percent: false, fmt: usd, higherIsBetter: null },
  burned_usd: { label: 'burned', unit: 'USD', percent: false, fmt: usd, higherIsBetter: null },
  latency_mean_s: { label: 'mean latency', unit: 's', percent: false, fmt: fmtDuration, higherIsBetter: false },
  latency_p50_s: { label: 'median latency', unit: 's', percent: false, fmt: fmtDuration, higherIsBetter: false },
  latency_p95_s: { label: 'p95 latency', unit: 's', percent: false, fmt: fmtDuration, higherIsBetter: false },
  latency_p99_s: { label: 'p99 latency', unit: 's', percent: false, fmt: fmtDuration, higherIsBetter: false },
  hhi: { label: 'HHI', unit: '0–10,000', percent: false, fmt: (x) => fmtNumber(x), higherIsBetter: false, bounds: [0, 10000] },
  top1_share: { label: 'top-1 share', unit: '%', percent: true, fmt: pct, higherIsBetter: false },
  attacker_share_peak: { label: 'attacker peak share', unit: '%', percent: true, fmt: pct, higherIsBetter: false },
  attack_cost_usd: { label: 'attack cost', unit: 'USD', percent: false, fmt: usd, higherIsBetter: true },
  time_to_dominance_s: { label: 'time to dominance', unit: 's', percent: false, fmt: fmtDuration, higherIsBetter: true },
  active_operators_end: { label: 'active operators at end', unit: 'entities', percent: false, fmt: plain, higherIsBetter: true },
  honest_exits: { label: 'honest exits', unit: 'entities', percent: false, fmt: plain, higherIsBetter: false },
};

/** Display information for a summary column; unknown columns get a unit from their suffix. */
export function metricInfo(column: string): MetricInfo {
  const k = KNOWN[column];
  if (k) return k;
  const base = column.replace(/_(usd|s)$/, '').replace(/_/g, ' ');
  if (column.endsWith('_usd')) return { label: base, unit: 'USD', percent: false, fmt: usd, higherIsBetter: null };
  if (column.endsWith('_s')) return { label: base, unit: 's', percent: false, fmt: fmtDuration, higherIsBetter: null };
  return { label: base, unit: '', percent: false, fmt: plain, higherIsBetter: null };
}

/** The range a metric's values (and so its CI bands) can take. */
export function metricBounds(column: string): readonly [number, number] {
  const info = metricInfo(column);
  if (info.bounds) return info.bounds;
  if (info.percent) return [0, 1];
  if (KNOWN[column] || /_(usd|s)$/.test(column) || /^(jobs_|events$)/.test(column))
    return column.includes('profit') ? [-Infinity, Infinity] : [0, Infinity];
  return [-Infinity, Infinity];
}

/** Axis label "label (unit)". */
export function axisLabel(info: MetricInfo): string {
  return info.unit ? `${info.label} (${info.unit})` : info.label;
}

/** Prose names of the built-in mechanisms, used when a mechanism's label is its id. */
const PROSE: Record<string, string> = {
  random: 'random allocation',
  race: 'the proving race',
  'order-book': 'the order book',
  'reverse-dutch': 'the reverse Dutch auction',
  'sealed-bid': 'the sealed-bid auction',
  'self-hosted': 'self-hosting',
};

/** A mechanism's name for running text ("the order book" for `order-book`). */
export function proseName(label: string): string {
  const known = PROSE[label];
  if (known) return known;
  // `id:preset`, the default label of a preset
  const i = label.indexOf(':');
  if (i > 0 && PROSE[label.slice(0, i)] && label.length > i + 1) return `${PROSE[label.slice(0, i)]} (${label.slice(i + 1)} preset)`;
  return label;
}

/** Upper-cases the first letter. */
export function capitalize(s: string): string {
  return s.length === 0 ? s : s[0].toUpperCase() + s.slice(1);
}
