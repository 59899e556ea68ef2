/** Options and helpers shared by the charts. */
import { textWidth, truncateMiddle } from '../format.js';
import type { LegendItem } from '../legend.js';
import { seriesColor, seriesDash } from '../palette.js';
import { mechanismOrder, num, str, type Row } from '../rows.js';
import { CHART_WIDTH } from '../svg.js';

/** Options every chart takes. */
export interface ChartOptions {
  /** Width in px (default 720). */
  readonly width?: number;
  /**
   * Mechanism order, which fixes colours: pass the same list to every chart of a report so a
   * mechanism keeps its colour even when it is missing from one file.
   */
  readonly mechanisms?: readonly string[];
  /** Replaces the default title. */
  readonly title?: string;
}

/** Chart width from the options. */
export function widthOf(o: ChartOptions): number {
  return o.width ?? CHART_WIDTH;
}

/** A mechanism with its display colour and dash. */
export interface Series {
  readonly name: string;
  readonly color: string;
  readonly dash: string;
}

/** The mechanisms in `rows`, coloured by their position in `opts.mechanisms` (or in the rows). */
export function seriesOf(rows: readonly Row[], opts: ChartOptions): Series[] {
  const order = mechanismOrder(rows, opts.mechanisms);
  const all = opts.mechanisms ? [...opts.mechanisms, ...order.filter((m) => !opts.mechanisms!.includes(m))] : order;
  return order.map((name) => {
    const i = all.indexOf(name);
    return { name, color: seriesColor(i), dash: seriesDash(i) };
  });
}

/** Legend entries for mechanisms drawn as lines. */
export function lineLegend(series: readonly Series[]): LegendItem[] {
  return series.map((s) => ({ label: truncateMiddle(s.name, 28), color: s.color, kind: 'line' as const, dash: s.dash || undefined }));
}

/** Legend entries for mechanisms drawn as boxes. */
export function boxLegend(series: readonly Series[]): LegendItem[] {
  return series.map((s) => ({ label: truncateMiddle(s.name, 28), color: s.color, kind: 'box' as const }));
}

/** Distinct seeds in the rows, ascending. */
export function seedsIn(rows: readonly Row[]): number[] {
  const s = new Set<number>();
  for (const r of rows) {
    const v = num(r, 'seed');
    if (v !== null) s.add(v);
  }
  return [...s].sort((a, b) => a - b);
}

/** "seed 7" or "mean over 5 seeds". */
export function seedPhrase(seeds: readonly number[], verb = 'mean over'): string {
  if (seeds.length === 0) return '';
  if (seeds.length === 1) return `seed ${seeds[0]}`;
  return `${verb} ${seeds.length} seeds`;
}

/** The scenario name of the rows (first non-empty), or ''. */
export function scenarioOf(rows: readonly Row[]): string {
  for (const r of rows) {
    const s = str(r, 'scenario');
    if (s) return s;
  }
  return '';
}

/**
 * Category labels for a left column: truncated, and the column width they need. The default of 32
 * characters keeps every registered `mechanism:preset` label whole (`reverse-dutch:boundless` is 23).
 */
export function categoryColumn(names: readonly string[], fontSize: number, max = 32): { labels: string[]; width: number } {
  const labels = names.map((n) => truncateMiddle(n, max));
  const width = Math.ceil(Math.max(0, ...labels.map((l) => textWidth(l, fontSize))));
  return { labels, width };
}

/**
 * Means over seeds of `column` per (mechanism, window): the series of a time chart.
 * Returns, per mechanism, points sorted by window with `null` where no seed had a value.
 */
export function windowMeans(rows: readonly Row[], column: string): Map<string, Array<{ window: number; t: number; v: number | null }>> {
  const acc = new Map<string, Map<number, { t: number; sum: number; n: number }>>();
  for (const r of rows) {
    const m = str(r, 'mechanism');
    const w = num(r, 'window');
    if (w === null) continue;
    let byW = acc.get(m);
    if (!byW) acc.set(m, (byW = new Map()));
    let cell = byW.get(w);
    if (!cell) byW.set(w, (cell = { t: num(r, 't_start_s') ?? w, sum: 0, n: 0 }));
    const v = num(r, column);
    if (v !== null) {
      cell.sum += v;
      cell.n += 1;
    }
  }
  const out = new Map<string, Array<{ window: number; t: number; v: number | null }>>();
  for (const [m, byW] of acc) {
    out.set(
      m,
      [...byW.entries()].sort((a, b) => a[0] - b[0]).map(([window, c]) => ({ window, t: c.t, v: c.n > 0 ? c.sum / c.n : null })),
    );
  }
  return out;
}
