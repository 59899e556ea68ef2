/** The self-contained HTML report: inline CSS and SVG, no script, no external fetch. */
import type { Report } from './build.js';
import { escapeHtml } from './format.js';
import { provenanceLine } from './markdown.js';
import { tableHtml } from './tables.js';

/** Stylesheet of report.html: a single readable column, at most 760 px wide, charts scale down. */
export const REPORT_CSS = `*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#fff;color:#222;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Helvetica,Arial,sans-serif}
main{max-width:760px;margin:0 auto;padding:16px 20px 40px}
h1{font-size:1.6em;line-height:1.25;margin:.6em 0 .3em}
h2{font-size:1.2em;margin:1.6em 0 .5em;border-bottom:1px solid #e3e3e3;padding-bottom:.2em}
p.meta{color:#555;margin:.2em 0 1em;overflow-wrap:anywhere}
ul.headlines{padding-left:1.2em}
ul.headlines li{margin:.35em 0}
figure{margin:1.4em 0;max-width:100%}
figure svg{display:block;width:100%;max-width:720px;height:auto}
figcaption{color:#555;font-size:.9em;margin-top:.4em}
.table-wrap{max-width:100%;overflow-x:auto;margin:.6em 0 1.2em}
table{border-collapse:collapse;font-size:.88em;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding:.2em 0 .4em}
th,td{padding:.3em .5em;border-bottom:1px solid #e3e3e3}
td{white-space:nowrap}
th{border-bottom:2px solid #999;font-weight:600;vertical-align:bottom}
.r{text-align:right}.l{text-align:left}
pre{background:#f6f6f6;padding:.7em .9em;border-radius:4px;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.88em}
code{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace}
footer{color:#777;font-size:.85em;margin-top:2.5em}`;

/** Renders report.html. Charts are inlined as SVG so the file stands alone. */
export function renderHtml(r: Report): string {
  const figs = r.figures
    .map((f) => `<figure class="chart" id="fig-${f.name}">\n${f.svg}\n<figcaption>${escapeHtml(f.caption)}</figcaption>\n</figure>`)
    .join('\n');
  const heads = r.headlines.map((h) => `<li>${escapeHtml(h)}</li>`).join('\n');
  const tables = r.tables.map(tableHtml).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="pmsim report">
<title>${escapeHtml(r.title)}</title>
<style>
${REPORT_CSS}
</style>
</head>
<body>
<main>
<h1>${escapeHtml(r.title)}</h1>
<p class="meta">${escapeHtml(provenanceLine(r))}</p>
<h2>Headlines</h2>
<ul class="headlines">
${heads}
</ul>
<h2>Key figures</h2>
${tables}
<h2>Charts</h2>
${figs}
<h2>Reproduce</h2>
<pre><code>${escapeHtml(`${r.meta.command}\n${r.meta.reportCommand}`)}</code></pre>
<footer>Written by pmsim report${r.meta.version ? ` from results of pmsim ${escapeHtml(r.meta.version)}` : ''}.</footer>
</main>
</body>
</html>
`;
}
