/** report.md: the same content as report.html, with figures as files under figures/. */
import type { Report } from './build.js';
import { tableMarkdown } from './tables.js';

/** "Scenario x · seeds 1, 2, 3 · pmsim 0.1.0" */
export function provenanceLine(r: Report): string {
  const m = r.meta;
  const parts: string[] = [];
  parts.push(`${m.kind === 'run' ? 'Scenario' : 'Sweep'} ${m.name || '(unnamed)'}`);
  parts.push(m.seedText);
  parts.push(`${m.mechanisms.length} mechanism${m.mechanisms.length === 1 ? '' : 's'}: ${m.mechanisms.join(', ') || 'none'}`);
  parts.push(m.version ? `pmsim ${m.version}` : 'pmsim version not recorded');
  return parts.join(' · ');
}

/** Options of {@link renderMarkdown}. */
export interface MarkdownOptions {
  /** Show PNG images (and link the SVGs); otherwise show the SVGs. */
  readonly png: boolean;
  /** Figure folder, relative to report.md (default `figures`). */
  readonly figuresDir?: string;
}

/** Renders report.md. */
export function renderMarkdown(r: Report, o: MarkdownOptions): string {
  const dir = o.figuresDir ?? 'figures';
  const lines: string[] = [];
  lines.push(`# ${r.title}`, '', provenanceLine(r), '', '## Headlines', '');
  for (const h of r.headlines) lines.push(`- ${h}`);
  lines.push('', '## Key figures', '');
  for (const t of r.tables) lines.push(tableMarkdown(t), '');
  lines.push('## Charts', '');
  for (const f of r.figures) {
    lines.push(`### ${f.title[0].toUpperCase()}${f.title.slice(1)}`, '');
    if (o.png) lines.push(`![${f.title}](${dir}/${f.name}.png)`, '', `${f.caption} ([SVG](${dir}/${f.name}.svg))`, '');
    else lines.push(`![${f.title}](${dir}/${f.name}.svg)`, '', f.caption, '');
  }
  lines.push('## Reproduce', '', '```sh', r.meta.command, r.meta.reportCommand, '```', '');
  return lines.join('\n');
}
