import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/comparison/run-scenario.js';
import { ScenarioError } from '../src/scenario/errors.js';
import { WorkLimitError, checkWork } from '../src/scenario/estimate.js';
import { parseScenario, parseScenarioText } from '../src/scenario/load.js';
import { parseSweep, validatePlan } from '../src/sweep/plan.js';
import { pmsim } from './cli.js';

/**
 * A seeded, structure-aware fuzz campaign over scenario files (issue 18). Cases are built from the
 * scenario schema's shape, then mutated with hostile values (strings, nulls, negatives, NaN, 1e300,
 * prototype keys) in any field, including mechanism and strategy parameters and sweep grid paths.
 * Each case must end in a valid scenario (which then runs, when small) or a clean refusal
 * (ScenarioError / WorkLimitError): anything else is a crash. No case may pollute a prototype.
 * PMSIM_FUZZ_RUNS sets the number of cases (default 2,000; scripts/fuzz.mjs runs 100,000), and the
 * figures go to test-artifacts/fuzz.json.
 */

const RUNS = Number(process.env.PMSIM_FUZZ_RUNS ?? 2000);
const SEED = Number(process.env.PMSIM_FUZZ_SEED ?? 18);
/** Valid scenarios estimated at most this many events are run, the rest only validated. */
const RUN_EVENTS = 20_000;
/**
 * A case that takes more CPU time than this counts as a hang in the figures. Not asserted here (no timing assertions
 * in unit tests, on a shared machine); scripts/fuzz.mjs fails on any hang.
 */
const HANG_MS = 10_000;

const HOSTILE: unknown[] = [
  null,
  '',
  'x',
  '10m',
  '1e9d',
  -1,
  -0.5,
  0,
  0.5,
  1,
  3,
  1e300,
  -1e300,
  Number.NaN,
  Infinity,
  -Infinity,
  2 ** 53 + 1,
  1e-300,
  true,
  [],
  [1, 2],
  {},
  { dist: 'lognormal', median: 1, sigma: 1e9 },
  { dist: 'pareto' },
  'constructor',
  '__proto__',
  'toString',
  'gpu-l40',
  'boundless',
  'fail',
  'emission',
  'ask',
  'job',
  'second',
];
const hostile = fc.constantFrom(...HOSTILE);
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];

const durationA = fc.oneof(fc.constantFrom('1h', '6h', '1d', '2d'), fc.integer({ min: 3600, max: 86400 }));
const distA = fc.oneof(
  fc.record({ dist: fc.constant('exponential'), mean: fc.constantFrom('1m', '5m', '20m', 300) }),
  fc.record({ dist: fc.constant('uniform'), min: fc.constantFrom(60, '2m'), max: fc.constantFrom(600, '30m') }),
  fc.record({ dist: fc.constant('constant'), value: fc.constantFrom('5m', 900) }),
  fc.constantFrom('2m', '10m', 600),
);
const sizeA = fc.oneof(
  fc.record({
    dist: fc.constant('lognormal'),
    median: fc.integer({ min: 1, max: 5000 }),
    sigma: fc.double({ min: 0, max: 2, noNaN: true }),
  }),
  fc.record({ dist: fc.constant('normal'), mean: fc.integer({ min: 10, max: 5000 }), sd: fc.integer({ min: 0, max: 500 }) }),
  fc.record({ dist: fc.constant('empirical'), values: fc.array(fc.integer({ min: 0, max: 1e5 }), { minLength: 0, maxLength: 5 }) }),
  fc.integer({ min: 0, max: 1e6 }),
);
const paramsA: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  random: fc.record(
    {
      gpuHourUsd: fc.double({ min: 0, max: 10, noNaN: true }),
      txFeeUsd: fc.constantFrom(0, 0.01),
      onNoCapacity: fc.constantFrom('queue', 'fail'),
      fallbackRounds: fc.integer({ min: 0, max: 3 }),
      rewardTiers: fc.constantFrom([], [0.5, 0.3, 0.2]),
    },
    { requiredKeys: [] },
  ),
  race: fc.record(
    {
      rewardSource: fc.constantFrom('price', 'emission'),
      emissionUsdPerMcycle: fc.constantFrom(0, 0.0005),
      maxRacers: fc.integer({ min: 0, max: 4 }),
    },
    { requiredKeys: [] },
  ),
  'order-book': fc.record(
    {
      priceRule: fc.constantFrom('resting', 'midpoint', 'bid', 'ask'),
      askTtl: fc.constantFrom(60, 3600),
      depositUsd: fc.constantFrom(0, 100),
    },
    { requiredKeys: [] },
  ),
  'reverse-dutch': fc.record(
    {
      timeouts: fc.constantFrom('sdk', 'job'),
      rampUpBase: fc.constantFrom(0, 600),
      lockDelay: fc.constantFrom(0, 2),
      collateralMultiple: fc.constantFrom(0, 10),
    },
    { requiredKeys: [] },
  ),
  'sealed-bid': fc.record(
    { settlement: fc.constantFrom('first', 'second'), auctionPeriod: fc.constantFrom(0, 30), slashOnMiss: fc.boolean() },
    { requiredKeys: [] },
  ),
  'self-hosted': fc.record(
    { nodes: fc.integer({ min: 1, max: 8 }), hardware: fc.constantFrom('gpu-rtx4090', 'gpu-l4'), devices: fc.integer({ min: 1, max: 8 }) },
    { requiredKeys: [] },
  ),
};
const mechanismA = fc.oneof(
  fc.constantFrom('random', 'race', 'order-book', 'reverse-dutch', 'sealed-bid', 'self-hosted'),
  fc.constantFrom(...Object.keys(paramsA)).chain((id) => fc.record({ id: fc.constant(id), params: paramsA[id]! })),
  fc.constantFrom(
    { id: 'reverse-dutch', preset: 'boundless' },
    { id: 'sealed-bid', preset: 'brevis' },
    { id: 'random', preset: 'zkcloud' },
    { id: 'random', preset: 'gevulot-2023' },
  ),
);
const operatorA = fc
  .record(
    {
      name: fc.constantFrom('a', 'b', 'c'),
      entities: fc.integer({ min: 1, max: 6 }),
      nodes: fc.integer({ min: 1, max: 3 }),
      hardware: fc.constantFrom('gpu-rtx4090', 'gpu-l4', 'gpu-h100'),
      margin: fc.double({ min: -0.5, max: 2, noNaN: true }),
      failure_prob: fc.double({ min: 0, max: 0.5, noNaN: true }),
      attacker: fc.boolean(),
    },
    { requiredKeys: ['name', 'hardware'] },
  )
  .chain((g) =>
    fc
      .constantFrom(
        ['cost-plus', {}],
        ['truthful', {}],
        ['zi-c', { spread: 0.5 }],
        ['adaptive', { step: 0.05 }],
        ['predatory', { target_share: 0.4 }],
        ['sybil', { identities: 3 }],
        ['flaky', { offline_prob: 0.2 }],
        ['griefer', {}],
        ['cartel', { floor_usd_per_mcycle: 0.0002 }],
      )
      .map(([strategy, params]) => ({ ...g, strategy, params })),
  );
const requesterA = fc.record(
  {
    name: fc.constantFrom('r1', 'r2'),
    arrival: distA,
    size_mcycles: sizeA,
    deadline: fc.constantFrom('30m', '2h', 7200, { dist: 'uniform', min: '10m', max: '3h' }),
    max_price_usd_per_mcycle: fc.constantFrom(0.0001, 0.001, 0.01),
    redundancy: fc.integer({ min: 1, max: 3 }),
    max_jobs: fc.integer({ min: 0, max: 400 }),
  },
  { requiredKeys: ['name', 'arrival', 'size_mcycles', 'deadline', 'max_price_usd_per_mcycle'] },
);
const scenarioA = fc.record({
  name: fc.constant('fuzz'),
  seed: fc.integer({ min: 0, max: 1e6 }),
  duration: durationA,
  window: fc.constantFrom('10m', '30m', '1h'),
  mechanisms: fc.array(mechanismA, { minLength: 1, maxLength: 3 }),
  operators: fc.uniqueArray(operatorA, { selector: (g) => g.name, minLength: 1, maxLength: 3 }),
  requesters: fc.uniqueArray(requesterA, { selector: (r) => r.name, minLength: 1, maxLength: 2 }),
});

/** Every [path, container] of an object tree, for picking a place to mutate. */
function places(root: unknown): { obj: Record<string, unknown> | unknown[]; key: string | number }[] {
  const out: { obj: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        out.push({ obj: v, key: i });
        walk(x);
      });
    } else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        out.push({ obj: o, key: k });
        walk(o[k]);
      }
    }
  };
  walk(root);
  return out;
}

type Mutation = { kind: 'set' | 'delete' | 'add' | 'proto'; at: number; value: unknown; key: string };
const mutationA: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('set', 'set', 'set', 'set', 'delete', 'add', 'add', 'proto'),
  at: fc.nat(),
  value: hostile,
  key: fc.constantFrom('params', 'extra', 'preset', 'label', 'dist', 'hardware', 'strategy', 'rampUpBase', 'txFeeUsd', 'spread', 'window'),
});

function mutate(s: Record<string, unknown>, ms: readonly Mutation[]): void {
  for (const m of ms) {
    const ps = places(s);
    if (ps.length === 0) return;
    const p = ps[m.at % ps.length]!;
    const target = p.obj;
    const value = structuredClone(m.value); // hostile values are shared constants: never alias them
    if (m.kind === 'set') (target as Record<string | number, unknown>)[p.key] = value;
    else if (m.kind === 'delete')
      Array.isArray(target) ? target.splice(p.key as number, 1) : delete (target as Record<string, unknown>)[p.key as string];
    else {
      const inner = (target as Record<string | number, unknown>)[p.key];
      const host = inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : s;
      // Own keys, as a YAML or JSON parser creates them (never via the setter).
      const key = m.kind === 'proto' ? PROTO_KEYS[m.at % PROTO_KEYS.length]! : m.key;
      Object.defineProperty(host, key, { value, enumerable: true, configurable: true, writable: true });
    }
  }
}

const protoNames = (): string =>
  Object.getOwnPropertyNames(Object.prototype).sort().join(',') + Object.getOwnPropertyNames(Array.prototype).length;

/** Runs one case in-process; returns its outcome class, throws on a crash. */
function outcome(raw: Record<string, unknown>, viaText: 'object' | 'yaml' | 'json'): string {
  try {
    const s =
      viaText === 'object'
        ? parseScenario(raw, 'fuzz.yaml')
        : parseScenarioText(viaText === 'yaml' ? stringify(raw) : JSON.stringify(raw), 'fuzz.yaml');
    const est = checkWork(s, 'fuzz.yaml');
    if (est.events > RUN_EVENTS) return 'valid:not-run';
    runScenario(s);
    return 'valid:ran';
  } catch (e) {
    if (e instanceof ScenarioError) {
      const i = e.issues[0]!;
      return `refused:${i.path.replace(/\[\d+\]/g, '[]').replace(/\.params\..*/, '.params.*')}:${i.message.replace(/"[^"]*"|\d[\d.e+-]*/g, '_').slice(0, 40)}`;
    }
    if (e instanceof WorkLimitError) return 'refused:work-limit';
    throw e;
  }
}

const gridPathA = fc
  .array(
    fc.constantFrom(
      'requesters',
      'operators',
      'mechanisms',
      '[0]',
      '[1]',
      '.0',
      'params',
      '__proto__',
      'constructor',
      'prototype',
      'margin',
      '[a]',
      'duration',
      'x',
      '..',
      '[',
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((parts) => parts.join('.').replace(/\.\[/g, '['));

describe('fuzz: every scenario input ends valid or cleanly refused (seeded, structure-aware)', () => {
  it(`${RUNS} mutated scenarios: no crash, no hang, no prototype pollution`, () => {
    const before = protoNames();
    const outcomes = new Map<string, number>();
    let slowest = 0;
    let cases = 0;
    let hangs = 0;
    let slowestCase: { outcome: string; ms: number; input: string } | undefined;
    fc.assert(
      fc.property(
        scenarioA,
        fc.oneof(fc.constant([] as Mutation[]), fc.array(mutationA, { minLength: 1, maxLength: 3 })),
        fc.constantFrom('object', 'object', 'yaml', 'json') as fc.Arbitrary<'object' | 'yaml' | 'json'>,
        (base, ms, via) => {
          // A deep copy: fast-check's constants are shared between cases, and mutations must not leak.
          const raw = structuredClone(base) as Record<string, unknown>;
          mutate(raw, ms);
          // CPU time, not wall time: the machine is shared, and a case's own work is what a hang is about.
          const c0 = process.cpuUsage();
          const o = outcome(raw, via);
          const c = process.cpuUsage(c0);
          const took = (c.user + c.system) / 1000;
          if (took > slowest)
            slowestCase = {
              outcome: o,
              ms: Math.round(took),
              input: JSON.stringify(raw, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)),
            };
          slowest = Math.max(slowest, took);
          if (took > HANG_MS) hangs++;
          cases++;
          outcomes.set(o, (outcomes.get(o) ?? 0) + 1);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          expect(protoNames()).toBe(before);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    const valid = [...outcomes].filter(([k]) => k.startsWith('valid')).reduce((n, [, c]) => n + c, 0);
    const figures = {
      cases,
      seed: SEED,
      distinct_outcomes: outcomes.size,
      valid,
      refused: cases - valid,
      crashes: 0,
      hangs,
      slowest_case_cpu_ms: Math.round(slowest),
    };
    mkdirSync('test-artifacts', { recursive: true });
    writeFileSync(
      process.env.PMSIM_FUZZ_OUT ?? 'test-artifacts/fuzz.json',
      `${JSON.stringify({ ...figures, slowest_case: slowestCase, outcomes: Object.fromEntries([...outcomes].sort((a, b) => b[1] - a[1])) }, null, 2)}\n`,
    );
    console.log(`fuzz: ${JSON.stringify(figures)}`);
    // A campaign that found only one kind of outcome would test nothing.
    expect(valid).toBeGreaterThan(cases / 20);
    expect(outcomes.size).toBeGreaterThan(30);
  });

  it(`${Math.max(200, Math.round(RUNS / 10))} sweep grid paths and values: valid or a clean SweepError, never pollution`, () => {
    const before = protoNames();
    const base = {
      name: 'b',
      duration: '1h',
      window: '1h',
      mechanisms: ['random'],
      operators: [{ name: 'a', hardware: 'gpu-rtx4090' }],
      requesters: [{ name: 'r1', arrival: '10m', size_mcycles: 100, deadline: '1h', max_price_usd_per_mcycle: 0.001 }],
    };
    fc.assert(
      fc.property(gridPathA, fc.array(hostile, { minLength: 1, maxLength: 3 }), (path, values) => {
        try {
          validatePlan(parseSweep({ scenario: structuredClone(base), grid: { [path]: values } }, 'sweep.yaml'));
        } catch (e) {
          if (!(e instanceof ScenarioError)) throw e; // SweepError is a ScenarioError
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(protoNames()).toBe(before);
      }),
      { numRuns: Math.max(200, Math.round(RUNS / 10)), seed: SEED },
    );
  });

  it('a few cases end to end through the CLI: exit 0 or 2, no stack, nothing written on refusal', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmsim-fuzz-cli-'));
    const samples = fc.sample(fc.tuple(scenarioA, fc.array(mutationA, { maxLength: 2 })), { numRuns: 6, seed: SEED });
    samples.forEach(([base, ms], k) => {
      const raw = structuredClone(base) as Record<string, unknown>;
      mutate(raw, ms);
      const f = join(dir, `case-${k}.yaml`);
      writeFileSync(f, stringify(raw));
      const out = join(dir, `out-${k}`);
      const r = pmsim(['run', f, '--out', out, '--quiet', '--max-events', String(RUN_EVENTS)]);
      expect([0, 2], r.stderr).toContain(r.status);
      expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
      if (r.status === 2) expect(readdirSync(dir).filter((x) => x.startsWith(`out-${k}`) || x.startsWith(`.out-${k}`))).toEqual([]);
    });
  });
});
