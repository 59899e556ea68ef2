/** PNG figures rendered from the chart SVGs with resvg (Rust, no browser, no native build step). */
import { Resvg } from '@resvg/resvg-js';

/** Options of {@link svgToPng}. */
export interface PngOptions {
  /** Output width in px (default: twice the SVG's width, for sharp text on high-DPI screens). */
  readonly width?: number;
}

/**
 * Renders an SVG string to PNG bytes. Text uses the system fonts (DejaVu Sans on Debian); the
 * SVG's own white background rect gives an opaque image.
 */
export function svgToPng(svg: string, opts: PngOptions = {}): Buffer {
  const m = /<svg[^>]*\swidth="(\d+(?:\.\d+)?)"/.exec(svg);
  const w = m ? Number(m[1]) : 720;
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: Math.round(opts.width ?? w * 2) },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    background: '#ffffff',
  });
  return resvg.render().asPng();
}
