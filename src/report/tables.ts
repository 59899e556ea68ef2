/** The key-figures tables of a report, as data that renders to HTML or Markdown. */
import { costMetricOf, withTotalCost } from './charts/comparison.js';
import { shortParam, sweepSlice } from './charts/sweep-lines.js';
import { escapeHtml, fmtNumber, fmtUsd } from './format.js';
import { metricInfo } from './metrics.js';
import { distinct, groupBy, hasValues, mechanismOrder, num, str, values, type Row } from './rows.js';
import { estimate } from './stats.js';

/** A small table: header, body cells (already formatted) and column alignment. */
export interface Table {
  readonly caption: string;
  readonly header: string[];
  readonly rows: string[][];
  /** 'l' or 'r' per column. */
  readonly align: Array<'l' | 'r'>;
}

/** Key figures of a run: one row per mechanism, means over seeds. */
export function runTable(summaryIn: readonly Row[], opts: { mechanisms?: readonly string[] } = {}): Table {
  const summary = withTotalCost(summaryIn);
  const order = mechanismOrder(summary, opts.mechanisms);
  const by = groupBy(summary, 'mechanism');
  const cost = costMetricOf(summary);
  const cols: Array<{ column: string; head: string }> = [
    { column: 'liveness', head: 'on time' },
    {
      column: cost,
      head: cost === 'total_cost_per_job_usd' ? 'total cost / job' : cost === 'price_per_job_mean_usd' ? 'price / job' : 'requester cost',
    },
    { column: 'price_cv', head: 'price CV' },
    { column: 'latency_p95_s', head: 'p95 latency' },
    ...(cost !== 'requester_cost_usd' ? [{ column: 'requester_cost_usd', head: 'requester cost' }] : []),
    ...(hasValues(summary, 'emission_usd') && values(summary, 'emission_usd').some((v) => v > 0)
      ? [{ column: 'emission_usd', head: 'emission' }]
      : []),
    { column: 'hhi', head: 'HHI' },
  ];
  if (hasValues(summary, 'attacker_share_peak')) cols.push({ column: 'attacker_share_peak', head: 'attacker peak' });
  const seeds = distinct(summary, 'seed').filter((s) => s !== '');
  const counts = order.map((m) => (by.get(m) ?? []).length);
  const multi = counts.some((n) => n > 1);
  const uneven = counts.some((n) => n !== counts[0]);
  const header = ['mechanism', ...(uneven ? ['runs'] : []), ...cols.map((c) => c.head)];
  const rows = order.map((m) => {
    const rs = by.get(m) ?? [];
    const cells = cols.map((c) => {
      const e = estimate(values(rs, c.column));
      return e ? metricInfo(c.column).fmt(e.mean) : '–';
    });
    return [m, ...(uneven ? [String(rs.length)] : []), ...cells];
  });
  const caption = multi
    ? `Key figures (means over ${seeds.length} seeds)`
    : `Key figures${seeds.length === 1 ? ` (seed ${seeds[0]})` : ''}`;
  return { caption, header, rows, align: header.map((_, i) => (i === 0 ? 'l' : 'r')) };
}

/**
 * Key figures of a sweep: `metric` per value of the first grid parameter (rows) and mechanism
 * (columns), other grid parameters held at their first value.
 */
export function sweepTable(
  aggregate: readonly Row[],
  metric: string,
  opts: { mechanisms?: readonly string[]; gridColumns?: readonly string[] } = {},
): Table {
  const { param, rows } = sweepSlice(aggregate, { gridColumns: opts.gridColumns });
  const order = mechanismOrder(rows, opts.mechanisms);
  const info = metricInfo(metric);
  const xs = param ? distinct(rows, param) : [''];
  const numeric = xs.every((v) => v.trim() !== '' && Number.isFinite(Number(v)));
  const sorted = numeric ? [...xs].sort((a, b) => Number(a) - Number(b)) : xs;
  const body = sorted.map((x) => [
    x,
    ...order.map((m) => {
      const r = rows.find((row) => str(row, 'mechanism') === m && (!param || str(row, param) === x));
      const v = r ? num(r, `${metric}_mean`) : null;
      if (v === null || !r) return '–';
      const lo = num(r, `${metric}_ci95_lo`);
      const hi = num(r, `${metric}_ci95_hi`);
      const n = num(r, 'n') ?? 1;
      if (n >= 2 && lo !== null && hi !== null) {
        const half = (hi - lo) / 2;
        return `${info.fmt(v)} ± ${info.percent ? `${fmtNumber(half * 100, 2)} pp` : info.unit === 'USD' ? fmtUsd(half, 2) : fmtNumber(half, 2)}`;
      }
      return info.fmt(v);
    }),
  ]);
  const header = [param ? shortParam(param) : 'grid point', ...order];
  return {
    caption: `${info.label[0].toUpperCase()}${info.label.slice(1)}${info.unit && !info.percent && info.unit !== 'USD' ? ` (${info.unit})` : ''} by ${param ? shortParam(param) : 'grid point'}: mean${aggregate.some((r) => (num(r, 'n') ?? 1) >= 2) ? ' ± 95% CI half-width' : ''}`,
    header,
    rows: body,
    align: header.map((_, i) => (i === 0 ? 'l' : 'r')),
  };
}

/** Renders a table as HTML (scrollable wrapper, so a wide table never widens the page). */
export function tableHtml(t: Table): string {
  const th = t.header.map((h, i) => `<th class="${t.align[i]}">${escapeHtml(h)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${r.map((c, i) => `<td class="${t.align[i]}">${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<div class="table-wrap"><table>\n<caption>${escapeHtml(t.caption)}</caption>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** Renders a table as GitHub-flavoured Markdown. */
export function tableMarkdown(t: Table): string {
  const head = `| ${t.header.map(mdCell).join(' | ')} |`;
  const sep = `|${t.align.map((a) => (a === 'r' ? '---:' : ':---')).join('|')}|`;
  const body = t.rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`);
  return [`**${t.caption}**`, '', head, sep, ...body].join('\n');
}
