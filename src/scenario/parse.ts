/**
 * Scenario parsing and validation on text and plain objects, with no file system: the browser
 * explorer and the CLI (through `load.ts`) share it, so both give the same scenario and the same
 * error messages. Trace files (`{dist: empirical, file: ...}`) are read through a {@link TraceReader}
 * the caller passes in (the CLI's refuses files outside the scenario's folder, the browser's asks
 * the user for them).
 */
import { strategyIds } from '../agents/strategy-specs.js';
import { hardwareIds } from '../hardware-models/catalogue.js';
import { mechanismParamEntries, mechanismParamsById } from '../mechanisms/params-registry.js';
import { csvRows } from './csv-rows.js';
import { ScenarioError, formatPath, type ScenarioIssue } from './errors.js';
import { checkDrawLimits } from './limits.js';
import { checkMechanismParams } from './mechanism-params.js';
import { scenarioSchema, type Scenario } from './schema.js';
import { checkStrategyParamValues, isStrategyId } from './strategy-params.js';
import { checkPlainData, parseYamlText } from './yaml.js';

/** A trace file's text, and the name its errors show (as the scenario wrote it). */
export interface TraceText {
  readonly name: string;
  readonly text: string;
}

/**
 * Reads a trace file named by a scenario (`file` as written there). Throws an Error whose message
 * becomes the issue at `requesters[i].<key>.file` (e.g. the browser's "pick the file" refusal).
 */
export type TraceReader = (file: string) => TraceText;

/** A reader for places with no files: every `file:` trace is refused with this message. */
export function noTraces(file: string): TraceText {
  throw new Error(`cannot read trace file "${file}" here (give the values inline with values: [...])`);
}

/** Parses scenario text (YAML or JSON). `file` names it in errors; traces come from `readTrace`. */
export function parseScenarioTextWith(text: string, file: string, readTrace: TraceReader): Scenario {
  const r = parseYamlText(text);
  if (!r.ok) throw new ScenarioError(file, r.issues);
  return parseScenarioWith(r.value, file, readTrace);
}

/** Validates a plain object as a scenario, applies defaults and loads trace files through `readTrace`. */
export function parseScenarioWith(raw: unknown, file: string, readTrace: TraceReader): Scenario {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ScenarioError(file, [
      { path: '', message: 'expected a mapping of scenario keys (name, seed, duration, window, mechanisms, operators, requesters)' },
    ]);
  }
  const hostile = checkPlainData(raw);
  if (hostile.length > 0) throw new ScenarioError(file, hostile);
  // jitless: zod would otherwise generate (new Function) and compile a fast parser for each object
  // schema on its first parse, which costs more than it saves on the one parse most processes make
  // (about 7 ms CPU of `pmsim validate`'s, issue 10); the checks and issues are the same.
  const r = scenarioSchema.safeParse(raw, { jitless: true });
  if (!r.success) {
    throw new ScenarioError(
      file,
      r.error.issues.flatMap((i) => explain(i, [])),
    );
  }
  const s = r.data;
  const issues: ScenarioIssue[] = [];
  checkNames(s, issues);
  checkGangs(s, issues);
  if (issues.length > 0) throw new ScenarioError(file, issues);
  loadTraces(s, readTrace, issues);
  if (issues.length === 0) checkDrawLimits(s, issues);
  if (issues.length > 0) throw new ScenarioError(file, issues);
  return s;
}

interface ZodIssueLike {
  code: string;
  message: string;
  path: PropertyKey[];
  keys?: string[];
  errors?: ZodIssueLike[][];
}

/**
 * Turns a zod issue into messages a person can act on. A failed union (a number OR a
 * distribution, say) is explained by the branch that got furthest, not as "Invalid input".
 */
function explain(i: ZodIssueLike, prefix: PropertyKey[]): ScenarioIssue[] {
  const path = [...prefix, ...i.path];
  if (i.code === 'invalid_union' && i.errors && i.errors.length > 0) {
    const depth = (b: ZodIssueLike[]): number => Math.max(...b.map((x) => x.path.length + (x.code === 'invalid_type' ? 0 : 0.5)));
    const best = [...i.errors].sort((a, b) => depth(b) - depth(a))[0]!;
    if (depth(best) > 0.5) return best.flatMap((x) => explain(x, path));
    if (i.message && !i.message.startsWith('Invalid input')) return [{ path: formatPath(path), message: i.message }];
    return [
      {
        path: formatPath(path),
        message: `expected one of: ${i.errors.map((b) => b.map((x) => x.message.replace('Invalid input: ', '')).join(', ')).join(' | ')}`,
      },
    ];
  }
  return [{ path: formatPath(path), message: describe(i) }];
}

function describe(i: { code: string; message: string; keys?: string[] }): string {
  if (i.code === 'unrecognized_keys' && i.keys)
    return `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}`;
  if (i.message.startsWith('Invalid input: expected')) return i.message.replace('Invalid input: ', '');
  return i.message;
}

function checkNames(s: Scenario, issues: ScenarioIssue[]): void {
  const ids = mechanismParamEntries().map((m) => m.id);
  s.mechanisms.forEach((m, i) => {
    const ref = typeof m === 'string' ? { id: m, params: {} as Record<string, unknown>, preset: undefined } : m;
    const entry = ids.includes(ref.id) ? mechanismParamsById(ref.id) : undefined;
    if (!entry) {
      issues.push({ path: `mechanisms[${i}]`, message: `unknown mechanism "${ref.id}" (expected one of: ${ids.join(', ')})` });
      return;
    }
    // The parameter tables are at least as strict as the factories' own checks (a test builds every
    // mechanism from the values the tables accept), so the factories need not load here: validating
    // a scenario reads parameters only (issue 10: a fast `pmsim validate`).
    for (const b of checkMechanismParams(ref.id, ref.params, entry.presets, ref.preset))
      issues.push({ path: `mechanisms[${i}].${b.path}`, message: b.message });
  });
  const hw = hardwareIds;
  const st = strategyIds();
  s.operators.forEach((g, i) => {
    if (!hw.includes(g.hardware))
      issues.push({ path: `operators[${i}].hardware`, message: `unknown hardware "${g.hardware}" (expected one of: ${hw.join(', ')})` });
    if (!isStrategyId(g.strategy))
      issues.push({ path: `operators[${i}].strategy`, message: `unknown strategy "${g.strategy}" (expected one of: ${st.join(', ')})` });
    else
      for (const b of checkStrategyParamValues(g.strategy, g.params))
        issues.push({ path: `operators[${i}].${b.path}`, message: b.message });
  });
  const seen = new Set<string>();
  s.operators.forEach((g, i) => {
    if (seen.has(g.name)) issues.push({ path: `operators[${i}].name`, message: `duplicate group name "${g.name}"` });
    seen.add(g.name);
  });
}

/**
 * Gang jobs (`gang` > 1) prove once on N nodes together: a redundant gang (N nodes, k times) is not
 * modelled, and an aggregator's job is a single-node job.
 */
function checkGangs(s: Scenario, issues: ScenarioIssue[]): void {
  s.requesters.forEach((r, i) => {
    if (r.gang === undefined || r.gang === 1) return;
    if (r.redundancy > 1)
      issues.push({
        path: `requesters[${i}].gang`,
        message: `expected redundancy 1 with a gang of ${r.gang} nodes, got redundancy ${r.redundancy}`,
      });
    if (r.aggregate)
      issues.push({
        path: `requesters[${i}].gang`,
        message: `expected no gang on an aggregator (aggregation jobs run on one node), got ${r.gang}`,
      });
  });
}

type Dist = { dist: string; file?: string; column?: string | number; values?: number[] };

/** The `file:` traces a scenario names, as written (for a page to ask the user for them). */
export function traceFiles(s: Scenario): string[] {
  const out: string[] = [];
  for (const r of s.requesters) {
    for (const key of ['arrival', 'size_mcycles', 'deadline'] as const) {
      const d = r[key] as unknown as Dist | number;
      if (typeof d === 'object' && d.dist === 'empirical' && d.values === undefined && d.file && !out.includes(d.file)) out.push(d.file);
    }
  }
  return out;
}

function loadTraces(s: Scenario, readTrace: TraceReader, issues: ScenarioIssue[]): void {
  s.requesters.forEach((r, i) => {
    for (const key of ['arrival', 'size_mcycles', 'deadline'] as const) {
      const d = r[key] as unknown as Dist | number;
      if (typeof d !== 'object' || d.dist !== 'empirical' || d.values !== undefined || !d.file) continue;
      const path = `requesters[${i}].${key}.file`;
      try {
        const t = readTrace(d.file);
        d.values = parseColumn(t.text, t.name, d.column ?? 0);
        if (d.values.length === 0) issues.push({ path, message: `no numeric values in "${d.file}"` });
      } catch (e) {
        issues.push({ path, message: (e as Error).message });
      }
    }
  });
}

/**
 * One numeric column of CSV text (by header name or index); a header row is skipped. `name` names
 * the file in messages. A bad cell is quoted, cut to 24 characters, so a wrong file is
 * recognisable without echoing its content.
 */
export function parseColumn(text: string, name: string, column: string | number): number[] {
  const rows = csvRows(text);
  let col = typeof column === 'number' ? column : -1;
  let start = 0;
  if (rows.length > 0 && rows[0]!.some((c) => c.trim() !== '' && !Number.isFinite(Number(c)))) {
    start = 1;
    if (typeof column === 'string') col = rows[0]!.findIndex((c) => c.trim() === column);
  }
  if (col < 0) throw new Error(`no column "${String(column)}" in ${name}`);
  const out: number[] = [];
  for (let i = start; i < rows.length; i++) {
    const cell = rows[i]![col];
    if (cell === undefined || cell.trim() === '') continue;
    const v = Number(cell);
    if (!Number.isFinite(v) || v < 0)
      throw new Error(`row ${i + 1} of ${name}: expected a number ≥ 0, got "${cell.length > 24 ? `${cell.slice(0, 21)}...` : cell}"`);
    out.push(v);
  }
  return out;
}
