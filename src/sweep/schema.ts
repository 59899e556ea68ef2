import { z } from 'zod';

/** Values of one swept parameter: a non-empty list (any YAML values: numbers, strings, mappings). */
const values = z.array(z.unknown(), { error: 'expected a list of values' }).min(1, { error: 'expected at least one value' });

/** A mapping of dot paths to value lists. */
const overrides = z.record(z.string(), values, { error: 'expected a mapping of dot paths to lists of values' });

/**
 * The sweep file schema (YAML or JSON). See docs/sweeps.md.
 *
 * ```yaml
 * scenario: base.yaml             # relative to the sweep file
 * replicates: 5
 * seed: 7                         # master seed (default: the base scenario's seed)
 * mechanisms: [random]            # optional: only these mechanism labels or ids
 * grid:                           # cartesian product, first key varies slowest
 *   requesters[0].redundancy: [1, 2, 3]
 * zip:                            # lists that vary together (one axis per group)
 *   - requesters[0].arrival: [60s, 30s]
 *     requesters[0].deadline: [2h, 1h]
 * ```
 */
export const sweepSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().optional().describe('A name for the sweep (default: the file name)'),
  description: z.string().optional(),
  scenario: z
    .union([z.string().min(1), z.record(z.string(), z.unknown())], {
      error: 'expected the path of the base scenario file (relative to the sweep file), or an inline scenario mapping',
    })
    .describe('Base scenario: a file path relative to the sweep file, or an inline scenario mapping'),
  seed: z
    .number({ error: 'expected an integer master seed' })
    .int({ error: 'expected an integer master seed' })
    .min(0, { error: 'expected a master seed ≥ 0' })
    .optional()
    .describe("Master seed; each run's seed is derived from (master seed, run index). Default: the base scenario's seed"),
  replicates: z
    .number({ error: 'expected a whole number of replicates ≥ 1' })
    .int({ error: 'expected a whole number of replicates ≥ 1' })
    .min(1, { error: 'expected a whole number of replicates ≥ 1' })
    .default(1)
    .describe('Runs per grid point, each with its own derived seed'),
  mechanisms: z
    .array(z.string({ error: 'expected a mechanism label or id' }), { error: 'expected a list of mechanism labels or ids' })
    .min(1, { error: 'expected at least one mechanism' })
    .optional()
    .describe('Only these mechanisms of the base scenario (labels or ids); default: all it lists'),
  grid: overrides.default({}).describe('Overrides by dot path, each a list of values; the cartesian product of all lists'),
  zip: z
    .union([overrides, z.array(overrides, { error: 'expected a list of mappings' })], {
      error: 'expected a mapping (or a list of mappings) of dot paths to equally long lists',
    })
    .optional()
    .describe('Groups of lists that vary together: one axis per group, all lists of a group equally long'),
});

/** A sweep file as written. */
export type SweepInput = z.input<typeof sweepSchema>;
/** A parsed sweep file. */
export type SweepFile = z.output<typeof sweepSchema>;
