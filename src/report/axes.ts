/**
 * Axes drawn by hand on d3 scales, so tick count, label spacing and number formatting stay under
 * control: tick labels never overlap (the count is reduced until they fit) and coordinates are
 * rounded for byte-stable output.
 */
import { format, scaleLinear, scaleLog, type ScaleLinear, type ScaleLogarithmic } from 'd3';
import { r2, textWidth } from './format.js';
import { GRID, INK, MUTED, type Sel } from './svg.js';

/** A tick: its value and its label. */
export interface Tick {
  readonly value: number;
  readonly label: string;
}

/** Tick label font size. */
export const TICK_FONT = 11;
/** Axis title font size. */
export const AXIS_FONT = 12;

/** How tick labels are formatted. */
export type TickStyle = 'number' | 'percent';

function labelsFor(scale: ScaleLinear<number, number>, n: number, style: TickStyle): Tick[] {
  const ticks = scale.ticks(n);
  const maxAbs = Math.max(...scale.domain().map(Math.abs));
  let f: (v: number) => string;
  if (style === 'percent') f = scale.tickFormat(n, '~%');
  else if (maxAbs >= 1e4) {
    const s = scale.tickFormat(n, '~s');
    f = (v) => s(v).replace('G', 'B');
  } else f = scale.tickFormat(n, ',f');
  return ticks.map((v) => ({ value: v, label: f(v).replace('-', '−') }));
}

/**
 * Chooses ticks for a linear scale spanning `length` px so that labels do not overlap: horizontal
 * axes need label width + 12 px between ticks, vertical ones 18 px.
 */
export function fitTicks(scale: ScaleLinear<number, number>, length: number, orient: 'x' | 'y', style: TickStyle = 'number'): Tick[] {
  const start = Math.max(2, Math.floor(length / (orient === 'x' ? 55 : 32)));
  const [d0, d1] = scale.domain();
  let last: Tick[] = [];
  for (let n = start; n >= 1; n--) {
    const ticks = labelsFor(scale, n, style);
    last = ticks;
    if (ticks.length < 2) return ticks;
    const step = Math.abs(ticks[1].value - ticks[0].value);
    const px = (step / Math.abs(d1 - d0 || 1)) * length;
    const need = orient === 'x' ? Math.max(...ticks.map((t) => textWidth(t.label, TICK_FONT))) + 12 : 18;
    if (px >= need) return ticks;
  }
  return last.length > 2 ? [last[0], last[last.length - 1]] : last;
}

/** A linear scale with a "nice" domain that includes 0 and every value (and a non-empty span). */
export function zeroBasedScale(values: readonly number[], range: [number, number]): ScaleLinear<number, number> {
  let lo = Math.min(0, ...values);
  let hi = Math.max(0, ...values);
  if (hi === lo) hi = lo + 1;
  const pad = (hi - lo) * 0.04;
  if (hi > 0) hi += pad;
  if (lo < 0) lo -= pad;
  return scaleLinear().domain([lo, hi]).range(range).nice();
}

/** A linear scale with a nice domain around the values (not forced to include 0). */
export function extentScale(values: readonly number[], range: [number, number]): ScaleLinear<number, number> {
  let lo = values.length ? Math.min(...values) : 0;
  let hi = values.length ? Math.max(...values) : 1;
  if (hi === lo) {
    lo -= lo === 0 ? 0 : Math.abs(lo) * 0.1;
    hi += hi === 0 ? 1 : Math.abs(hi) * 0.1;
  }
  return scaleLinear().domain([lo, hi]).range(range).nice();
}

/** Width in px a vertical axis with these ticks needs (labels, tick marks, and the rotated title). */
export function yAxisWidth(ticks: readonly Tick[], withTitle = true): number {
  const w = ticks.length ? Math.max(...ticks.map((t) => textWidth(t.label, TICK_FONT))) : 0;
  return Math.ceil(w + 10 + (withTitle ? 22 : 0));
}

/** Options of a horizontal axis. */
export interface XAxisOptions {
  /** y of the axis line inside `g`. */
  readonly y: number;
  /** Axis title (with unit). */
  readonly label?: string;
  /** Height of vertical grid lines drawn upward from the axis (0: none). */
  readonly grid?: number;
  /** x range of the plot, for the title's centre. */
  readonly width: number;
  /** Scale type, written as `data-scale` so tests and readers can tell a log axis (default linear). */
  readonly scale?: 'linear' | 'log';
}

/** Draws a bottom axis with `ticks` on `scale`. */
export function drawXAxis(g: Sel, scale: (v: number) => number, ticks: readonly Tick[], o: XAxisOptions): void {
  const a = g
    .append('g')
    .attr('class', 'axis axis-x')
    .attr('data-scale', o.scale ?? 'linear')
    .attr('transform', `translate(0,${r2(o.y)})`);
  for (const t of ticks) {
    const x = r2(scale(t.value));
    if (o.grid)
      a.append('line').attr('class', 'grid').attr('x1', x).attr('x2', x).attr('y1', -r2(o.grid)).attr('y2', 0).attr('stroke', GRID);
    a.append('line').attr('x1', x).attr('x2', x).attr('y1', 0).attr('y2', 5).attr('stroke', MUTED);
    a.append('text')
      .attr('x', x)
      .attr('y', 17)
      .attr('text-anchor', 'middle')
      .attr('font-size', TICK_FONT)
      .attr('fill', MUTED)
      .text(t.label);
  }
  a.append('line').attr('class', 'domain').attr('x1', 0).attr('x2', r2(o.width)).attr('y1', 0).attr('y2', 0).attr('stroke', MUTED);
  if (o.label) {
    a.append('text')
      .attr('class', 'axis-title')
      .attr('x', r2(o.width / 2))
      .attr('y', 36)
      .attr('text-anchor', 'middle')
      .attr('font-size', AXIS_FONT)
      .attr('fill', INK)
      .text(o.label);
  }
}

/** Options of a vertical axis. */
export interface YAxisOptions {
  /** Plot height, for the title's centre. */
  readonly height: number;
  readonly label?: string;
  /** Width of horizontal grid lines (0: none). */
  readonly grid?: number;
  /** Which side; a right axis sits at x = `x`. */
  readonly side?: 'left' | 'right';
  readonly x?: number;
  /** Space reserved for tick labels (from `yAxisWidth`), which places the title. */
  readonly width?: number;
  /** Scale type, written as `data-scale` (default linear). */
  readonly scale?: 'linear' | 'log';
}

/** Draws a vertical axis with `ticks` on `scale`. */
export function drawYAxis(g: Sel, scale: (v: number) => number, ticks: readonly Tick[], o: YAxisOptions): void {
  const right = o.side === 'right';
  const a = g
    .append('g')
    .attr('class', 'axis axis-y')
    .attr('data-scale', o.scale ?? 'linear')
    .attr('transform', `translate(${r2(o.x ?? 0)},0)`);
  for (const t of ticks) {
    const y = r2(scale(t.value));
    if (o.grid)
      a.append('line').attr('class', 'grid').attr('x1', 0).attr('x2', r2(o.grid)).attr('y1', y).attr('y2', y).attr('stroke', GRID);
    a.append('line')
      .attr('x1', right ? 0 : -5)
      .attr('x2', right ? 5 : 0)
      .attr('y1', y)
      .attr('y2', y)
      .attr('stroke', MUTED);
    a.append('text')
      .attr('x', right ? 8 : -8)
      .attr('y', r2(y + 4))
      .attr('text-anchor', right ? 'start' : 'end')
      .attr('font-size', TICK_FONT)
      .attr('fill', MUTED)
      .text(t.label);
  }
  a.append('line').attr('class', 'domain').attr('x1', 0).attr('x2', 0).attr('y1', 0).attr('y2', r2(o.height)).attr('stroke', MUTED);
  if (o.label) {
    // Rotated ±90°, glyphs sit on the left of the anchor in both cases (ascent for -90, descent for 90).
    const w = o.width ?? yAxisWidth(ticks);
    const x = right ? w - 4 : -(w - 10);
    a.append('text')
      .attr('class', 'axis-title')
      .attr('transform', `translate(${r2(x)},${r2(o.height / 2)}) rotate(${right ? 90 : -90})`)
      .attr('text-anchor', 'middle')
      .attr('font-size', AXIS_FONT)
      .attr('fill', INK)
      .text(o.label);
  }
}

/**
 * Whether values deserve a log axis: all positive and spanning more than one decade (a linear axis
 * then squeezes the small values against zero).
 */
export function wantsLog(values: readonly number[]): boolean {
  const pos = values.filter((v) => Number.isFinite(v));
  if (pos.length < 2 || pos.some((v) => v <= 0)) return false;
  return Math.log10(Math.max(...pos) / Math.min(...pos)) > 1;
}

/** Decades spanned by the positive values (0 if fewer than two). */
export function decadesSpanned(values: readonly number[]): number {
  const pos = values.filter((v) => Number.isFinite(v) && v > 0);
  return pos.length < 2 ? 0 : Math.log10(Math.max(...pos) / Math.min(...pos));
}

/** A log scale over the positive values, padded by a tenth of a decade, with decade-aligned ends when near. */
export function logScaleOf(values: readonly number[], range: [number, number]): ScaleLogarithmic<number, number> {
  const pos = values.filter((v) => Number.isFinite(v) && v > 0);
  let lo = pos.length ? Math.min(...pos) : 1;
  let hi = pos.length ? Math.max(...pos) : 10;
  if (hi / lo < 1.5) {
    lo /= 1.5;
    hi *= 1.5;
  }
  lo /= 10 ** 0.08;
  hi *= 10 ** 0.08;
  return scaleLog().domain([lo, hi]).range(range);
}

/** Candidate log ticks: 1, 2, 5 (or only 1, or 1 and 3) times the powers of ten in the domain. */
function logCandidates(lo: number, hi: number, mantissas: readonly number[]): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of mantissas) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (v >= lo && v <= hi) out.push(v);
    }
  }
  return out;
}

/**
 * Ticks of a log scale whose labels do not overlap: 1-2-5 per decade when they fit, else 1-3, else
 * the powers of ten, else every other power. `fmt` writes a label.
 */
export function fitLogTicks(
  scale: ScaleLogarithmic<number, number>,
  _length: number,
  orient: 'x' | 'y',
  fmt: (v: number) => string = fmtLog,
): Tick[] {
  const [lo, hi] = scale.domain() as [number, number];
  const need = (ts: Tick[]) => (orient === 'x' ? Math.max(0, ...ts.map((t) => textWidth(t.label, TICK_FONT))) + 12 : 18);
  for (const ms of [[1, 2, 5], [1, 3], [1]]) {
    const ticks = logCandidates(lo, hi, ms).map((v) => ({ value: v, label: fmt(v) }));
    if (ticks.length < 2) continue;
    let ok = true;
    for (let i = 1; i < ticks.length && ok; i++) if (Math.abs(scale(ticks[i].value) - scale(ticks[i - 1].value)) < need(ticks)) ok = false;
    if (ok) return ticks;
  }
  const ones = logCandidates(lo, hi, [1]).map((v) => ({ value: v, label: fmt(v) }));
  if (ones.length >= 2) return ones.filter((_, i) => i % 2 === 0);
  // Less than a decade with no power of ten inside: the ends.
  return [lo, hi].map((v) => ({ value: v, label: fmt(Number(v.toPrecision(2))) }));
}

/** A log tick label: 0.0001 → "0.0001", 5e-5 → "5e-5", 20000 → "20k". */
export function fmtLog(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e4) return format('~s')(v).replace('G', 'B');
  if (a >= 1e-4) return format('~g')(Number(v.toPrecision(6)));
  return format('~e')(v);
}

/** Time tick candidates for log time axes, in seconds, with their labels. */
const TIME_TICKS: Array<[number, string]> = [
  [1, '1 s'],
  [2, '2 s'],
  [5, '5 s'],
  [10, '10 s'],
  [20, '20 s'],
  [30, '30 s'],
  [60, '1 min'],
  [120, '2 min'],
  [300, '5 min'],
  [600, '10 min'],
  [1200, '20 min'],
  [1800, '30 min'],
  [3600, '1 h'],
  [7200, '2 h'],
  [3 * 3600, '3 h'],
  [6 * 3600, '6 h'],
  [12 * 3600, '12 h'],
  [86400, '1 d'],
  [2 * 86400, '2 d'],
  [4 * 86400, '4 d'],
  [7 * 86400, '1 w'],
  [14 * 86400, '2 w'],
  [30 * 86400, '30 d'],
];

/**
 * Ticks of a log time axis (domain in seconds) at human durations (1 min, 10 min, 1 h, 1 d...),
 * thinned until the labels fit.
 */
export function fitTimeLogTicks(scale: ScaleLogarithmic<number, number>, length: number): Tick[] {
  const [lo, hi] = scale.domain() as [number, number];
  let ticks = TIME_TICKS.filter(([s]) => s >= lo && s <= hi).map(([value, label]) => ({ value, label }));
  if (ticks.length < 2) return fitLogTicks(scale, length, 'x', (v) => `${fmtLog(v)} s`);
  const fits = (ts: Tick[]) =>
    ts.every(
      (t, i) =>
        i === 0 ||
        scale(t.value) - scale(ts[i - 1].value) >= (textWidth(t.label, TICK_FONT) + textWidth(ts[i - 1].label, TICK_FONT)) / 2 + 10,
    );
  // Prefer the 1-2-5-ish steps; drop every other tick until the labels fit.
  const preferred = new Set([1, 10, 60, 600, 3600, 6 * 3600, 86400, 7 * 86400, 30, 300, 1800, 12 * 3600, 2 * 86400]);
  if (!fits(ticks)) ticks = ticks.filter((t) => preferred.has(t.value));
  const major = new Set([1, 10, 60, 600, 3600, 86400, 7 * 86400]);
  if (!fits(ticks)) ticks = ticks.filter((t) => major.has(t.value));
  while (!fits(ticks) && ticks.length > 2) ticks = ticks.filter((_, i) => i % 2 === 0);
  return ticks;
}
