import { z } from 'zod';
import { parseDuration } from './duration.js';

const DURATION_HINT = 'a duration like 90s, 10m, 12h, 7d or a number of seconds';

/** A duration field: `90s`, `10m`, `12h`, `7d`, or seconds. Parsed to seconds. */
export const duration = z
  .union([z.number(), z.string()], { error: `expected ${DURATION_HINT}` })
  .transform((v, ctx) => {
    const s = parseDuration(v);
    if (s === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected ${DURATION_HINT}, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return s;
  })
  .meta({ description: DURATION_HINT, examples: ['90s', '10m', '12h', '7d'] });

const positive = z.number({ error: 'expected a number' }).positive({ error: 'expected a number > 0' });
const nonNeg = z.number({ error: 'expected a number' }).min(0, { error: 'expected a number ≥ 0' });
const share = z
  .number({ error: 'expected a number' })
  .min(0, { error: 'expected a share from 0 to 1' })
  .max(1, { error: 'expected a share from 0 to 1' });

/** Distributions of numbers; `time: true` lets every parameter be a duration. */
function dist(time: boolean) {
  const num = time ? duration : nonNeg;
  const pos = time ? duration : positive;
  return z.discriminatedUnion(
    'dist',
    [
      z.strictObject({ dist: z.literal('constant'), value: num }),
      z.strictObject({ dist: z.literal('uniform'), min: num, max: num }),
      z.strictObject({ dist: z.literal('exponential'), mean: pos }),
      z.strictObject({ dist: z.literal('normal'), mean: num, sd: nonNeg }),
      z.strictObject({ dist: z.literal('lognormal'), median: pos, sigma: nonNeg }),
      z
        .strictObject({
          dist: z.literal('empirical'),
          file: z.string().optional().describe('CSV file, relative to the scenario file'),
          column: z.union([z.string(), z.number().int().min(0)]).default(0),
          values: z.array(nonNeg).optional().describe('Inline values (or loaded from `file`)'),
          mode: z
            .enum(['sample', 'replay', 'timestamps'])
            .default('sample')
            .describe(
              "sample: draw at random; replay: the values in order (gaps); timestamps (arrival only): absolute submission times, seconds from the requester's start",
            ),
        })
        .refine((d) => d.file !== undefined || d.values !== undefined, { error: 'expected `file` or `values`' }),
    ],
    { error: 'expected a distribution: {dist: constant|uniform|exponential|normal|lognormal|empirical, ...}' },
  );
}

/** A number, or a distribution written as an object. */
const numOrDist = z.union([nonNeg, dist(false)], {
  error: 'expected a number ≥ 0 or a distribution {dist: constant|uniform|exponential|normal|lognormal|empirical, ...}',
});
const durOrDist = z.union([duration, dist(true)], {
  error: 'expected a duration (90s, 10m, 12h, 7d) or a distribution {dist: constant|uniform|exponential|normal|lognormal|empirical, ...}',
});

const resources = z.strictObject({
  cpus: nonNeg.default(0),
  gpus: nonNeg.default(0),
  memory_gb: nonNeg.default(0),
});

const mechanismRef = z.union([
  z.string({ error: 'expected a mechanism id' }),
  z.strictObject({
    id: z.string({ error: 'expected a mechanism id' }),
    preset: z.string().optional(),
    label: z.string().optional(),
    params: z.record(z.string(), z.unknown()).default({}),
  }),
]);

const operatorGroup = z.strictObject({
  name: z.string({ error: 'expected a group name' }),
  entities: z.number().int().min(1, { error: 'expected at least 1 entity' }).default(1).describe('How many independent owners'),
  nodes: z.number().int().min(1, { error: 'expected at least 1 node' }).default(1).describe('Nodes per entity'),
  hardware: z.string({ error: 'expected a hardware id (see `pmsim list`)' }),
  devices: z.number().int().min(1).default(1).describe('Devices (GPUs) per node'),
  ownership: z.enum(['owned', 'rented']).default('owned'),
  strategy: z.string().default('cost-plus'),
  margin: z.number().min(-1).default(0.2).describe('Markup over cost, as a fraction'),
  failure_prob: share.optional().describe('Probability that one attempt fails (default: the hardware profile)'),
  capital_usd: nonNeg.optional(),
  attacker: z.boolean().default(false),
  join_at: duration.optional().describe('When the group joins (default: at the start)'),
  resources: resources.partial().optional().describe('Advertised capacity per node (default: from the hardware)'),
  params: z.record(z.string(), z.unknown()).default({}).describe('Strategy parameters'),
  speedup: z
    .record(z.string(), positive)
    .optional()
    .describe('Speed multipliers per workload kind on top of the hardware profile (a VPU: {zkvm: 8})'),
  fixed_usd_per_hour: nonNeg
    .optional()
    .describe('Fixed cost per physical node per hour, busy or idle (counts for exit and entry decisions and the full-cost columns)'),
  cost_basis: z
    .enum(['marginal', 'full'])
    .default('marginal')
    .describe(
      'marginal: capital is charged per busy hour (the original model); full: capital (depreciation, or rent) per wall hour, busy or idle, and only energy per busy hour',
    ),
  cost_factor: numOrDist
    .optional()
    .describe(
      'Per-node cost factor, drawn once per physical node: multiplies its energy cost (owned) or rent (rented); private i.i.d. costs for auction theory. Inline values only for `empirical`',
    ),
  exit: z
    .strictObject({
      trailing: duration.default(86400).describe('Trailing profit window'),
      max_loss_usd: nonNeg.describe('Exit when the loss over the trailing window exceeds this'),
    })
    .optional()
    .describe('Exit rule besides capital_usd: leave when the trailing loss exceeds a threshold'),
  entry: z
    .strictObject({
      hurdle: z.number().min(-1).default(0.2).describe('Enter when recent price / own cost - 1 reaches this margin'),
      lead_time: duration.default(14 * 86400).describe('Hardware lead time between the decision and joining'),
      watch: duration.default(86400).describe('How far back the entrant looks at prices'),
    })
    .optional()
    .describe('Potential entrants: the group starts outside the market and enters when the margin clears the hurdle'),
});

const burst = z.strictObject({
  at: duration.describe('Start of the burst'),
  duration: duration.describe('Length of the burst'),
  factor: nonNeg.describe('Arrival-rate multiplier during the burst (0: an outage)'),
});

const requesterGroup = z.strictObject({
  name: z.string({ error: 'expected a requester name' }),
  kind: z.string().default('zkvm').describe('Workload kind'),
  arrival: durOrDist.optional().describe('Time between jobs: a duration (periodic) or a distribution (required unless `aggregate`)'),
  cycle: z
    .strictObject({
      amplitude: share.describe('Relative swing of the arrival rate: rate x (1 + amplitude x cos(2 pi (t - peak) / period))'),
      period: duration.default(86400),
      peak: duration.default(14 * 3600).describe('Time of the peak within the period'),
    })
    .optional()
    .describe('Daily (or other) cycle of the arrival rate, by thinning'),
  bursts: z.array(burst).optional().describe('Windows in which the arrival rate is multiplied'),
  aggregate: z
    .strictObject({
      of: z.string().describe('The requester whose delivered proofs are aggregated'),
      every: z.number().int().min(1).describe('One aggregation job per this many delivered proofs'),
    })
    .optional()
    .describe('An aggregator: submits one job per `every` delivered proofs of requester `of` (no own arrivals)'),
  size_mcycles: numOrDist.describe('Job size in Mcycles'),
  deadline: durOrDist.describe('Deadline, relative to submission'),
  max_price_usd_per_mcycle: nonNeg.optional(),
  max_price_usd: nonNeg.optional(),
  value_usd_per_mcycle: numOrDist
    .optional()
    .describe(
      'Private value of a proof delivered by the deadline, USD per Mcycle, drawn per job (default: the price limit); the limit defaults to the bid made on it',
    ),
  bidding: z
    .enum(['truthful', 'zi-c', 'zi-u', 'equilibrium'])
    .default('truthful')
    .describe(
      'How the requester sets its limit from its value: truthful (= value), zi-c (uniform in [0, value]), zi-u (uniform in [0, ceiling]), equilibrium (value / 2: first-price shading against one rival buyer)',
    ),
  redundancy: z.number().int().min(1, { error: 'expected 1, 2 or 3' }).max(3, { error: 'expected 1, 2 or 3' }).default(1),
  resources: resources.default({ cpus: 0, gpus: 1, memory_gb: 16 }),
  gang: z
    .number({ error: 'expected a whole number of nodes from 1 to 4096' })
    .int({ error: 'expected a whole number of nodes from 1 to 4096' })
    .min(1, { error: 'expected a whole number of nodes from 1 to 4096' })
    .max(4096, { error: 'expected a whole number of nodes from 1 to 4096' })
    .optional()
    .describe(
      'Gang allocation: every job needs this many nodes at once, each meeting `resources` (default 1). Proving time follows the gang efficiency curve (docs/gang.md)',
    ),
  reference_khz: positive
    .default(884)
    .describe('Per-GPU speed behind the declared proving time (default RTX 4090); the declared time assumes all requested GPUs'),
  start: duration.default(0),
  stop: duration.optional(),
  max_jobs: z.number().int().min(0).optional(),
});

/** The scenario file schema. `name`, `seed`, `duration`, `window` and `mechanisms` are fixed keys. */
export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string({ error: 'expected a scenario name' }).min(1),
    description: z.string().optional(),
    seed: z.number({ error: 'expected an integer seed' }).int({ error: 'expected an integer seed' }).min(0).default(1),
    duration: duration,
    window: duration.default(3600),
    mechanisms: z.array(mechanismRef, { error: 'expected a list of mechanism ids' }).min(1, { error: 'expected at least one mechanism' }),
    energy_usd_per_kwh: nonNeg.default(0.12),
    race_entry: z
      .enum(['rational', 'herd'])
      .default('rational')
      .describe(
        'Race entry: rational (provers spread over the open races, at most ceil(free / open) per race) or herd (every solicitation decided alone, the original rule)',
      ),
    energy_schedule: z
      .array(z.strictObject({ at: duration, usd_per_kwh: nonNeg }))
      .optional()
      .describe('Energy price changes: from `at` on, owned hardware pays `usd_per_kwh`'),
    software_speedup: z
      .strictObject({
        per_quarter: positive.describe('Speed multiplier per quarter (91.3 days) of prover software progress'),
        start: duration.default(0).describe('When the progress starts'),
        mode: z
          .enum(['continuous', 'step'])
          .default('continuous')
          .describe('continuous: per_quarter^(t/quarter); step: per_quarter^floor(t/quarter)'),
        kinds: z.array(z.string()).optional().describe('Workload kinds it applies to (default: all)'),
      })
      .optional()
      .describe('Software speed-ups over time, for every node'),
    operators: z
      .array(operatorGroup, { error: 'expected a list of operator groups' })
      .min(1, { error: 'expected at least one operator group' }),
    requesters: z.array(requesterGroup, { error: 'expected a list of requesters' }).min(1, { error: 'expected at least one requester' }),
  })
  .superRefine((s, ctx) => {
    if (s.window > s.duration)
      ctx.addIssue({ code: 'custom', path: ['window'], message: `expected a window no longer than the duration (${s.duration}s)` });
    if (s.window <= 0) ctx.addIssue({ code: 'custom', path: ['window'], message: 'expected a window > 0' });
    if (s.duration <= 0) ctx.addIssue({ code: 'custom', path: ['duration'], message: 'expected a duration > 0' });
    const names = s.requesters.map((r) => r.name);
    s.requesters.forEach((r, i) => {
      if (r.max_price_usd_per_mcycle === undefined && r.max_price_usd === undefined && r.value_usd_per_mcycle === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['requesters', i],
          message: 'expected a price limit: max_price_usd_per_mcycle, max_price_usd or value_usd_per_mcycle',
        });
      }
      if (r.arrival === undefined && r.aggregate === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['requesters', i, 'arrival'],
          message: 'expected an arrival (a duration or a distribution), or `aggregate`',
        });
      }
      if (r.aggregate !== undefined) {
        if (r.arrival !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['requesters', i, 'arrival'],
            message: 'an aggregator has no own arrivals: remove `arrival` or `aggregate`',
          });
        const j = names.indexOf(r.aggregate.of);
        if (j < 0)
          ctx.addIssue({
            code: 'custom',
            path: ['requesters', i, 'aggregate', 'of'],
            message: `no requester named "${r.aggregate.of}" (expected one of: ${names.join(', ')})`,
          });
        else if (j === i)
          ctx.addIssue({
            code: 'custom',
            path: ['requesters', i, 'aggregate', 'of'],
            message: 'an aggregator cannot aggregate its own proofs',
          });
      }
      for (const key of ['size_mcycles', 'deadline'] as const) {
        const d = r[key] as unknown;
        if (typeof d === 'object' && d !== null && (d as { mode?: string }).mode === 'timestamps') {
          ctx.addIssue({ code: 'custom', path: ['requesters', i, key, 'mode'], message: 'mode "timestamps" applies to `arrival` only' });
        }
      }
      r.bursts?.forEach((b, k) => {
        if (b.duration <= 0)
          ctx.addIssue({ code: 'custom', path: ['requesters', i, 'bursts', k, 'duration'], message: 'expected a duration > 0' });
      });
      if (r.cycle && r.cycle.period <= 0)
        ctx.addIssue({ code: 'custom', path: ['requesters', i, 'cycle', 'period'], message: 'expected a period > 0' });
    });
    s.operators.forEach((g, i) => {
      // Strategy ids and parameters are checked by the loader (strategy-params.ts), after the schema.
      if (g.entry !== undefined && g.join_at !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['operators', i, 'entry'],
          message: 'a group with `entry` decides itself when to join: remove `join_at` or `entry`',
        });
      }
    });
    s.energy_schedule?.forEach((c, k) => {
      if (k > 0 && c.at < s.energy_schedule![k - 1]!.at)
        ctx.addIssue({ code: 'custom', path: ['energy_schedule', k, 'at'], message: 'expected changes in time order' });
    });
  });

/** A scenario as written (durations already in seconds). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A parsed scenario with defaults applied. */
export type Scenario = z.output<typeof scenarioSchema>;
export type OperatorGroup = Scenario['operators'][number];
export type RequesterGroup = Scenario['requesters'][number];
export type MechanismRef = Scenario['mechanisms'][number];
