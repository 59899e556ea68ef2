/** Chart legends laid out in wrapped rows, sized before drawing so plots can be placed below. */
import { r2, textWidth } from './format.js';
import { INK, type Sel } from './svg.js';

/** One legend entry: a swatch (filled box, line, or whisker) and its label. */
export interface LegendItem {
  readonly label: string;
  readonly color: string;
  readonly kind?: 'box' | 'line' | 'whisker' | 'dot' | 'tick';
  readonly dash?: string;
}

const FONT = 11.5;
const SWATCH = 18;
const GAP = 16;
const ROW = 18;

interface Placed {
  readonly item: LegendItem;
  readonly x: number;
  readonly row: number;
}

function place(items: readonly LegendItem[], maxWidth: number): Placed[] {
  const out: Placed[] = [];
  let x = 0;
  let row = 0;
  for (const item of items) {
    const w = SWATCH + 5 + textWidth(item.label, FONT);
    if (x > 0 && x + w > maxWidth) {
      row += 1;
      x = 0;
    }
    out.push({ item, x, row });
    x += w + GAP;
  }
  return out;
}

/** Height in px a legend takes at `maxWidth`. */
export function legendHeight(items: readonly LegendItem[], maxWidth: number): number {
  if (items.length === 0) return 0;
  const placed = place(items, maxWidth);
  return (placed[placed.length - 1].row + 1) * ROW;
}

/** Draws a legend with its top-left at (x, y); returns its height. */
export function drawLegend(svg: Sel, items: readonly LegendItem[], x: number, y: number, maxWidth: number): number {
  if (items.length === 0) return 0;
  const g = svg
    .append('g')
    .attr('class', 'legend')
    .attr('transform', `translate(${r2(x)},${r2(y)})`);
  const placed = place(items, maxWidth);
  for (const p of placed) {
    const cy = p.row * ROW + ROW / 2;
    const e = g
      .append('g')
      .attr('class', 'legend-item')
      .attr('transform', `translate(${r2(p.x)},${r2(cy)})`);
    const kind = p.item.kind ?? 'box';
    if (kind === 'box') {
      e.append('rect')
        .attr('x', 0)
        .attr('y', -6)
        .attr('width', SWATCH - 4)
        .attr('height', 12)
        .attr('fill', p.item.color);
    } else if (kind === 'dot') {
      e.append('circle').attr('cx', 7).attr('cy', 0).attr('r', 4.5).attr('fill', p.item.color);
    } else if (kind === 'tick') {
      e.append('path').attr('d', 'M7,-7V7').attr('stroke', p.item.color).attr('stroke-width', 2).attr('fill', 'none');
    } else if (kind === 'whisker') {
      e.append('path').attr('d', 'M7,-6V6M3,-6H11M3,6H11').attr('stroke', p.item.color).attr('stroke-width', 1.5).attr('fill', 'none');
    } else {
      const l = e
        .append('path')
        .attr('d', `M0,0H${SWATCH - 2}`)
        .attr('stroke', p.item.color)
        .attr('stroke-width', 2.5)
        .attr('fill', 'none');
      if (p.item.dash) l.attr('stroke-dasharray', p.item.dash);
    }
    e.append('text')
      .attr('x', SWATCH + 3)
      .attr('y', 4)
      .attr('font-size', FONT)
      .attr('fill', INK)
      .text(p.item.label);
  }
  return legendHeight(items, maxWidth);
}
