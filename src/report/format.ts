/**
 * Fixed number and text formatting for charts and report text. Nothing here depends on the
 * locale or the clock, so output is byte-identical across machines.
 */
import { format } from 'd3';

const comma0 = format(',.0f');

/** Rounds a coordinate to 2 decimals (keeps SVG small and stable). */
export function r2(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * Formats a number compactly with about 3 significant digits: 1.23k, 45.6M, 0.0123, 12.3.
 */
export function fmtNumber(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  const a = Math.abs(x);
  if (a === 0) return '0';
  // [threshold, divisor, suffix]: below 10,000 numbers are written out (1,234).
  const units: Array<[number, number, string]> = [
    [1e12, 1e12, 'T'],
    [1e9, 1e9, 'B'],
    [1e6, 1e6, 'M'],
    [1e4, 1e3, 'k'],
  ];
  for (const [t, v, s] of units) {
    if (a >= t) return trimZeros(format(`.${digits}~r`)(x / v)) + s;
  }
  if (a >= 1000) return comma0(x);
  if (a >= 1e-4) return trimZeros(format(`.${digits}~r`)(x));
  return format(`.${Math.max(1, digits - 1)}~e`)(x);
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** Formats US dollars: $1.23k, $0.0123. */
export function fmtUsd(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  return (x < 0 ? '−$' : '$') + fmtNumber(Math.abs(x), digits);
}

/** Formats a 0–1 fraction as a percentage with `decimals` decimals: 0.9923 → "99.2%". */
export function fmtPct(x: number | null | undefined, decimals = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  return `${(x * 100).toFixed(decimals)}%`;
}

/** Formats an integer count with thousands separators. */
export function fmtInt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  return comma0(x);
}

/** A time unit for axes: the largest of s, min, h, d that keeps the span above 2 units. */
export interface TimeUnit {
  readonly label: string;
  readonly seconds: number;
}

/** Picks a time unit for a span in seconds. */
export function timeUnit(spanSeconds: number): TimeUnit {
  if (spanSeconds >= 2 * 86400) return { label: 'd', seconds: 86400 };
  if (spanSeconds >= 2 * 3600) return { label: 'h', seconds: 3600 };
  if (spanSeconds >= 2 * 60) return { label: 'min', seconds: 60 };
  return { label: 's', seconds: 1 };
}

/** Formats a duration in seconds with a readable unit: "850 ms", "12.3 s", "4.5 min", "2.1 h". */
export function fmtDuration(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return 'n/a';
  if (s < 1) return `${fmtNumber(s * 1000)} ms`;
  if (s < 120) return `${fmtNumber(s)} s`;
  if (s < 7200) return `${fmtNumber(s / 60)} min`;
  if (s < 172800) return `${fmtNumber(s / 3600)} h`;
  return `${fmtNumber(s / 86400)} d`;
}

/**
 * Estimated width in px of a text in the chart font (DejaVu Sans / Helvetica-like). Deliberately
 * generous so that labels sized from it do not overlap.
 */
export function textWidth(text: string, fontSize: number): number {
  let w = 0;
  for (const ch of text) {
    if ("il.,:;|!'`".includes(ch)) w += 0.32;
    else if ('ftjrI()[] '.includes(ch)) w += 0.42;
    else if ('mwMW%@'.includes(ch)) w += 0.92;
    else if (ch >= 'A' && ch <= 'Z') w += 0.7;
    else w += 0.62;
  }
  return w * fontSize;
}

/** Shortens a label to at most `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

/**
 * Shortens a label to at most `max` characters by cutting its middle, so labels that share a
 * prefix stay distinct: `a-long-workload-profile-3` → `a-long-w…profile-3`.
 */
export function truncateMiddle(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const keep = Math.max(2, max - 1);
  const head = Math.ceil(keep / 2);
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - (keep - head)).join('')}`;
}

/** Escapes text for HTML and XML. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
