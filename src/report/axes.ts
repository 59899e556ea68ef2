/**
 * Axes drawn by hand on d3 scales, so tick count, label spacing and number formatting stay under
 * control: tick labels never overlap (the count is reduced until they fit) and coordinates are
 * rounded for byte-stable output.
 */
import { scaleLinear, type ScaleLinear } from 'd3';
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
}

/** Draws a bottom axis with `ticks` on `scale`. */
export function drawXAxis(g: Sel, scale: (v: number) => number, ticks: readonly Tick[], o: XAxisOptions): void {
  const a = g.append('g').attr('class', 'axis axis-x').attr('transform', `translate(0,${r2(o.y)})`);
  for (const t of ticks) {
    const x = r2(scale(t.value));
    if (o.grid) a.append('line').attr('class', 'grid').attr('x1', x).attr('x2', x).attr('y1', -r2(o.grid)).attr('y2', 0).attr('stroke', GRID);
    a.append('line').attr('x1', x).attr('x2', x).attr('y1', 0).attr('y2', 5).attr('stroke', MUTED);
    a.append('text').attr('x', x).attr('y', 17).attr('text-anchor', 'middle').attr('font-size', TICK_FONT).attr('fill', MUTED).text(t.label);
  }
  a.append('line').attr('class', 'domain').attr('x1', 0).attr('x2', r2(o.width)).attr('y1', 0).attr('y2', 0).attr('stroke', MUTED);
  if (o.label) {
    a.append('text').attr('class', 'axis-title').attr('x', r2(o.width / 2)).attr('y', 36).attr('text-anchor', 'middle').attr('font-size', AXIS_FONT).attr('fill', INK).text(o.label);
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
}

/** Draws a vertical axis with `ticks` on `scale`. */
export function drawYAxis(g: Sel, scale: (v: number) => number, ticks: readonly Tick[], o: YAxisOptions): void {
  const right = o.side === 'right';
  const a = g.append('g').attr('class', 'axis axis-y').attr('transform', `translate(${r2(o.x ?? 0)},0)`);
  for (const t of ticks) {
    const y = r2(scale(t.value));
    if (o.grid) a.append('line').attr('class', 'grid').attr('x1', 0).attr('x2', r2(o.grid)).attr('y1', y).attr('y2', y).attr('stroke', GRID);
    a.append('line').attr('x1', right ? 0 : -5).attr('x2', right ? 5 : 0).attr('y1', y).attr('y2', y).attr('stroke', MUTED);
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
