/** What a report says about where its data came from: scenario, seeds, version, command. */
import { isAbsolute, relative } from 'node:path';
import { distinct, num, str, type Row } from './rows.js';
import type { Results } from './load.js';

/** Provenance of a results directory. */
export interface ReportMeta {
  readonly kind: 'run' | 'sweep';
  /** Scenario (run) or sweep name; '' if unknown. */
  readonly name: string;
  /** Seeds, ascending. */
  readonly seeds: number[];
  /** How the seeds are described: "seed 42", "3 seeds: 1, 2, 3", "master seed 7, 5 replicates per point". */
  readonly seedText: string;
  /** pmsim version that wrote the results, or null if not recorded. */
  readonly version: string | null;
  /** The command that reproduces the results. */
  readonly command: string;
  /** The command that regenerates the report. */
  readonly reportCommand: string;
  /** Mechanisms in file order. */
  readonly mechanisms: string[];
}

type Json = Record<string, unknown>;

function get(o: unknown, ...path: string[]): unknown {
  let v: unknown = o;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Json)[k];
  }
  return v;
}

function firstString(...vs: unknown[]): string | null {
  for (const v of vs) if (typeof v === 'string' && v.trim() !== '') return v;
  return null;
}

function seedsOf(rows: readonly Row[], fromJson: unknown): number[] {
  const set = new Set<number>();
  if (Array.isArray(fromJson)) for (const s of fromJson) if (typeof s === 'number') set.add(s);
  for (const r of rows) {
    const s = num(r, 'seed');
    if (s !== null) set.add(s);
  }
  return [...set].sort((a, b) => a - b);
}

function quoteArg(s: string): string {
  return /^[\w./:@=,+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** A directory as a user would type it: relative to the working directory when inside it. */
export function displayPath(dir: string): string {
  const rel = relative(process.cwd(), dir);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? dir : rel;
}

/**
 * Reads the provenance of loaded results (run.json / manifest.json first, the rows second).
 * `dirName` is how the results directory is shown in commands (default: {@link displayPath}).
 */
export function reportMeta(res: Results, dirName: string = displayPath(res.dir)): ReportMeta {
  if (res.kind === 'run') {
    const j = res.runJson;
    const name = firstString(get(j, 'scenario', 'name'), get(j, 'name'), res.summary.length ? str(res.summary[0], 'scenario') : '') ?? '';
    const seeds = seedsOf(res.summary, get(j, 'seeds'));
    const file = firstString(get(j, 'scenario_file'), get(j, 'scenarioFile'));
    const recorded = firstString(get(j, 'command'));
    const seedArg = seeds.length === 1 ? ` --seed ${seeds[0]}` : '';
    const command = npx(recorded ?? `pmsim run ${file ? quoteArg(file) : `<${name || 'scenario'}.yaml>`}${seedArg}`);
    return {
      kind: 'run',
      name,
      seeds,
      seedText: seedText(seeds),
      version: firstString(get(j, 'pmsim_version'), get(j, 'pmsimVersion'), get(j, 'version')),
      command: /--out\b/.test(command) ? command : `${command} --out ${quoteArg(dirName)}`,
      reportCommand: `npx pmsim report ${quoteArg(dirName)}`,
      mechanisms: distinct(res.summary, 'mechanism').filter((m) => m !== ''),
    };
  }
  const m = res.manifest;
  const rows = res.runs.length ? res.runs : res.aggregate;
  const name = firstString(get(m, 'sweep', 'name'), get(m, 'name'), res.runs.length ? str(res.runs[0], 'scenario') : '') ?? '';
  const file = firstString(get(m, 'sweep_file'), get(m, 'sweepFile'), get(m, 'file'), get(m, 'path'));
  const recorded = firstString(get(m, 'command'));
  const command = npx(recorded ?? `pmsim sweep ${file ? quoteArg(file) : '<sweep.yaml>'}`);
  const seeds = seedsOf(res.runs, get(m, 'sweep', 'seeds') ?? get(m, 'seeds'));
  const master = get(m, 'sweep', 'seed');
  const reps = get(m, 'sweep', 'replicates');
  const derived =
    typeof master === 'number'
      ? `master seed ${master}${typeof reps === 'number' ? `, ${reps} replicate${reps === 1 ? '' : 's'} per point` : ''}${seeds.length ? ` (${seeds.length} run seed${seeds.length === 1 ? '' : 's'})` : ''}`
      : null;
  return {
    kind: 'sweep',
    name,
    seeds,
    seedText: derived ?? seedText(seeds),
    version: firstString(get(m, 'pmsim_version'), get(m, 'pmsimVersion'), get(m, 'version')),
    command: /--out\b/.test(command) ? command : `${command} --out ${quoteArg(dirName)}`,
    reportCommand: `npx pmsim report ${quoteArg(dirName)}`,
    mechanisms: distinct(rows, 'mechanism').filter((x) => x !== ''),
  };
}

/** Seeds as "seed 42", "3 seeds: 1, 2, 3", "20 seeds: 1–20" or "40 seeds: 5, 9, … (40 in all)". */
export function seedText(seeds: readonly number[]): string {
  if (seeds.length === 0) return 'seeds not recorded';
  if (seeds.length === 1) return `seed ${seeds[0]}`;
  const consecutive = seeds.every((s, i) => i === 0 || s === seeds[i - 1] + 1);
  const list =
    seeds.length > 4 && consecutive
      ? `${seeds[0]}–${seeds[seeds.length - 1]}`
      : seeds.length > 8
        ? `${seeds.slice(0, 6).join(', ')}, …`
        : seeds.join(', ');
  return `${seeds.length} seeds: ${list}`;
}

/**
 * A recorded `pmsim ...` command as it works inside a clone of the repository, where `pmsim` is not
 * on the PATH but `npx pmsim` is (npm links the package's own bin).
 */
export function npx(command: string): string {
  return /^pmsim\s/.test(command) ? `npx ${command}` : command;
}
