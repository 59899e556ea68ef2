/**
 * Feasibility checks of a valid scenario: the cases that cannot work, whatever the mechanism, found
 * before a run instead of after it (a scenario can be valid and still have requesters that no node
 * can serve, deadlines shorter than any node's proving time, or more work than the hardware can do).
 * Pure functions of the resolved scenario: estimates from the distributions' medians and means and
 * the hardware models' nominal speed at time 0 (no jitter, no failures, no software progress).
 */
import { hardwareById } from '../hardware-models/catalogue.js';
import { nodeModel, type NodeModel } from '../hardware-models/node-model.js';
import { gangDuration } from '../hardware-models/gang-efficiency.js';
import { resolveMechanismParams } from '../mechanisms/params-registry.js';
import { fits, type Resources } from '../mechanisms/types.js';
import type { OperatorGroup, RequesterGroup, Scenario } from './schema.js';
import type { Chunking } from './capacity-schema.js';

/** One feasibility warning. */
export interface FeasibilityWarning {
  /** What kind of impossibility. */
  readonly kind: 'unservable' | 'deadline' | 'overload' | 'gang';
  /** Field path in the scenario file (`requesters[apps].resources`). */
  readonly path: string;
  /** What is wrong and what will happen. */
  readonly message: string;
}

/** Formats a warning as one line: `file: path: message`. */
export function formatWarning(file: string, w: FeasibilityWarning): string {
  return `${file}: ${w.path}: ${w.message}`;
}

/**
 * Can any node ever serve a job with this request? False when no capacity, of any node the run
 * will ever have (later joiners and potential entrants included), meets it. The market shell
 * rejects such jobs at submission under every mechanism, so they end the same way everywhere.
 */
export function canEverServe(request: Resources, capacities: readonly Resources[], gang = 1): boolean {
  // A gang job needs `gang` nodes that meet its request (docs/gang.md).
  let n = 0;
  for (const c of capacities) if (fits(c, request) && ++n >= gang) return true;
  return false;
}

type Dist =
  | number
  | {
      dist: string;
      value?: number;
      min?: number;
      max?: number;
      mean?: number;
      sd?: number;
      median?: number;
      sigma?: number;
      values?: number[];
      mode?: string;
    };

/** Median of a scenario distribution (undefined when it cannot be told, e.g. an unread trace). */
export function distMedian(d: unknown): number | undefined {
  const x = d as Dist;
  if (typeof x === 'number') return x;
  switch (x.dist) {
    case 'constant':
      return x.value;
    case 'uniform':
      return ((x.min ?? 0) + (x.max ?? 0)) / 2;
    case 'exponential':
      return (x.mean ?? 0) * Math.LN2;
    case 'normal':
      return Math.max(0, x.mean ?? 0);
    case 'lognormal':
      return x.median;
    case 'empirical': {
      const v = [...(x.values ?? [])].sort((a, b) => a - b);
      return v.length ? v[Math.floor((v.length - 1) / 2)] : undefined;
    }
  }
  return undefined;
}

/** Mean of a scenario distribution (undefined when it cannot be told). */
export function distMean(d: unknown): number | undefined {
  const x = d as Dist;
  if (typeof x === 'number') return x;
  switch (x.dist) {
    case 'constant':
      return x.value;
    case 'uniform':
      return ((x.min ?? 0) + (x.max ?? 0)) / 2;
    case 'exponential':
      return x.mean;
    case 'normal':
      return Math.max(0, x.mean ?? 0);
    case 'lognormal':
      return (x.median ?? 0) * Math.exp((x.sigma ?? 0) ** 2 / 2);
    case 'empirical': {
      const v = x.values ?? [];
      if (v.length === 0) return undefined;
      // Absolute submission times: the mean gap is the span over the count.
      if (x.mode === 'timestamps') return v.length >= 2 ? (Math.max(...v) - Math.min(...v)) / (v.length - 1) : undefined;
      return v.reduce((a, b) => a + b, 0) / v.length;
    }
  }
  return undefined;
}

/** Advertised capacity of a group's nodes (the population's rule: from the hardware, overridden by `resources`). */
export function groupCapacity(g: OperatorGroup): Resources | undefined {
  const p = hardwareById(g.hardware);
  if (!p) return undefined;
  const c =
    p.kind === 'cpu'
      ? { cpus: 64 * g.devices, gpus: 0, memoryGb: 256 * g.devices }
      : { cpus: 16 * g.devices, gpus: g.devices, memoryGb: 64 * g.devices };
  return { cpus: g.resources?.cpus ?? c.cpus, gpus: g.resources?.gpus ?? c.gpus, memoryGb: g.resources?.memory_gb ?? c.memoryGb };
}

/** A requester's jobs per second while it submits (aggregators: their source's rate / `every`). */
export function arrivalRate(s: Scenario, r: RequesterGroup, seen: ReadonlySet<string> = new Set()): number {
  if (r.aggregate) {
    const src = s.requesters.find((q) => q.name === r.aggregate!.of);
    if (!src || seen.has(src.name)) return 0;
    return arrivalRate(s, src, new Set([...seen, r.name])) / r.aggregate.every;
  }
  const gap = distMean(r.arrival);
  if (gap === undefined || !(gap > 0)) return 0;
  // A daily cycle averages out; bursts only shift load in time.
  return 1 / gap;
}

interface Pool {
  readonly label: string;
  readonly nodes: number;
  readonly model: NodeModel;
  readonly capacity: Resources;
}

function requestOf(r: RequesterGroup): Resources {
  return { cpus: r.resources.cpus, gpus: r.resources.gpus, memoryGb: r.resources.memory_gb };
}

function fmtResources(c: Resources): string {
  const parts = [];
  if (c.gpus > 0) parts.push(`${c.gpus} GPU${c.gpus === 1 ? '' : 's'}`);
  if (c.cpus > 0) parts.push(`${c.cpus} CPUs`);
  parts.push(`${c.memoryGb} GB`);
  return parts.join(', ');
}

function marketPools(s: Scenario): Pool[] {
  const pools: Pool[] = [];
  for (const g of s.operators) {
    const p = hardwareById(g.hardware);
    const cap = groupCapacity(g);
    if (!p || !cap) continue;
    pools.push({
      label: `${g.name} (${g.hardware} x ${g.devices})`,
      nodes: g.entities * g.nodes,
      model: nodeModel(p, g.devices, g.ownership, s.energy_usd_per_kwh, undefined, undefined, { speedup: g.speedup }),
      capacity: cap,
    });
  }
  return pools;
}

/** The self-hosted clusters of the scenario's mechanisms, with the index of their mechanism entry. */
function clusters(s: Scenario): Array<{ index: number; pool: Pool }> {
  const out: Array<{ index: number; pool: Pool }> = [];
  s.mechanisms.forEach((ref, index) => {
    const id = typeof ref === 'string' ? ref : ref.id;
    if (id !== 'self-hosted') return;
    let params: Record<string, unknown>;
    try {
      const given = typeof ref === 'string' ? {} : { ...ref.params, ...(ref.preset ? { preset: ref.preset } : {}) };
      params = resolveMechanismParams(id, given);
    } catch {
      return; // bad parameters are the loader's to report
    }
    const p = hardwareById(String(params.hardware));
    if (!p) return;
    const devices = Math.max(1, Math.floor(Number(params.devices ?? 1)));
    const nodes = Math.max(1, Math.floor(Number(params.nodes ?? 1)));
    const rent = Number(params.rentUsdPerHour ?? 0);
    const model = nodeModel(rent > 0 ? { ...p, rentUsdPerHour: rent } : p, devices, 'rented', s.energy_usd_per_kwh);
    // The cluster is sized for its own workload: every request fits (as the shell builds it).
    const all = { cpus: Infinity, gpus: Infinity, memoryGb: Infinity };
    out.push({ index, pool: { label: `the self-hosted cluster (${nodes} x ${p.id} x ${devices})`, nodes, model, capacity: all } });
  });
  return out;
}

/** Jobs per second the pools can finish for requester r (Σ over eligible nodes of 1 / mean proving time). */
/**
 * Node-seconds one job of `size` takes on a pool's nodes: a gang job (`gang` > 1) occupies N nodes
 * for the gang curve's time (docs/gang.md); other jobs one node for the node's time.
 */
function nodeSeconds(m: NodeModel, r: RequesterGroup, size: number): number {
  const n = r.gang ?? 1;
  return n > 1 ? n * jobSeconds(m, r, size) : m.duration(size, r.kind);
}

/** Seconds one job of `size` takes: on one node, or a gang of N such nodes. */
function jobSeconds(m: NodeModel, r: RequesterGroup, size: number): number {
  const n = r.gang ?? 1;
  return n > 1 ? gangDuration(new Array<NodeModel>(n).fill(m), size, r.kind) : m.duration(size, r.kind);
}

function throughput(pools: readonly Pool[], r: RequesterGroup, meanSize: number): number {
  let t = 0;
  for (const p of pools) if (fits(p.capacity, requestOf(r))) t += p.nodes / nodeSeconds(p.model, r, meanSize);
  return t;
}

function fastest(pools: readonly Pool[], r: RequesterGroup, size: number): { pool: Pool; seconds: number } | null {
  let best: { pool: Pool; seconds: number } | null = null;
  for (const p of pools) {
    if (!fits(p.capacity, requestOf(r))) continue;
    const sec = jobSeconds(p.model, r, size);
    if (!best || sec < best.seconds) best = { pool: p, seconds: sec };
  }
  return best;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
/** A duration for messages: "45s", "27 min", "3.2 h". */
/** The critical path of a chunked job of `size` Mcycles: one chunk, its overhead, the aggregation. */
function chunkPath(size: number, c: Chunking): { n: number; chunk: number; overhead: number; aggregation: number } {
  const n = Math.ceil(size / c.chunk_mcycles - 1e-9);
  return { n, chunk: size / n, overhead: c.overhead_s, aggregation: n * c.aggregation_mcycles };
}

function dur(s: number): string {
  if (s < 120) return `${Math.round(s)}s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/**
 * Which entities can serve a gang requester on their own (docs/gang.md): the operator groups whose
 * entities each own N compatible nodes. Under the races, auctions and books only they can serve it
 * (coalitions are not modelled); random allocation and first-fit draw members from every owner.
 */
function gangServers(s: Scenario, r: RequesterGroup, at: string): FeasibilityWarning {
  const n = r.gang ?? 1;
  const able = s.operators.filter((g) => {
    const cap = groupCapacity(g);
    return cap !== undefined && fits(cap, requestOf(r)) && g.nodes >= n;
  });
  const names = able.map((g) => `${g.name} (${g.entities} x ${g.nodes} nodes)`);
  return {
    kind: 'gang',
    path: `${at}.gang`,
    message:
      able.length > 0
        ? `gangs of ${n} nodes: only entities of ${names.join(', ')} own enough compatible nodes to serve them alone (races, auctions, books); random allocation and first-fit draw from every owner`
        : `gangs of ${n} nodes: no entity owns enough compatible nodes to serve them alone: under the races, auctions and books they cannot be served (coalitions are not modelled); random allocation and first-fit draw from every owner`,
  };
}

/**
 * Warnings for the cases a scenario cannot serve, under any mechanism:
 * - `unservable`: a requester whose resources no operator group's nodes meet (every job rejected);
 * - `deadline`: a requester whose median deadline is below the fastest eligible node's proving time
 *   for its median job (the market's nodes, and each self-hosted cluster);
 * - `overload`: offered work above what the eligible nodes can prove (per requester and in total
 *   for the market; per self-hosted cluster), so queues grow for the whole run.
 */
export function checkFeasibility(s: Scenario): FeasibilityWarning[] {
  const out: FeasibilityWarning[] = [];
  const market = marketPools(s);
  const cl = clusters(s);
  const hasMarket = s.mechanisms.some((m) => (typeof m === 'string' ? m : m.id) !== 'self-hosted');
  let marketLoad = 0;
  let marketCap = 0;
  for (const r of s.requesters) {
    const at = `requesters[${r.name}]`;
    const size = distMedian(r.size_mcycles);
    const meanSize = distMean(r.size_mcycles);
    const deadline = distMedian(r.deadline);
    const rate = arrivalRate(s, r);
    const eligible = market.filter((p) => fits(p.capacity, requestOf(r)));
    if (hasMarket && (r.gang ?? 1) > 1) out.push(gangServers(s, r, at));
    if (hasMarket && eligible.length === 0) {
      const largest = market.map((p) => p.capacity).sort((a, b) => b.gpus - a.gpus || b.memoryGb - a.memoryGb || b.cpus - a.cpus)[0];
      out.push({
        kind: 'unservable',
        path: `${at}.resources`,
        message: `no operator can serve these jobs: they need ${fmtResources(requestOf(r))}${largest ? `, the largest node offers ${fmtResources(largest)}` : ''}; every market mechanism rejects them at submission`,
      });
    }
    const targets: Array<{ pools: Pool[] }> = [];
    if (hasMarket && eligible.length) targets.push({ pools: eligible });
    for (const c of cl) targets.push({ pools: [c.pool] });
    if (size !== undefined && deadline !== undefined) {
      // A chunked job's critical path (issue 13): one chunk after its overhead, then the aggregation.
      const ch = r.chunking && size > r.chunking.chunk_mcycles ? chunkPath(size, r.chunking) : undefined;
      for (const t of targets) {
        const f = fastest(t.pools, r, ch ? ch.chunk : size);
        const seconds = f && ch ? f.seconds + ch.overhead + (fastest(t.pools, r, ch.aggregation)?.seconds ?? 0) : f?.seconds;
        if (f && seconds! > deadline) {
          const what = ch ? `${Math.round(size)} Mcycles in ${ch.n} chunks and an aggregation` : `${Math.round(size)} Mcycles`;
          out.push({
            kind: 'deadline',
            path: `${at}.deadline`,
            message: `the median deadline (${dur(deadline)}) is below the fastest eligible node's time for the median job (${what}: ${dur(seconds!)} on ${(r.gang ?? 1) > 1 ? `a gang of ${r.gang} x ` : ''}${f.pool.label}); most jobs cannot be on time`,
          });
        }
      }
    }
    if (meanSize !== undefined && rate > 0 && hasMarket && eligible.length) {
      const cap = throughput(eligible, r, meanSize);
      const rho = rate / cap;
      marketLoad +=
        (rate * eligible.reduce((a, p) => a + p.nodes * nodeSeconds(p.model, r, meanSize), 0)) / eligible.reduce((a, p) => a + p.nodes, 0);
      if (rho > 1)
        out.push({
          kind: 'overload',
          path: at,
          message: `offered load is about ${pct(rho)} of what the eligible operators can prove (${rate.toFixed(4)} jobs/s of ${Math.round(meanSize)} Mcycles on average; they finish about ${cap.toFixed(4)} jobs/s); queues grow for the whole run`,
        });
    }
  }
  if (hasMarket) {
    marketCap = market.filter((p) => s.requesters.some((r) => fits(p.capacity, requestOf(r)))).reduce((a, p) => a + p.nodes, 0);
    const rho = marketCap > 0 ? marketLoad / marketCap : 0;
    if (rho > 1 && !out.some((w) => w.kind === 'overload')) {
      out.push({
        kind: 'overload',
        path: 'operators',
        message: `the requesters together offer about ${pct(rho)} of the operators' proving capacity (${marketLoad.toFixed(1)} busy nodes needed, ${marketCap} nodes); queues grow for the whole run`,
      });
    }
  }
  for (const c of cl) {
    let need = 0;
    for (const r of s.requesters) {
      const meanSize = distMean(r.size_mcycles);
      const rate = arrivalRate(s, r);
      if (meanSize !== undefined && rate > 0) need += rate * nodeSeconds(c.pool.model, r, meanSize);
    }
    const rho = need / c.pool.nodes;
    if (rho > 1) {
      out.push({
        kind: 'overload',
        path: `mechanisms[${c.index}]`,
        message: `the offered load is about ${pct(rho)} of what ${c.pool.label} can prove (${need.toFixed(1)} busy nodes needed, ${c.pool.nodes} rented); its queue grows for the whole run and most jobs end late or open (raise params.nodes or params.devices)`,
      });
    }
  }
  return out;
}

/** What one mechanism's run left behind, for {@link endOfRunWarnings}. */
export interface RunEnd {
  readonly mechanism: string;
  readonly submitted: number;
  /** Jobs still open when the run ended (arrivals stopped, the drain time ran out). */
  readonly open: number;
  /** Jobs rejected at submission because no node could ever serve them. */
  readonly unservable: number;
}

/** Warnings at the end of a run: jobs left open, jobs no node could serve. One line each. */
export function endOfRunWarnings(ends: readonly RunEnd[]): string[] {
  const out: string[] = [];
  for (const e of ends) {
    if (e.open > 0)
      out.push(
        `${e.mechanism}: ${e.open} of ${e.submitted} jobs were still open when the run ended (the drain after the last arrival was too short for the backlog)`,
      );
    if (e.unservable > 0)
      out.push(
        `${e.mechanism}: ${e.unservable} of ${e.submitted} jobs were rejected at submission because no node can serve their resources`,
      );
  }
  return out;
}
