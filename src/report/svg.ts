/**
 * Server-side SVG documents for d3: a linkedom DOM (no browser, no jsdom) and a serializer.
 * Charts are plain d3 code on these nodes and come out as SVG strings.
 */
import { select, type Selection } from 'd3';
import { parseHTML } from 'linkedom';
import { textWidth } from './format.js';

/** The SVG namespace. */
export const SVG_NS = 'http://www.w3.org/2000/svg';

/** Font stack of every chart (DejaVu Sans is what resvg finds on Debian). */
export const FONT_FAMILY = 'DejaVu Sans, Helvetica, Arial, sans-serif';

/** Default chart width in px: fits a 720 px blog column. */
export const CHART_WIDTH = 720;

/** Text colour. */
export const INK = '#222222';
/** Secondary text and axis colour. */
export const MUTED = '#555555';
/** Grid line colour. */
export const GRID = '#e3e3e3';

/** A d3 selection of any node in a chart (the DOM types come from linkedom, not lib.dom). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
// biome-ignore lint/suspicious/noExplicitAny: d3 selections of any element under any parent (the chart helpers mix svg, g and text)
export type Sel = Selection<any, unknown, any, unknown>;

interface NodeFactory {
  createElementNS(ns: string, name: string): unknown;
}

let doc: NodeFactory | null = null;

function document(): NodeFactory {
  if (doc === null) doc = parseHTML('<!doctype html><html><head></head><body></body></html>').document as NodeFactory;
  return doc;
}

/** A new chart root: an `<svg>` with size, viewBox, font, an accessible title and a white background. */
export interface ChartRoot {
  readonly svg: Sel;
  readonly width: number;
  readonly height: number;
}

/**
 * Creates an SVG root `width`×`height` px. `name` goes into `data-chart` so pages and tests can
 * find the chart; `title` becomes the accessible `<title>`.
 */
export function createChart(name: string, width: number, height: number, title: string): ChartRoot {
  const node = document().createElementNS(SVG_NS, 'svg');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  // biome-ignore lint/suspicious/noExplicitAny: linkedom's element is not a DOM Element to d3's types
  const svg = select(node as any) as Sel;
  svg
    .attr('xmlns', SVG_NS)
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('role', 'img')
    .attr('aria-label', title)
    .attr('class', 'pmsim-chart')
    .attr('data-chart', name)
    .attr('font-family', FONT_FAMILY)
    .attr('font-size', 12)
    .attr('fill', INK);
  svg.append('title').text(title);
  svg.append('rect').attr('class', 'background').attr('width', width).attr('height', height).attr('fill', '#ffffff');
  return { svg, width, height };
}

/** Serializes a chart root to an SVG string. */
export function serialize(root: ChartRoot): string {
  return (root.svg.node() as { outerHTML: string }).outerHTML;
}

/** Splits text into lines of at most `maxWidth` px (estimated), breaking at spaces. */
export function wrapText(text: string, fontSize: number, maxWidth: number): string[] {
  const words = text.split(/\s+/).filter((w) => w !== '');
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    const next = cur ? `${cur} ${w}` : w;
    if (cur && textWidth(next, fontSize) > maxWidth) {
      lines.push(cur);
      cur = w;
    } else cur = next;
  }
  if (cur) lines.push(cur);
  return lines;
}

/**
 * Draws the title (bold) and an optional subtitle, wrapped to the chart width; returns the y just
 * below them.
 */
export function drawHeader(svg: Sel, title: string, subtitle: string | undefined, x = 12): number {
  const width = Number(svg.attr('width')) - 2 * x;
  let y = 22;
  for (const l of wrapText(title, 15, width)) {
    svg.append('text').attr('class', 'chart-title').attr('x', x).attr('y', y).attr('font-size', 15).attr('font-weight', 'bold').text(l);
    y += 19;
  }
  if (!subtitle) return y - 9;
  y -= 1;
  for (const l of wrapText(subtitle, 11.5, width)) {
    svg.append('text').attr('class', 'chart-subtitle').attr('x', x).attr('y', y).attr('font-size', 11.5).attr('fill', MUTED).text(l);
    y += 15;
  }
  return y - 5;
}

/** Draws a "no data" note in a plot area (charts stay valid when a file has no usable rows). */
export function drawNoData(g: Sel, x: number, y: number, text = 'no data'): void {
  g.append('text').attr('class', 'no-data').attr('x', x).attr('y', y).attr('text-anchor', 'middle').attr('fill', MUTED).text(text);
}
