/**
 * Chart (h): the distribution of the price per Mcycle per mechanism, as horizontal box plots: the
 * box spans the quartiles, the bar inside is the median, whiskers reach the 5th and 95th
 * percentiles, dots mark the 1st and 99th. From jobs.csv (one price per delivered job) when the
 * run wrote it (`--jobs`), otherwise from the time series (one mean price per window). A mechanism
 * whose requesters pay nothing per job (self-hosted rent, minted rewards) falls back to its window
 * prices, and is marked so.
 */
import { quantileSorted } from 'd3';
import { drawXAxis, fitLogTicks, fitTicks, logScaleOf, wantsLog, zeroBasedScale, type Tick } from '../axes.js';
import { fmtUsd, r2 } from '../format.js';
import { groupBy, num, type Row } from '../rows.js';
import { createChart, drawHeader, drawNoData, INK, MUTED, serialize } from '../svg.js';
import { categoryColumn, scenarioOf, seriesOf, widthOf, type ChartOptions } from './common.js';

const ROW_H = 30;
const BOX_H = 14;
const FONT = 12;

/** Quantiles of one mechanism's prices. */
export interface PriceBox {
  readonly name: string;
  readonly n: number;
  /** 'jobs' or 'windows': what one value is. */
  readonly source: 'jobs' | 'windows';
  readonly q: { p1: number; p5: number; p25: number; p50: number; p75: number; p95: number; p99: number };
}

/** Per-mechanism price samples: delivered jobs' price / Mcycles, or window means as a fallback. */
export function priceSamples(
  jobs: readonly Row[],
  timeseries: readonly Row[],
  names: readonly string[],
): Map<string, { source: 'jobs' | 'windows'; values: number[] }> {
  const out = new Map<string, { source: 'jobs' | 'windows'; values: number[] }>();
  const byJob = groupBy(jobs, 'mechanism');
  const byWin = groupBy(timeseries, 'mechanism');
  for (const m of names) {
    const fromJobs = (byJob.get(m) ?? []).flatMap((r) => {
      const p = num(r, 'price_usd');
      const mc = num(r, 'mcycles');
      return r.outcome === 'delivered' && p !== null && mc !== null && mc > 0 ? [p / mc] : [];
    });
    if (fromJobs.some((v) => v > 0)) {
      out.set(m, { source: 'jobs', values: fromJobs });
      continue;
    }
    const fromWin = (byWin.get(m) ?? []).flatMap((r) => {
      const v = num(r, 'price_per_mcycle_mean_usd');
      return v === null ? [] : [v];
    });
    out.set(m, { source: 'windows', values: fromWin });
  }
  return out;
}

/** The box of a sample (null when empty). */
export function priceBox(name: string, source: 'jobs' | 'windows', values: readonly number[]): PriceBox | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => quantileSorted(s, p) ?? s[0];
  return {
    name,
    n: s.length,
    source,
    q: { p1: q(0.01), p5: q(0.05), p25: q(0.25), p50: q(0.5), p75: q(0.75), p95: q(0.95), p99: q(0.99) },
  };
}

/** Draws the price distributions from jobs rows (may be empty) and timeseries rows. Returns the SVG. */
export function priceDistributionChart(jobs: readonly Row[], timeseries: readonly Row[], opts: ChartOptions = {}): string {
  const W = widthOf(opts);
  const series = seriesOf(jobs.length ? [...jobs, ...timeseries] : timeseries, opts);
  const samples = priceSamples(
    jobs,
    timeseries,
    series.map((s) => s.name),
  );
  const boxes = series.map((s) => {
    const x = samples.get(s.name);
    return x ? priceBox(s.name, x.source, x.values) : null;
  });
  const anyJobs = boxes.some((b) => b?.source === 'jobs');
  const title = opts.title ?? 'Price per Mcycle: distribution';
  const scen = scenarioOf(timeseries);
  const vals = boxes.flatMap((b) => (b ? [b.q.p1, b.q.p99] : []));
  const positive = vals.filter((v) => v > 0);
  // Log when the positive prices span more than a decade (markets at 4e-5 beside a race at 5e-4);
  // a quantile at 0 (a job paid nothing) then sits at the axis' left end, and the subtitle says so.
  const log = wantsLog(positive);
  const zeros = log && boxes.some((b) => b !== null && b.q.p1 <= 0);
  const subtitle = `${scen ? `${scen}: ` : ''}${anyJobs ? 'one value per delivered job (jobs.csv)' : 'one value per window (timeseries.csv)'}; box: quartiles, bar: median, whiskers: 5th–95th percentile, dots: 1st and 99th${boxes.some((b) => b?.source === 'windows') && anyJobs ? '; * per-window prices (nothing paid per job)' : ''}${log ? '; log scale' : ''}${zeros ? ' (prices of 0 at its left end)' : ''}`;
  const root = createChart('price-distribution', W, 0, title);
  const { svg } = root;
  const y = drawHeader(svg, title, subtitle) + 10;
  const labels = series.map((s, i) => (anyJobs && boxes[i]?.source === 'windows' ? `${s.name} *` : s.name));
  const cat = categoryColumn(labels, FONT, 40);
  const left = 12 + cat.width + 12;
  // Room on the right for half the last tick label.
  const plotW = W - left - 36;
  const plotH = Math.max(1, series.length) * ROW_H + 6;
  const xLog = logScaleOf(positive, [0, plotW]);
  const xLin = zeroBasedScale(vals, [0, plotW]);
  const x = (v: number) => (log ? xLog(Math.max(v, xLog.domain()[0]!)) : xLin(v));
  const ticks: Tick[] = log ? fitLogTicks(xLog, plotW, 'x', (v) => fmtUsd(v)) : fitTicks(xLin, plotW, 'x');
  const height = Math.ceil(y + plotH + 50);
  svg.attr('height', height).attr('viewBox', `0 0 ${W} ${height}`);
  svg.select('rect.background').attr('height', height);
  const g = svg
    .append('g')
    .attr('class', 'plot')
    .attr('transform', `translate(${r2(left)},${r2(y)})`);
  drawXAxis(g, x, ticks, {
    y: plotH,
    label: `price (USD/Mcycle${log ? ', log scale' : ''})`,
    grid: plotH,
    width: plotW,
    scale: log ? 'log' : 'linear',
  });
  if (vals.length === 0) drawNoData(g, plotW / 2, plotH / 2, 'no prices');
  series.forEach((s, i) => {
    const cy = 6 + i * ROW_H + ROW_H / 2;
    svg
      .append('text')
      .attr('x', r2(left - 12))
      .attr('y', r2(y + cy + 4))
      .attr('text-anchor', 'end')
      .attr('font-size', FONT)
      .text(cat.labels[i]);
    const b = boxes[i];
    if (!b) {
      g.append('text')
        .attr('x', 4)
        .attr('y', r2(cy + 4))
        .attr('font-size', 11)
        .attr('fill', MUTED)
        .text('n/a');
      return;
    }
    const q = b.q;
    const box = g.append('g').attr('class', 'box').attr('data-series', s.name);
    box
      .append('path')
      .attr('class', 'whisker')
      .attr(
        'd',
        `M${r2(x(q.p5))},${r2(cy)}H${r2(x(q.p25))}M${r2(x(q.p75))},${r2(cy)}H${r2(x(q.p95))}M${r2(x(q.p5))},${r2(cy - 4)}V${r2(cy + 4)}M${r2(x(q.p95))},${r2(cy - 4)}V${r2(cy + 4)}`,
      )
      .attr('stroke', INK)
      .attr('stroke-width', 1.2)
      .attr('fill', 'none');
    box
      .append('rect')
      .attr('x', r2(x(q.p25)))
      .attr('y', r2(cy - BOX_H / 2))
      .attr('width', r2(Math.max(1, x(q.p75) - x(q.p25))))
      .attr('height', BOX_H)
      .attr('fill', s.color)
      .attr('fill-opacity', 0.75)
      .attr('stroke', INK)
      .attr('stroke-width', 0.8);
    box
      .append('path')
      .attr('class', 'median')
      .attr('d', `M${r2(x(q.p50))},${r2(cy - BOX_H / 2)}V${r2(cy + BOX_H / 2)}`)
      .attr('stroke', INK)
      .attr('stroke-width', 2);
    for (const v of [q.p1, q.p99])
      box
        .append('circle')
        .attr('cx', r2(x(v)))
        .attr('cy', r2(cy))
        .attr('r', 2)
        .attr('fill', INK);
    box.append('title').text(`${s.name}: median ${fmtUsd(q.p50)}/Mcycle, quartiles ${fmtUsd(q.p25)}–${fmtUsd(q.p75)}, ${b.n} ${b.source}`);
  });
  return serialize(root);
}
