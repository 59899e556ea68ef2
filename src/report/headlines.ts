/**
 * Headlines written from the data: best and worst mechanisms on liveness, cost, predictability,
 * latency and, when there is an attacker, concentration. Nothing here is fixed text about results.
 */
import { costMetricOf, withTotalCost } from './charts/comparison.js';
import { fixedText, sweepSlice, shortParam } from './charts/sweep-lines.js';
import { fmtDuration, fmtInt, fmtNumber, fmtPct, fmtUsd } from './format.js';
import { capitalize, proseName } from './metrics.js';
import { distinct, groupBy, hasValues, mechanismOrder, num, str, values, type Row } from './rows.js';
import { estimate, type Estimate } from './stats.js';

/** A mechanism's estimate of one metric. */
interface MechEst {
  readonly name: string;
  readonly e: Estimate;
}

function estimates(summary: readonly Row[], column: string, order: readonly string[]): MechEst[] {
  const by = groupBy(summary, 'mechanism');
  const out: MechEst[] = [];
  for (const name of order) {
    const e = estimate(values(by.get(name) ?? [], column));
    if (e) out.push({ name, e });
  }
  return out;
}

/** Best and worst by mean (first in order wins ties). */
function extremes(xs: readonly MechEst[], higherIsBetter: boolean): { best: MechEst; worst: MechEst } | null {
  if (xs.length === 0) return null;
  let best = xs[0];
  let worst = xs[0];
  for (const x of xs) {
    if (higherIsBetter ? x.e.mean > best.e.mean : x.e.mean < best.e.mean) best = x;
    if (higherIsBetter ? x.e.mean < worst.e.mean : x.e.mean > worst.e.mean) worst = x;
  }
  return { best, worst };
}

function overlap(a: Estimate, b: Estimate): boolean {
  return a.n >= 2 && b.n >= 2 && a.lo <= b.hi && b.lo <= a.hi;
}

const P = (name: string) => proseName(name);
const C = (name: string) => capitalize(proseName(name));

/** Headlines for a run's summary rows (one or more mechanisms, one or more seeds). */
export function runHeadlines(summaryIn: readonly Row[], opts: { mechanisms?: readonly string[] } = {}): string[] {
  // Emission is a cost too (someone pays for minted rewards): costs are requester + emission.
  const summary = withTotalCost(summaryIn);
  const order = mechanismOrder(summary, opts.mechanisms);
  if (order.length === 0) return ['The results hold no rows.'];
  const out: string[] = [];
  const live = estimates(summary, 'liveness', order);
  const costCol = costMetricOf(summary);
  const perJob = costCol === 'price_per_job_mean_usd' || costCol === 'total_cost_per_job_usd';
  const total = costCol === 'total_cost_per_job_usd';
  const cost = estimates(summary, costCol, order);
  const cv = estimates(summary, 'price_cv', order);
  const p95 = estimates(summary, 'latency_p95_s', order);
  const seeds = distinct(summary, 'seed').filter((s) => s !== '');

  if (order.length === 1) {
    const name = order[0];
    const l = live[0];
    const submitted = estimate(values(summary, 'jobs_submitted'));
    const parts: string[] = [];
    if (l) parts.push(`${C(name)} delivered ${fmtPct(l.e.mean)} of ${submitted ? fmtInt(submitted.mean) : 'the'} submitted jobs on time`);
    else parts.push(`${C(name)} reported no liveness`);
    if (cost[0])
      parts.push(
        total
          ? `at a total cost of proving of ${fmtUsd(cost[0].e.mean)} per delivered job`
          : perJob
            ? `at ${fmtUsd(cost[0].e.mean)} per delivered job on average`
            : `for a total requester cost of ${fmtUsd(cost[0].e.mean)}`,
      );
    out.push(`${parts.join(', ')}.`);
    const extra: string[] = [];
    if (p95[0]) extra.push(`95% of delivered jobs were proved within ${fmtDuration(p95[0].e.mean)}`);
    if (cv[0]) extra.push(`the price per Mcycle varied with a coefficient of variation of ${cv[0].e.mean.toFixed(3)} across windows`);
    if (extra.length) out.push(`${capitalize(extra.join('; '))}.`);
  } else {
    const le = extremes(live, true);
    if (le) {
      if (le.best.e.mean - le.worst.e.mean < 0.0005)
        out.push(`All ${live.length} mechanisms delivered ${fmtPct(le.best.e.mean)} of jobs on time.`);
      else {
        const note = overlap(le.best.e, le.worst.e) ? ' (their 95% confidence intervals overlap)' : '';
        out.push(
          `${C(le.best.name)} delivered ${fmtPct(le.best.e.mean)} of jobs on time vs ${fmtPct(le.worst.e.mean)} for ${P(le.worst.name)}${note}.`,
        );
      }
    }
    const ce = extremes(cost, false);
    if (ce && ce.best.name !== ce.worst.name) {
      const ratio = ce.best.e.mean > 0 ? ce.worst.e.mean / ce.best.e.mean : null;
      const what = perJob ? 'per job' : 'in total';
      const times = ratio !== null && ratio >= 1.05 ? ` (${fmtNumber(ratio, 2)}× as much)` : '';
      const basis = total ? ' (total cost of proving: requester payments plus protocol emission)' : '';
      out.push(
        `${C(ce.best.name)} was the cheapest at ${fmtUsd(ce.best.e.mean)} ${what}${basis}; ${P(ce.worst.name)} cost the most at ${fmtUsd(ce.worst.e.mean)}${times}.`,
      );
    }
    out.push(...emissionHeadlines(summary, order));
    const ve = extremes(cv, false);
    if (ve && ve.best.name !== ve.worst.name && ve.worst.e.mean < ve.best.e.mean * 1.25 + 0.005) {
      out.push(
        `Prices were about equally steady under ${cv.length === 2 ? 'both mechanisms' : 'every mechanism'} (price CV ${ve.best.e.mean.toFixed(3)} to ${ve.worst.e.mean.toFixed(3)}).`,
      );
    } else if (ve && ve.best.name !== ve.worst.name) {
      // Self-hosting pays a fixed rent: its price per Mcycle moves with how much work each window brought.
      const rent = summary.some((r) => str(r, 'mechanism') === ve.worst.name && str(r, 'mechanism_id') === 'self-hosted')
        ? ': a fixed rent spread over more or less work per window'
        : '';
      out.push(
        `Prices were steadiest under ${P(ve.best.name)} (price CV ${ve.best.e.mean.toFixed(3)}) and most volatile under ${P(ve.worst.name)} (${ve.worst.e.mean.toFixed(3)}${rent}).`,
      );
    }
    const pe = extremes(p95, false);
    if (pe && pe.best.name !== pe.worst.name) {
      out.push(
        `95% of delivered jobs were proved within ${fmtDuration(pe.best.e.mean)} under ${P(pe.best.name)}, against ${fmtDuration(pe.worst.e.mean)} under ${P(pe.worst.name)}.`,
      );
    }
    const waste = order
      .map((name) => {
        const rows = summary.filter((r) => str(r, 'mechanism') === name);
        const w = estimate(values(rows, 'wasted_compute_usd'));
        const c = estimate(values(rows, 'compute_cost_usd'));
        return w && c && c.mean > 0 ? { name, share: w.mean / c.mean } : null;
      })
      .filter((x): x is { name: string; share: number } => x !== null)
      .sort((a, b) => b.share - a.share);
    if (waste.length >= 2 && waste[0].share >= 0.05) {
      out.push(
        `${C(waste[0].name)} wasted the largest part of its compute: ${fmtPct(waste[0].share)}, against ${fmtPct(waste[waste.length - 1].share)} for ${P(waste[waste.length - 1].name)}.`,
      );
    }
  }

  if (hasValues(summary, 'attacker_share_peak')) {
    const att = estimates(summary, 'attacker_share_peak', order);
    const ae = extremes(att, false);
    if (ae) {
      out.push(
        ae.best.name === ae.worst.name
          ? `The attackers' share of delivered work peaked at ${fmtPct(ae.worst.e.mean)}.`
          : `The attackers' share of delivered work peaked at ${fmtPct(ae.worst.e.mean)} under ${P(ae.worst.name)} but only ${fmtPct(ae.best.e.mean)} under ${P(ae.best.name)}.`,
      );
    }
    const dom = estimates(summary, 'time_to_dominance_s', order);
    const runsOf = (m: string) => summary.filter((r) => str(r, 'mechanism') === m).length;
    const reached = dom.map((d) => {
      const when = d.e.mean === 0 ? 'from the first window' : `after ${fmtDuration(d.e.mean)}${d.e.n > 1 ? ' on average' : ''}`;
      const some = d.e.n < runsOf(d.name) ? `, in ${d.e.n} of ${runsOf(d.name)} runs` : '';
      return `${P(d.name)} (${when}${some})`;
    });
    const never = order.filter((m) => !dom.some((d) => d.name === m)).map(P);
    if (reached.length)
      out.push(`They reached their target share under ${joinList(reached)}${never.length ? `, never under ${joinList(never)}` : ''}.`);
    else out.push(`They never reached their target share.`);
  }
  if (seeds.length >= 2) out.push(`Figures are means over ${seeds.length} seeds.`);
  return out;
}

/** Headlines for a sweep: how the first grid parameter moves liveness and cost. */
export function sweepHeadlines(
  aggregate: readonly Row[],
  opts: { mechanisms?: readonly string[]; gridColumns?: readonly string[] } = {},
): string[] {
  const { param, fixed, rows } = sweepSlice(aggregate, { gridColumns: opts.gridColumns });
  const order = mechanismOrder(rows, opts.mechanisms);
  if (rows.length === 0 || order.length === 0) return ['The sweep holds no aggregated rows.'];
  if (!param) return ['The sweep has no grid parameter.'];
  const out: string[] = [];
  const short = shortParam(param);
  const xs = distinct(rows, param);
  const numeric = xs.every((v) => v.trim() !== '' && Number.isFinite(Number(v)));
  const sorted = numeric ? [...xs].sort((a, b) => Number(a) - Number(b)) : xs;
  const at = (m: string, x: string, col: string) => {
    const r = rows.find((row) => str(row, 'mechanism') === m && str(row, param) === x);
    return r ? num(r, `${col}_mean`) : null;
  };
  const fixedTxt = fixedText(aggregate, fixed);
  const x0 = sorted[0];
  const x1 = sorted[sorted.length - 1];

  if (order.length >= 2) {
    for (const x of x0 === x1 ? [x0] : [x0, x1]) {
      const ls = order.map((m) => ({ m, v: at(m, x, 'liveness') })).filter((p): p is { m: string; v: number } => p.v !== null);
      if (ls.length < 2) continue;
      const best = ls.reduce((a, b) => (b.v > a.v ? b : a));
      const worst = ls.reduce((a, b) => (b.v < a.v ? b : a));
      if (best.v - worst.v < 0.0005) out.push(`At ${short} = ${x}, every mechanism delivered ${fmtPct(best.v)} on time.`);
      else out.push(`At ${short} = ${x}, ${P(best.m)} delivered ${fmtPct(best.v)} on time vs ${fmtPct(worst.v)} for ${P(worst.m)}.`);
    }
  }
  if (x0 !== x1) {
    const changes = order
      .map((m) => ({ m, a: at(m, x0, 'liveness'), b: at(m, x1, 'liveness') }))
      .filter((c): c is { m: string; a: number; b: number } => c.a !== null && c.b !== null)
      .sort((p, q) => Math.abs(q.b - q.a) - Math.abs(p.b - p.a));
    if (changes.length) {
      const c = changes[0];
      const lead = order.length >= 2 ? `${short} moved liveness most under ${P(c.m)}` : `Under ${P(c.m)}, liveness`;
      out.push(
        `${capitalize(lead)}${order.length >= 2 ? ':' : ''} from ${fmtPct(c.a)} at ${short} = ${x0} to ${fmtPct(c.b)} at ${short} = ${x1}.`,
      );
    }
    const costCol = hasValues(rows, 'price_per_job_mean_usd_mean') ? 'price_per_job_mean_usd' : 'requester_cost_usd';
    const cc = order
      .map((m) => ({ m, a: at(m, x0, costCol), b: at(m, x1, costCol) }))
      .filter((c): c is { m: string; a: number; b: number } => c.a !== null && c.b !== null && c.a > 0)
      .sort((p, q) => Math.abs(q.b / q.a - 1) - Math.abs(p.b / p.a - 1));
    if (cc.length) {
      const c = cc[0];
      const what = costCol === 'price_per_job_mean_usd' ? 'the price per job' : 'the requester cost';
      out.push(
        `Over the same range, ${what} under ${P(c.m)} went from ${fmtUsd(c.a)} to ${fmtUsd(c.b)} (${c.b >= c.a ? '+' : '−'}${fmtPct(Math.abs(c.b / c.a - 1), 0)}).`,
      );
    }
  }
  const varied = Object.keys(fixed).filter((k) => distinct(aggregate, k).length > 1);
  if (varied.length)
    out.push(`These figures hold ${fixedTxt}; the results for other values of ${varied.map(shortParam).join(', ')} are in aggregate.csv.`);
  return out;
}

/** Mechanisms whose rewards are (partly) minted: what requesters paid against what was minted. */
function emissionHeadlines(summary: readonly Row[], order: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of order) {
    const rows = summary.filter((r) => str(r, 'mechanism') === name);
    const em = estimate(values(rows, 'emission_usd'));
    const req = estimate(values(rows, 'requester_cost_usd'));
    if (!em || !req || em.mean <= 0) continue;
    const share = em.mean / (em.mean + req.mean);
    out.push(
      `Under ${P(name)}, requesters paid ${fmtUsd(req.mean)} but the protocol minted ${fmtUsd(em.mean)} in rewards (${fmtPct(share)} of the total cost of proving).`,
    );
  }
  return out;
}

function joinList(xs: readonly string[]): string {
  if (xs.length <= 1) return xs.join('');
  return `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}
