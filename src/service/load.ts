import { newOperatorKey, type OperatorKey } from './auth.js';
import { ServiceClient, type ClientResponse } from './client.js';

/** Options of {@link runLoad}. */
export interface LoadOptions {
  readonly url: string;
  /** Concurrent clients; each is one operator (registered first) that also submits jobs and reads. */
  readonly clients: number;
  /** Total requests, registrations included (a hard bound: the run stops there). */
  readonly requests: number;
  /** Seed of the clients' choices. */
  readonly seed?: number;
  /** Prefix of the input ids (distinct per run against the same log). */
  readonly tag?: string;
  /** Called after every acknowledged write (for the kill test). */
  readonly onAck?: (acked: number) => void;
}

/** What a load run saw. */
export interface LoadResult {
  readonly sent: number;
  /** Input ids of acknowledged writes (2xx, not refused). */
  readonly acked: string[];
  /** Write requests refused on purpose (bad signatures, retries are not counted here). */
  readonly refused: number;
  /** Requests that failed at the transport (the service went away). */
  readonly errors: number;
  readonly latenciesMs: number[];
  readonly wallSeconds: number;
  readonly byKind: Record<string, number>;
}

/**
 * A bounded, mixed load on a coordinator running random allocation: each client registers an
 * operator, then loops: it delivers the jobs assigned to it (and says it is free again), or
 * submits a job, reads a job or the ledger, retries an earlier write (a no-op by its id), or sends
 * a badly signed request (refused). Every loop is bounded by the request budget.
 */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const client = new ServiceClient(o.url, o.clients);
  const tag = o.tag ?? 'load';
  const acked: string[] = [];
  const latencies: number[] = [];
  const byKind: Record<string, number> = {};
  let sent = 0;
  let refused = 0;
  let errors = 0;
  let jobs = 0;
  let dead = false;
  const t0 = process.hrtime.bigint();

  async function call(kind: string, f: () => Promise<ClientResponse>): Promise<ClientResponse | undefined> {
    if (sent >= o.requests || dead) return undefined;
    sent++;
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    const s = process.hrtime.bigint();
    try {
      const r = await f();
      latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
      return r;
    } catch {
      errors++;
      dead = true;
      return undefined;
    }
  }

  function ack(id: string, r: ClientResponse | undefined, expect = 200): boolean {
    if (!r || r.status !== expect || !r.body?.ok) return false;
    if (!r.body.duplicate) acked.push(id);
    o.onAck?.(acked.length);
    return true;
  }

  async function worker(i: number): Promise<void> {
    let rng = ((o.seed ?? 1) * 7919 + i * 104729) >>> 0;
    const rand = (): number => {
      rng = (Math.imul(rng, 1664525) + 1013904223) >>> 0;
      return rng / 4294967296;
    };
    const key: OperatorKey = newOperatorKey();
    const capacity = { cpus: 16, gpus: 1, memory_gb: 64 };
    const regId = `${tag}/c${i}/register`;
    const reg = await call('register', () => client.post('/v1/operators', { id: regId, public_key: key.publicKey, capacity }, key));
    if (!ack(regId, reg, 201)) return;
    const me = reg!.body.operator as number;
    let n = 0;
    let last: { path: string; body: unknown } | undefined;
    while (sent < o.requests && !dead) {
      const mine = await call('read-operator', () => client.get(`/v1/operators/${me}`));
      if (mine?.status !== 200) return;
      for (const w of mine.body.work as { job_id: number }[]) {
        const id = `${tag}/c${i}/${n++}`;
        const body = { id, operator: me, proof: 'cHJvb2Y=' };
        const path = `/v1/jobs/${w.job_id}/deliver`;
        if (!ack(id, await call('deliver', () => client.post(path, body, key)))) continue;
        last = { path, body };
        const aid = `${tag}/c${i}/${n++}`;
        ack(aid, await call('available', () => client.post(`/v1/operators/${me}/available`, { id: aid }, key)));
      }
      const x = rand();
      if (x < 0.45) {
        const id = `${tag}/c${i}/${n++}`;
        if (
          ack(
            id,
            await call('submit', () =>
              client.post('/v1/jobs', {
                id,
                requester: i % 5,
                mcycles: 100 + Math.floor(rand() * 900),
                deadline_s: 86_400,
                max_price_micros: 2_000_000,
              }),
            ),
            201,
          )
        )
          jobs++;
      } else if (x < 0.7) await call('read-job', () => client.get(`/v1/jobs/${Math.floor(rand() * Math.max(1, jobs))}`));
      else if (x < 0.8) await call('read-ledger', () => client.get('/v1/ledger'));
      else if (x < 0.9 && last) {
        const l = last;
        const r = await call('retry', () => client.post(l.path, l.body, key));
        if (r && !(r.status === 200 && r.body.duplicate)) throw new Error(`a retried input was not a no-op: ${r.status} ${r.text}`);
      } else {
        const r = await call('bad-signature', () =>
          client.post(`/v1/operators/${me}/available`, { id: `${tag}/c${i}/bad${n++}` }, newOperatorKey()),
        );
        if (r && r.status === 401) refused++;
      }
    }
  }

  try {
    await Promise.all(Array.from({ length: o.clients }, (_, i) => worker(i)));
  } finally {
    client.close();
  }
  return { sent, acked, refused, errors, latenciesMs: latencies, wallSeconds: Number(process.hrtime.bigint() - t0) / 1e9, byKind };
}

/** The q-quantile (0-1) of a list of numbers (nearest rank). */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

/**
 * Checks a coordinator after a load run, from its public API: every acknowledged input id is in
 * the log, no job was allocated twice (one assignment and at most one outcome per job: the load's
 * operators never decline or fail), and the ledger reconciles. Returns the problems found.
 */
export async function checkAfterLoad(
  url: string,
  acked: readonly string[],
): Promise<{ problems: string[]; jobs: number; delivered: number }> {
  const client = new ServiceClient(url, 8);
  const problems: string[] = [];
  try {
    const missing: string[] = [];
    for (let i = 0; i < acked.length; i += 64) {
      const rs = await Promise.all(acked.slice(i, i + 64).map((id) => client.get(`/v1/inputs/${encodeURIComponent(id)}`)));
      rs.forEach((r, k) => r.status !== 200 && missing.push(acked[i + k]!));
    }
    if (missing.length > 0) problems.push(`${missing.length} acknowledged inputs are not in the log (first: ${missing[0]})`);
    const assigns = new Map<number, number>();
    const dones = new Map<number, number>();
    let delivered = 0;
    for (let after = 0; ; ) {
      const r = await client.get(`/v1/decisions?after=${after}&limit=5000`);
      const steps = r.body.steps as { decisions: { type: string; jobId?: number; outcome?: string }[] }[];
      if (steps.length === 0) break;
      for (const s of steps) {
        for (const d of s.decisions) {
          if (d.type === 'assign') assigns.set(d.jobId!, (assigns.get(d.jobId!) ?? 0) + 1);
          if (d.type === 'done') {
            dones.set(d.jobId!, (dones.get(d.jobId!) ?? 0) + 1);
            if (d.outcome === 'delivered') delivered++;
          }
        }
      }
      after = r.body.last as number;
    }
    for (const [job, n] of assigns) if (n > 1) problems.push(`job ${job} was allocated ${n} times`);
    for (const [job, n] of dones) if (n > 1) problems.push(`job ${job} ended ${n} times`);
    const ledger = await client.get('/v1/ledger');
    if (!ledger.body.reconcile.ok) problems.push(`ledger: ${ledger.body.reconcile.problems.join('; ')}`);
    const health = await client.get('/metrics');
    const jobs = Number(/pmsim_jobs_total (\d+)/.exec(health.text)?.[1] ?? 0);
    return { problems, jobs, delivered };
  } finally {
    client.close();
  }
}
