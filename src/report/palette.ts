/**
 * Colour-blind-safe colours (Okabe & Ito, 2008), ordered so that the first ones contrast well on
 * white; yellow comes late because thin yellow lines are hard to see.
 */
export const OKABE_ITO = [
  '#0072B2', // blue
  '#E69F00', // orange
  '#009E73', // bluish green
  '#D55E00', // vermillion
  '#CC79A7', // reddish purple
  '#56B4E9', // sky blue
  '#F0E442', // yellow
  '#000000', // black
] as const;

/** Neutral grey for "others" and reference marks. */
export const GREY = '#999999';

/** Dash patterns that double-encode series beyond the palette's length (and help in greyscale). */
const DASHES = ['', '6 3', '2 3', '8 3 2 3'];

/** Colour of the i-th series. */
export function seriesColor(i: number): string {
  return OKABE_ITO[i % OKABE_ITO.length];
}

/** Dash pattern of the i-th series (empty: solid). */
export function seriesDash(i: number): string {
  return DASHES[Math.floor(i / OKABE_ITO.length) % DASHES.length];
}

/** Maps names to colours by position. */
export function colorMap(names: readonly string[]): Map<string, string> {
  return new Map(names.map((n, i) => [n, seriesColor(i)]));
}
