import { createHash } from 'node:crypto';
import { basename, dirname, resolve } from 'node:path';
import { SUMMARY_COLUMNS } from '../comparison/rows.js';
import { ScenarioError, formatPath, type ScenarioIssue } from '../scenario/errors.js';
import { parseScenario } from '../scenario/load.js';
import { WorkLimitError, checkWork } from '../scenario/estimate.js';
import { readInputText } from '../scenario/read-file.js';
import { checkPlainData, parseYamlText } from '../scenario/yaml.js';
import type { Scenario } from '../scenario/schema.js';
import { VERSION } from '../version.js';
import { parsePath, setPath } from './paths.js';
import { sweepSchema } from './schema.js';
import { deriveSeed } from './seed.js';

/** A sweep file that cannot be used (file, field path, message). The CLI exits 2. */
export class SweepError extends ScenarioError {
  constructor(file: string, issues: readonly ScenarioIssue[]) {
    super(file, issues);
    this.name = 'SweepError';
  }
}

/** One axis of the grid: a `grid` key (one parameter) or a `zip` group (parameters varying together). */
export interface Axis {
  /** Dot paths of the axis's parameters. */
  readonly params: readonly string[];
  /** `values[p][k]`: the k-th value of parameter p. */
  readonly values: readonly (readonly unknown[])[];
  /** Number of values (the same for every parameter of the axis). */
  readonly length: number;
}

/**
 * Everything that defines a sweep's runs, JSON-safe: stored in the journal header and manifest, so
 * `pmsim merge` needs nothing but the shard directories.
 */
export interface SweepDefinition {
  readonly name: string;
  readonly sweep_file: string | null;
  readonly scenario_file: string | null;
  /** The base scenario as written (before defaults). */
  readonly scenario: Record<string, unknown>;
  readonly seed: number;
  readonly replicates: number;
  readonly mechanisms: readonly string[] | null;
  readonly axes: readonly Axis[];
}

/** A loaded sweep: its definition plus derived facts. */
export interface SweepPlan {
  readonly definition: SweepDefinition;
  /** Absolute path anchoring the base scenario's relative paths (trace files); '<sweep>' inline. */
  readonly scenarioPath: string;
  /** The file named in errors. */
  readonly file: string;
  /** Grid parameter columns, in order (grid keys, then zip groups). */
  readonly params: readonly string[];
  readonly points: number;
  readonly replicates: number;
  readonly runsTotal: number;
  readonly masterSeed: number;
  /** SHA-256 (hex) of the sweep: pmsim version, base scenario, axes, replicates, seed, mechanisms. */
  readonly hash: string;
}

/** One run of a sweep. */
export interface RunSpec {
  readonly index: number;
  readonly point: number;
  readonly replicate: number;
  readonly seed: number;
  /** `[dot path, value]` for every grid parameter. */
  readonly overrides: readonly (readonly [string, unknown])[];
}

/** Columns a grid parameter may not be named like (they are taken in runs.csv / aggregate.csv). */
const RESERVED = new Set<string>(['run_index', 'n', ...SUMMARY_COLUMNS]);

/** Reads and validates a sweep file (YAML or JSON). Throws {@link SweepError} / ScenarioError. */
export function loadSweepFile(file: string): SweepPlan {
  const raw = readYaml(file);
  return parseSweep(raw, file);
}

function readYaml(file: string): unknown {
  let text: string;
  try {
    text = readInputText(file);
  } catch (e) {
    throw new SweepError(file, [{ path: '', message: (e as Error).message }]);
  }
  const r = parseYamlText(text);
  if (!r.ok) throw new SweepError(file, r.issues);
  return r.value;
}

/**
 * Validates a sweep given as an object. `file` names it in errors and anchors the relative path of
 * its base scenario (default: relative to the working directory).
 */
export function parseSweep(raw: unknown, file = '<sweep>'): SweepPlan {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SweepError(file, [
      { path: '', message: 'expected a mapping of sweep keys (scenario, grid, zip, replicates, seed, mechanisms)' },
    ]);
  }
  const hostile = checkPlainData(raw);
  if (hostile.length > 0) throw new SweepError(file, hostile);
  const r = sweepSchema.safeParse(raw);
  if (!r.success) {
    throw new SweepError(
      file,
      r.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message.replace(/^Invalid input: /, '') })),
    );
  }
  const s = r.data;
  const baseDir = file === '<sweep>' ? process.cwd() : dirname(resolve(file));
  let base: Record<string, unknown>;
  let scenarioFile: string | null;
  let scenarioPath: string;
  if (typeof s.scenario === 'string') {
    scenarioPath = resolve(baseDir, s.scenario);
    scenarioFile = s.scenario;
    const b = readYaml(scenarioPath);
    if (b === null || typeof b !== 'object' || Array.isArray(b)) {
      throw new SweepError(file, [{ path: 'scenario', message: `${s.scenario} is not a mapping of scenario keys` }]);
    }
    base = b as Record<string, unknown>;
  } else {
    base = s.scenario;
    scenarioFile = null;
    scenarioPath = file === '<sweep>' ? resolve(baseDir, '<sweep>') : resolve(file);
  }

  const issues: ScenarioIssue[] = [];
  const axes: Axis[] = [];
  const seen = new Set<string>();
  const addAxis = (group: Record<string, unknown[]>, where: string) => {
    const params = Object.keys(group);
    if (params.length === 0) return;
    const lens = params.map((p) => group[p]!.length);
    if (lens.some((l) => l !== lens[0])) {
      issues.push({
        path: where,
        message: `lists of a zip group must be equally long (${params.map((p, i) => `${p}: ${lens[i]}`).join(', ')})`,
      });
      return;
    }
    for (const p of params) {
      const at = `${where}.${p}`;
      try {
        const steps = parsePath(p);
        if (steps.length === 1 && 'key' in steps[0]! && steps[0].key === 'seed') {
          seen.add(p);
          issues.push({
            path: at,
            message: "each run's seed is derived from the master seed and the run index; set `seed:` in the sweep file instead",
          });
        }
      } catch (e) {
        issues.push({ path: at, message: `bad dot path: ${(e as Error).message}` });
      }
      if (seen.has(p)) issues.push({ path: at, message: `parameter "${p}" is swept twice` });
      else if (RESERVED.has(p))
        issues.push({ path: at, message: `"${p}" is an output column name; write the path another way (e.g. with [0] for list entries)` });
      seen.add(p);
    }
    axes.push({ params, values: params.map((p) => group[p]!), length: lens[0]! });
  };
  for (const [p, v] of Object.entries(s.grid)) addAxis({ [p]: v }, 'grid');
  const zips = s.zip === undefined ? [] : Array.isArray(s.zip) ? s.zip : [s.zip];
  zips.forEach((g, i) => addAxis(g, Array.isArray(s.zip) ? `zip[${i}]` : 'zip'));
  if (issues.length > 0) throw new SweepError(file, issues);

  const baseSeed = base.seed;
  const masterSeed = s.seed ?? (typeof baseSeed === 'number' && Number.isInteger(baseSeed) && baseSeed >= 0 ? baseSeed : 1);
  const name = s.name ?? (file === '<sweep>' ? 'sweep' : basename(file).replace(/\.(ya?ml|json)$/i, ''));
  const definition: SweepDefinition = {
    name,
    sweep_file: file === '<sweep>' ? null : file,
    scenario_file: scenarioFile,
    scenario: base,
    seed: masterSeed,
    replicates: s.replicates,
    mechanisms: s.mechanisms ?? null,
    axes,
  };
  const plan = planFromDefinition(definition, file, scenarioPath);
  if (plan.runsTotal > Number.MAX_SAFE_INTEGER / 2)
    throw new SweepError(file, [{ path: 'grid', message: `too many runs (${plan.runsTotal})` }]);
  return plan;
}

/** Rebuilds a plan from a stored definition (journal header, manifest). */
export function planFromDefinition(
  definition: SweepDefinition,
  file = definition.sweep_file ?? '<sweep>',
  scenarioPath?: string,
): SweepPlan {
  const points = definition.axes.reduce((n, a) => n * a.length, 1);
  const params = definition.axes.flatMap((a) => a.params);
  return {
    definition,
    scenarioPath: scenarioPath ?? resolve(definition.scenario_file ?? '<sweep>'),
    file,
    params,
    points,
    replicates: definition.replicates,
    runsTotal: points * definition.replicates,
    masterSeed: definition.seed,
    hash: sweepHash(definition),
  };
}

/** The sweep hash: everything that changes a run's result, nothing that does not (file names, `name`). */
export function sweepHash(d: SweepDefinition): string {
  const canon = canonicalJson({
    format: 1,
    pmsim_version: VERSION,
    scenario: d.scenario,
    seed: d.seed,
    replicates: d.replicates,
    mechanisms: d.mechanisms,
    axes: d.axes.map((a) => a.params.map((p, i) => [p, a.values[i]])),
  });
  return createHash('sha256').update(canon, 'utf8').digest('hex');
}

/** JSON with object keys sorted (arrays keep their order). */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

/** The value index of every axis at grid point `point` (first axis varies slowest). */
export function pointCoords(plan: SweepPlan, point: number): number[] {
  const axes = plan.definition.axes;
  const coords = new Array<number>(axes.length);
  let rest = point;
  for (let a = axes.length - 1; a >= 0; a--) {
    const len = axes[a]!.length;
    coords[a] = rest % len;
    rest = Math.floor(rest / len);
  }
  return coords;
}

/** `[dot path, value]` of every grid parameter at a grid point, in column order. */
export function pointOverrides(plan: SweepPlan, point: number): [string, unknown][] {
  const coords = pointCoords(plan, point);
  const out: [string, unknown][] = [];
  plan.definition.axes.forEach((a, i) => {
    a.params.forEach((p, j) => out.push([p, a.values[j]![coords[i]!]]));
  });
  return out;
}

/** Run `index` of the plan: its grid point, replicate, seed and overrides. */
export function runSpec(plan: SweepPlan, index: number): RunSpec {
  if (!(Number.isInteger(index) && index >= 0 && index < plan.runsTotal))
    throw new RangeError(`run index ${index} outside 0..${plan.runsTotal - 1}`);
  const point = Math.floor(index / plan.replicates);
  return {
    index,
    point,
    replicate: index % plan.replicates,
    seed: deriveSeed(plan.masterSeed, index),
    overrides: pointOverrides(plan, point),
  };
}

/** How an override value appears in a CSV cell: scalars as themselves, lists and mappings as JSON. */
export function paramCell(v: unknown): string | number | boolean {
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v === null || v === undefined) return '';
  return JSON.stringify(v);
}

/**
 * The scenario of a run: the base scenario with the overrides applied to the raw object, then
 * validated like a scenario file. Throws {@link SweepError} naming the sweep file, the parameter and
 * the scenario field.
 */
export function buildScenario(
  base: Record<string, unknown>,
  overrides: readonly (readonly [string, unknown])[],
  scenarioPath: string,
  sweepFile: string,
  point?: number,
): Scenario {
  const obj = structuredClone(base);
  const at = point === undefined ? '' : ` (grid point ${point})`;
  for (const [p, v] of overrides) {
    try {
      setPath(obj, p, structuredClone(v));
    } catch (e) {
      throw new SweepError(sweepFile, [{ path: `grid.${p}`, message: `cannot apply ${JSON.stringify(v)}${at}: ${(e as Error).message}` }]);
    }
  }
  try {
    return parseScenario(obj, scenarioPath);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    const err = e;
    const set = overrides.map(([p, v]) => `${p}=${JSON.stringify(v)}`).join(', ');
    throw new SweepError(
      sweepFile,
      err.issues.map((i) => {
        const param = overrides.find(
          ([p]) =>
            i.path === p ||
            i.path.startsWith(`${p}.`) ||
            i.path.startsWith(`${p}[`) ||
            p.startsWith(`${i.path}.`) ||
            p.startsWith(`${i.path}[`),
        );
        return {
          path: param ? `grid.${param[0]}` : 'scenario',
          message: `${i.path ? `${i.path}: ` : ''}${i.message}${at}${set ? ` with ${set}` : ''} (base scenario ${err.file})`,
        };
      }),
    );
  }
}

/**
 * Checks that every grid point gives a valid scenario (the base scenario, the dot paths and the
 * values). Above `limit` points, checks each value of each axis once (other axes at their first
 * value); an invalid combination is then caught when its runs fail.
 */
export function validatePlan(plan: SweepPlan, limit = 5000): void {
  const d = plan.definition;
  const check = (point: number) => {
    const s = buildScenario(d.scenario, pointOverrides(plan, point), plan.scenarioPath, plan.file, point);
    // The work estimate of `pmsim run`, per grid point: a point that would run for hours is refused up front.
    try {
      checkWork(s, plan.file);
    } catch (e) {
      if (!(e instanceof WorkLimitError)) throw e;
      throw new SweepError(plan.file, [{ path: 'grid', message: `grid point ${point}: ${e.message.replace(`${plan.file}: `, '')}` }]);
    }
  };
  if (plan.points <= limit) {
    for (let p = 0; p < plan.points; p++) check(p);
    return;
  }
  // Stride of each axis in point numbers (first axis slowest).
  let stride = plan.points;
  for (const a of d.axes) {
    stride /= a.length;
    for (let k = 0; k < a.length; k++) check(k * stride);
  }
}
