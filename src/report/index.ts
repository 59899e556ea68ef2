/**
 * Reports for runs and sweeps: d3 charts rendered server-side to SVG (on a linkedom DOM), PNG
 * copies (resvg), a self-contained report.html and a report.md.
 *
 * ```ts
 * import { writeReport } from './report/index.js';
 * await writeReport('results/default', 'results/default'); // report.html, report.md, figures/
 * ```
 */
export { writeReport, REPORT_FORMATS, type ReportFormat, type WriteReportOptions } from './write.js';
export { loadResults, ResultsDirError, type Results, type RunResults, type SweepResults } from './load.js';
export { buildReport, type Report, type Figure, type BuildOptions } from './build.js';
export { renderHtml, REPORT_CSS } from './html.js';
export { renderMarkdown, type MarkdownOptions } from './markdown.js';
export { svgToPng, type PngOptions } from './png.js';
export { reportMeta, type ReportMeta } from './meta.js';
export { runHeadlines, sweepHeadlines } from './headlines.js';
export { runTable, sweepTable, tableHtml, tableMarkdown, type Table } from './tables.js';
export { aggregateRuns } from './aggregate.js';
export { estimate, tQuantile975, type Estimate } from './stats.js';
export { ENTITY_COLORS, MECHANISM_COLORS, OKABE_ITO } from './palette.js';
export { num, str, parseCsv, type Row as ReportRow } from './rows.js';
export { comparisonChart, costMetricOf, withTotalCost, type ComparisonOptions } from './charts/comparison.js';
export { priceOverTimeChart } from './charts/price-over-time.js';
export { latencyCdfChart } from './charts/latency-cdf.js';
export { costBreakdownChart, COST_COMPONENTS } from './charts/cost-breakdown.js';
export { marketShareChart, type MarketShareOptions } from './charts/market-share.js';
export { sweepChart, sweepFacets, gridColumnsOf, type SweepChartOptions } from './charts/sweep-lines.js';
export { frontierChart, paretoFront } from './charts/frontier.js';
export { priceDistributionChart } from './charts/price-distribution.js';
export { attackChart } from './charts/attack.js';
export type { ChartOptions } from './charts/common.js';
