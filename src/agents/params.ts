/** One numeric strategy parameter: its default, its bounds and what it means. */
export interface ParamSpec {
  readonly default: number;
  readonly min?: number;
  readonly max?: number;
  readonly description: string;
}

/** A strategy's parameters after validation, defaults applied. */
export type StrategyParams = Readonly<Record<string, number>>;

/** Checks raw parameters against their specs; returns one message per problem (empty when valid). */
export function checkStrategyParams(
  id: string,
  raw: Readonly<Record<string, unknown>>,
  specs: Readonly<Record<string, ParamSpec>>,
): string[] {
  const issues: string[] = [];
  const known = Object.keys(specs);
  for (const [k, v] of Object.entries(raw)) {
    const spec = specs[k];
    if (!spec) {
      issues.push(`unknown parameter "${k}" for strategy ${id} (known: ${known.length > 0 ? known.join(', ') : 'none'})`);
      continue;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      issues.push(`parameter "${k}" of strategy ${id}: expected a number, got ${JSON.stringify(v)}`);
      continue;
    }
    if (spec.min !== undefined && v < spec.min)
      issues.push(`parameter "${k}" of strategy ${id}: expected a number ≥ ${spec.min}, got ${v}`);
    if (spec.max !== undefined && v > spec.max)
      issues.push(`parameter "${k}" of strategy ${id}: expected a number ≤ ${spec.max}, got ${v}`);
  }
  return issues;
}

/** Applies defaults to validated raw parameters. */
export function resolveStrategyParams(raw: Readonly<Record<string, unknown>>, specs: Readonly<Record<string, ParamSpec>>): StrategyParams {
  const out: Record<string, number> = {};
  for (const [k, spec] of Object.entries(specs)) out[k] = typeof raw[k] === 'number' ? (raw[k] as number) : spec.default;
  return out;
}
