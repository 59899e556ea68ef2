import type { RunMetrics } from '../metrics/run-metrics.js';
import { OPERATOR0, type Ledger } from './ledger.js';
import type { CollateralBook } from './collateral-book.js';
import type { Entity, Node } from './population.js';

/** A change of the operator population decided at a window boundary. */
export type PopulationChange = { readonly type: 'exit'; readonly entity: number } | { readonly type: 'enter'; readonly entity: number };

export { CollateralBook } from './collateral-book.js';

/** What the entry/exit rule can see. */
export interface EntryExitContext {
  readonly entities: readonly Entity[];
  readonly nodes: readonly Node[];
  readonly ledger: Ledger;
  readonly metrics: RunMetrics;
  readonly window: number;
  /** Collateral in escrow per entity (counted as the entity's own money). */
  readonly collateral?: CollateralBook;
}

/** The entry/exit rule of a market run, asked once per window. */
export interface EntryExit {
  onWindow(now: number): PopulationChange[];
}

/** Cost of proving one Mcycle of the default workload (`zkvm`) on a node, USD, at its current speed and prices. */
export function costPerMcycleUsd(node: Node): number {
  const m = node.model;
  return ((m.duration(1000, 'zkvm') - m.profile.setupSeconds) / 1000) * (m.hourlyCostUsd / 3600);
}

/**
 * Full cost per Mcycle of a node for an entrant: marginal cost plus its capital and fixed cost per
 * wall hour spread over the Mcycles it would prove at the market's utilisation so far (floor 5%).
 * Under the `marginal` basis with no fixed cost this is {@link costPerMcycleUsd}.
 */
export function fullCostPerMcycleUsd(node: Node, e: Entity, metrics: RunMetrics): number {
  const m = node.model;
  const marginal = costPerMcycleUsd(node);
  const perNode = (e.physicalNodes ?? e.nodes.length) || 1;
  const wallPerHour = ((e.capitalUsdPerHour ?? 0) + (e.fixedUsdPerHour ?? 0)) / perNode;
  if (!(wallPerHour > 0)) return marginal;
  const util = metrics.nodeSeconds > 0 ? Math.max(0.05, Math.min(1, metrics.busySeconds / metrics.nodeSeconds)) : 1;
  const secondsPerMcycle = (m.duration(1000, 'zkvm') - m.profile.setupSeconds) / 1000;
  return marginal + (wallPerHour / 3600) * (secondsPerMcycle / util);
}

/**
 * The entities each window visits, by what it can change (10,000 operators are 5,500 entities, most with
 * none of these): fixed or capital costs to book, a profit to read (finite capital, an exit rule, an
 * attacker), an entry rule to check. Each list is in id order, so every sum and decision keeps its order;
 * one pass over the entities sorts them.
 */
function entityLists(entities: readonly Entity[]) {
  const costed: Entity[] = [];
  const exiting: Entity[] = [];
  const tracked: Entity[] = [];
  const entrants: Entity[] = [];
  let hasAttackers = false;
  let needHistory = false;
  for (let i = 0; i < entities.length; i++) {
    const e = entities[i]!;
    const attacker = e.view.attacker;
    const exits = Number.isFinite(e.capitalUsd) || e.exitRule !== undefined;
    if ((e.fixedUsdPerHour ?? 0) !== 0 || (e.capitalUsdPerHour ?? 0) !== 0) costed.push(e);
    if (exits) exiting.push(e);
    if (exits || attacker) tracked.push(e);
    if (e.potential && e.entryRule !== undefined) entrants.push(e);
    if (attacker) hasAttackers = true;
    if (e.exitRule !== undefined) needHistory = true;
  }
  return { costed, exiting, tracked, entrants, hasAttackers, needHistory };
}

/**
 * Node time after a window of `dt` seconds, `(from, dt) =>` `from` plus each active entity's physical nodes
 * × `dt`, added in id order. With whole seconds and counts and sums below 2^53 every product and partial sum
 * is exact, so that sum is `from` + (active nodes) × `dt` to the last bit, and the active count is summed in
 * small integers (held in an integer array: a float array's elements are boxed when read by unoptimized code,
 * and the double sum boxed a new number per entity, 2 MB of a 10,000-operator set-up's allocations).
 * Otherwise, the sum itself.
 */
function nodeTime(entities: readonly Entity[]): (from: number, dt: number) => number {
  const n = entities.length;
  const physical = new Float64Array(n);
  let physicalTotal = 0;
  let integral = true;
  const counts = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    physical[i] = entities[i]!.physicalNodes ?? entities[i]!.nodes.length;
    physicalTotal += physical[i]!;
    if (!(Number.isInteger(physical[i]!) && physical[i]! >= 0 && physical[i]! < 2 ** 31)) integral = false;
    else counts[i] = physical[i]!;
  }
  return (from, dt) => {
    if (integral && Number.isInteger(dt) && Number.isInteger(from) && from + dt * physicalTotal <= Number.MAX_SAFE_INTEGER) {
      let active = 0;
      for (let i = 0; i < n; i++) if (entities[i]!.active) active += counts[i]!;
      return from + active * dt;
    }
    let sum = from;
    for (let i = 0; i < n; i++) if (entities[i]!.active) sum += physical[i]! * dt;
    return sum;
  };
}

/**
 * The entry/exit rule. Each window it books every active entity's fixed costs (`fixed_usd_per_hour`
 * per physical node, busy or idle; they count only here, not in the money columns) and records its
 * economic profit: ledger balance (revenue − compute − collateral lost) + collateral still posted in
 * escrow (its own money, not a loss) − fixed costs so far.
 *
 * Exit: an active entity leaves when its capital runs out (`capital_usd` + profit < 0) or, with an
 * `exit` rule, when its profit over the trailing window (once it has been active that long) is below
 * −`max_loss_usd`. Entities with neither never exit.
 *
 * Entry: a potential entrant (a group with `entry`) watches the mean price per Mcycle of the windows
 * of the last `watch` seconds that delivered work. When that price over its own cost per Mcycle
 * (its hardware, the `zkvm` workload, now) minus 1 reaches `hurdle`, it orders hardware and joins
 * `lead_time` later (at the first window boundary after). At most one entity per group waits for
 * its hardware at a time, so entrants of a group come one by one, each on a fresh signal.
 *
 * It also tracks the attackers' deepest cumulative loss (ledger balance + posted collateral) for
 * `attack_cost_usd`.
 */
export function createEntryExit(ctx: EntryExitContext): EntryExit {
  const { entities, ledger, metrics } = ctx;
  const n = entities.length;
  const fixedCum = new Float64Array(n);
  /** Time the entity was first seen active (NaN: not yet). */
  const activeSince = new Float64Array(n).fill(NaN);
  const times: number[] = [];
  const profits: Float64Array[] = [];
  const enterAt = new Float64Array(n).fill(NaN);
  const entered = new Uint8Array(n);
  const waiting = new Set<string>();
  let last = 0;

  function recentPrice(now: number, watch: number): number {
    let sum = 0;
    let k = 0;
    const w = metrics.windows;
    for (let i = w.length - 1; i >= 0 && w[i]!.t_start_s >= now - watch - 1e-9; i--) {
      const p = w[i]!.price_per_mcycle_mean_usd;
      if (Number.isNaN(p)) continue;
      sum += p;
      k++;
    }
    return k > 0 ? sum / k : NaN;
  }

  /** Index of the last record at or before time `t` (−1: none). */
  function recordAt(t: number): number {
    let lo = 0;
    let hi = times.length - 1;
    let ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid]! <= t + 1e-9) {
        ans = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return ans;
  }

  const { costed, exiting, tracked, entrants, hasAttackers, needHistory } = entityLists(entities);
  const nodeSecondsAfter = nodeTime(entities);
  let profit = new Float64Array(n);

  /** Books the window's fixed and capital costs and node time; returns the tracked entities' profits. */
  function book(now: number, dt: number): Float64Array {
    for (const e of costed) {
      if (!e.active) continue;
      // Full cost: fixed costs and (cost_basis full) capital accrue per wall hour, busy or idle.
      const fixed = ((e.fixedUsdPerHour ?? 0) * dt) / 3600;
      const capital = ((e.capitalUsdPerHour ?? 0) * dt) / 3600;
      fixedCum[e.id]! += fixed + capital;
      metrics.fixedUsd += fixed;
      metrics.capitalUsd += capital;
    }
    metrics.nodeSeconds = nodeSecondsAfter(metrics.nodeSeconds, dt);
    // The history keeps every window's profits (exit rules read them back); without it one array serves.
    if (needHistory) profit = new Float64Array(n);
    let attackerBalance = 0;
    for (const e of tracked) {
      if (e.active && Number.isNaN(activeSince[e.id]!)) activeSince[e.id] = now - dt;
      const balance = ledger.balance(OPERATOR0 + e.id) + (ctx.collateral?.held[e.id] ?? 0);
      if (e.view.attacker) attackerBalance += balance;
      profit[e.id] = balance / 1e6 - fixedCum[e.id]!;
    }
    if (hasAttackers && -attackerBalance > metrics.attackerLossPeak) metrics.attackerLossPeak = -attackerBalance;
    if (needHistory) {
      times.push(now);
      profits.push(profit);
    }
    return profit;
  }

  function exits(now: number, profit: Float64Array, out: PopulationChange[]): void {
    for (const e of exiting) {
      if (e.exited || !e.active) continue;
      const p = profit[e.id]!;
      if (Number.isFinite(e.capitalUsd) && e.capitalUsd + p < 0) {
        out.push({ type: 'exit', entity: e.id });
        continue;
      }
      const rule = e.exitRule;
      if (!rule) continue;
      const from = now - rule.trailingS;
      if (from < activeSince[e.id]! - 1e-9) continue;
      const i = recordAt(from);
      const before = i >= 0 ? profits[i]![e.id]! : 0;
      if (p - before < -rule.maxLossUsd) out.push({ type: 'exit', entity: e.id });
    }
  }

  function entries(now: number, out: PopulationChange[]): void {
    for (const e of entrants) {
      const rule = e.entryRule!;
      if (e.active || e.exited || entered[e.id]) continue;
      if (!Number.isNaN(enterAt[e.id]!)) {
        if (now + 1e-9 >= enterAt[e.id]!) {
          entered[e.id] = 1;
          waiting.delete(e.group);
          out.push({ type: 'enter', entity: e.id });
        }
        continue;
      }
      if (waiting.has(e.group)) continue;
      const price = recentPrice(now, rule.watchS);
      const node = ctx.nodes[e.nodes[0]!];
      if (!node || Number.isNaN(price)) continue;
      const cost = fullCostPerMcycleUsd(node, e, metrics);
      if (!(cost > 0) || price / cost - 1 < rule.hurdle) continue;
      if (rule.leadTimeS <= 0) {
        entered[e.id] = 1;
        out.push({ type: 'enter', entity: e.id });
      } else {
        enterAt[e.id] = now + rule.leadTimeS;
        waiting.add(e.group);
      }
    }
  }

  return {
    onWindow(now: number): PopulationChange[] {
      const out: PopulationChange[] = [];
      const dt = Math.max(0, now - last);
      last = now;
      exits(now, book(now, dt), out);
      entries(now, out);
      return out;
    },
  };
}
