/**
 * The results view: the key-figures table and the report's charts (src/report, the same d3 code
 * and palette as `pmsim report`), drawn on the page's DOM.
 */
import { summaryCell } from '../comparison/money.js';
import { runFigures, type RunTables } from '../report/figures.js';
import { runHeadlines } from '../report/headlines.js';
import { metricInfo } from '../report/metrics.js';
import { hasValues, num, str, type Row } from '../report/rows.js';

/** Columns of the key-figures table, as named in summary.csv. */
export const TABLE_COLUMNS = [
  'jobs_on_time',
  'liveness',
  'latency_p95_s',
  'price_per_job_mean_usd',
  'price_cv',
  'requester_cost_usd',
  'operator_profit_usd',
  'hhi',
  'top1_share',
  'attacker_share_peak',
] as const;

const HEAD: Record<string, string> = {
  jobs_on_time: 'jobs on time',
  liveness: 'liveness',
  latency_p95_s: 'p95 latency',
  price_per_job_mean_usd: 'price / job',
  price_cv: 'price CV',
  requester_cost_usd: 'requester cost',
  operator_profit_usd: 'operator profit',
  hhi: 'HHI',
  top1_share: 'top-1 share',
  attacker_share_peak: 'attacker peak',
};

/**
 * The key figures, one row per mechanism. Each cell shows a rounded figure and keeps the exact
 * summary.csv text in `data-value` (what the browser test compares with `pmsim run`).
 */
export function renderTable(table: HTMLTableElement, summary: readonly Row[]): void {
  const cols = TABLE_COLUMNS.filter((c) => c !== 'attacker_share_peak' || hasValues(summary, c));
  const head = `<thead><tr><th>mechanism</th>${cols.map((c) => `<th title="${c}">${HEAD[c]}</th>`).join('')}</tr></thead>`;
  const body = summary
    .map((r) => {
      const tds = cols.map((c) => {
        const exact = summaryCell(c, r[c]); // exactly as summary.csv writes it (money with six decimals)
        const v = num(r, c);
        const shown = c.startsWith('jobs_') ? exact : metricInfo(c).fmt(v);
        return `<td data-column="${c}" data-value="${exact}">${escapeHtml(shown)}</td>`;
      });
      return `<tr data-mechanism="${escapeHtml(str(r, 'mechanism'))}"><td>${escapeHtml(str(r, 'mechanism'))}</td>${tds.join('')}</tr>`;
    })
    .join('');
  table.innerHTML = `${head}<tbody>${body}</tbody>`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Draws the run's headlines and charts into `root`; `mechanisms` fixes the colours for the whole run. */
export function renderCharts(root: HTMLElement, headlines: HTMLElement, t: RunTables, mechanisms: readonly string[]): void {
  if (t.summary.length === 0) {
    root.replaceChildren();
    headlines.replaceChildren();
    return;
  }
  headlines.replaceChildren(
    ...runHeadlines(t.summary, { mechanisms }).map((h) => Object.assign(document.createElement('li'), { textContent: h })),
  );
  const figs = runFigures(t, mechanisms).map((f) => {
    const fig = document.createElement('figure');
    fig.className = 'chart';
    fig.id = `fig-${f.name}`;
    fig.innerHTML = `${f.svg}<figcaption>${escapeHtml(f.caption)}</figcaption>`;
    return fig;
  });
  root.replaceChildren(...figs);
}
