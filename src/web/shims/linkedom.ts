/**
 * The report's charts build SVG on linkedom's DOM (src/report/svg.ts) on the server. In the
 * browser the bundler maps `linkedom` here, so the same chart code runs on the page's real
 * document.
 */
export function parseHTML(): { document: Document } {
  return { document: window.document };
}
