/**
 * Colours of the report. Mechanisms get a 12-colour qualitative scheme with no repeat: the
 * colour-blind-safe Okabe & Ito (2008) eight, ordered so that the first ones contrast well on white
 * (yellow late: thin yellow lines are hard to see), then four dark colours from Paul Tol's "muted"
 * scheme (wine, indigo, olive) and a brown, picked so that every pair stays at least ΔE76 = 20
 * apart in CIELAB (checked by test/report-charts.test.ts). Entities (market-share areas) get their
 * own lighter scheme, Tol's "light", so an entity is never mistaken for a mechanism.
 */
export const MECHANISM_COLORS = [
  '#0072B2', // blue
  '#E69F00', // orange
  '#009E73', // bluish green
  '#D55E00', // vermillion
  '#CC79A7', // reddish purple
  '#56B4E9', // sky blue
  '#000000', // black
  '#882255', // wine (Tol muted)
  '#F0E442', // yellow
  '#332288', // indigo (Tol muted)
  '#999933', // olive (Tol muted)
  '#8C564B', // brown
] as const;

/** The Okabe & Ito colours (kept for callers that want exactly that scheme). */
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'] as const;

/** Entity colours (Paul Tol's "light" scheme), distinct from every mechanism colour. */
export const ENTITY_COLORS = ['#77AADD', '#EE8866', '#44BB99', '#EEDD88', '#FFAABB', '#99DDFF', '#BBCC33', '#AAAA00'] as const;

/** Neutral grey for "others" and reference marks. */
export const GREY = '#999999';

/** Dash patterns that double-encode series beyond the palette's length (and help in greyscale). */
const DASHES = ['', '6 3', '2 3', '8 3 2 3'];

/** Colour of the i-th mechanism series: no repeat among the first 12. */
export function seriesColor(i: number): string {
  return MECHANISM_COLORS[i % MECHANISM_COLORS.length];
}

/** Dash pattern of the i-th series (empty: solid); from the 13th series on, colours repeat with a dash. */
export function seriesDash(i: number): string {
  return DASHES[Math.floor(i / MECHANISM_COLORS.length) % DASHES.length];
}

/** Colour of the i-th entity in a market-share chart. */
export function entityColor(i: number): string {
  return ENTITY_COLORS[i % ENTITY_COLORS.length];
}

/** Maps names to colours by position. */
export function colorMap(names: readonly string[]): Map<string, string> {
  return new Map(names.map((n, i) => [n, seriesColor(i)]));
}

/** CIELAB (D65) of a `#rrggbb` colour, for distance checks. */
export function toLab(hex: string): [number, number, number] {
  const c = [1, 3, 5]
    .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  const [r, g, b] = c as [number, number, number];
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** ΔE76 between two `#rrggbb` colours. */
export function deltaE(a: string, b: string): number {
  const p = toLab(a);
  const q = toLab(b);
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}
