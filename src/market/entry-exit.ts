import type { RunMetrics } from '../metrics/run-metrics.js';
import { OPERATOR0, type Ledger } from './ledger.js';
import type { Entity, Node } from './population.js';

/** A change of the operator population decided at a window boundary. */
export type PopulationChange = { readonly type: 'exit'; readonly entity: number };

/** What the entry/exit rule can see. */
export interface EntryExitContext {
  readonly entities: readonly Entity[];
  readonly nodes: readonly Node[];
  readonly ledger: Ledger;
  readonly metrics: RunMetrics;
  readonly window: number;
}

/** The entry/exit rule of a market run, asked once per window. */
export interface EntryExit {
  onWindow(now: number): PopulationChange[];
}

/**
 * The entry/exit rule: an entity exits when its losses (negative ledger balance: compute and
 * collateral spent beyond revenue) exceed its capital. Entities without a `capital_usd` never exit.
 */
export function createEntryExit(ctx: EntryExitContext): EntryExit {
  return {
    onWindow(): PopulationChange[] {
      const out: PopulationChange[] = [];
      for (const e of ctx.entities) {
        if (e.exited || !e.active || !Number.isFinite(e.capitalUsd)) continue;
        const balanceUsd = ctx.ledger.balance(OPERATOR0 + e.id) / 1e6;
        if (-balanceUsd > e.capitalUsd) out.push({ type: 'exit', entity: e.id });
      }
      return out;
    },
  };
}
