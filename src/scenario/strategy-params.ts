import { strategyIds, strategyParams } from '../agents/strategy-specs.js';
import type { ParamSpec } from '../agents/params.js';
import { shown, type ParamCheck, type ParamIssue } from './mechanism-params.js';

/**
 * The checks of every operator strategy's `params`, keyed by strategy id, built from the strategy
 * registry's parameter specs (default, bounds): every strategy parameter is a finite number in its
 * bounds. Ids are looked up as own keys only, so a name such as `constructor` or `toString` (which
 * every object inherits) is an unknown strategy, not a crash.
 */
export function strategyParamSchemas(): Readonly<Record<string, Readonly<Record<string, ParamCheck>>>> {
  const out: Record<string, Record<string, ParamCheck>> = {};
  for (const id of strategyIds()) {
    const table: Record<string, ParamCheck> = {};
    for (const [k, spec] of Object.entries(strategyParams(id) ?? {})) table[k] = numberIn(spec);
    out[id] = table;
  }
  return out;
}

function numberIn(spec: ParamSpec): ParamCheck {
  const lo = spec.min ?? -1e9;
  const hi = spec.max ?? 1e9;
  const what = `a number from ${lo} to ${hi}`;
  return (v) => (typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi ? undefined : `expected ${what}, got ${shown(v)}`);
}

let cache: ReturnType<typeof strategyParamSchemas> | undefined;

/** True when `id` names a registered strategy (an own key, never an inherited property). */
export function isStrategyId(id: unknown): id is string {
  return typeof id === 'string' && strategyIds().includes(id);
}

/** Checks an operator group's strategy `params`; paths are below the group (`params.spread`). */
export function checkStrategyParamValues(id: string, params: Readonly<Record<string, unknown>>): ParamIssue[] {
  if (!isStrategyId(id)) return [];
  cache ??= strategyParamSchemas();
  const table = cache[id]!;
  const issues: ParamIssue[] = [];
  for (const [k, v] of Object.entries(params)) {
    const check = Object.hasOwn(table, k) ? table[k] : undefined;
    if (!check) {
      const known = Object.keys(table);
      issues.push({
        path: `params.${k}`,
        message: `unknown parameter "${k}" for strategy ${id} (known: ${known.length ? known.join(', ') : 'none'})`,
      });
      continue;
    }
    const message = check(v);
    if (message !== undefined) issues.push({ path: `params.${k}`, message });
  }
  return issues;
}
