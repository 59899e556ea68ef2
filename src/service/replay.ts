import { createHash } from 'node:crypto';
import { newOperatorKey, type OperatorKey } from './auth.js';
import type { Input } from './core-adapter.js';
import { ServiceClient } from './client.js';
import type { RecordSection, RecordStep } from './record.js';

/** Where a replay first differed from its record. */
export interface ReplayDifference {
  /** 0-based index of the record step. */
  readonly index: number;
  readonly seq: number;
  readonly at: number;
  readonly input: Input;
  readonly expected: string;
  readonly got: string;
}

/** The outcome of {@link replayRecord}. */
export interface ReplayResult {
  readonly ok: boolean;
  readonly mechanism: string;
  readonly steps: number;
  readonly requests: number;
  readonly decisions: number;
  /** SHA-256 of every decision, in order, as the coordinator made them. */
  readonly digest: string;
  readonly difference?: ReplayDifference;
}

/** Picks the section of a record that a coordinator runs (by its mechanism label). */
export function sectionFor(sections: readonly RecordSection[], label: string): RecordSection | undefined {
  return sections.find((s) => s.header.mechanism === label);
}

/**
 * Sends a recorded simulation's inputs to a running coordinator (fresh, `--clock manual`) and
 * compares its decisions with the recorded ones, step by step, byte for byte. The record's nodes
 * register first (each with a fresh Ed25519 key; ids are dense, so they get the recorded ids).
 * Each input goes with its recorded time (`at`), id and beacon; each recorded `timer` input
 * becomes `POST /v1/clock {to, fire: 1}`, since the coordinator fires the core's timers itself.
 */
export async function replayRecord(section: RecordSection, url: string): Promise<ReplayResult> {
  const client = new ServiceClient(url, 1);
  const hash = createHash('sha256');
  let requests = 0;
  let decisions = 0;
  const result = (difference?: ReplayDifference): ReplayResult => ({
    ok: !difference,
    mechanism: section.header.mechanism,
    steps: section.steps.length,
    requests,
    decisions,
    digest: hash.digest('hex'),
    difference,
  });
  try {
    const health = await client.get('/health');
    if (health.status !== 200) throw new Error(`${url}: expected GET /health to answer 200, got ${health.status}`);
    if (health.body.clock !== 'manual')
      throw new Error(`${url}: expected a coordinator started with --clock manual, got --clock ${health.body.clock}`);
    if (health.body.seq !== 0) throw new Error(`${url}: expected a fresh coordinator (empty log), got one with ${health.body.seq} entries`);
    const keys: OperatorKey[] = [];
    for (const op of section.header.operators) {
      const key = newOperatorKey();
      keys[op.id] = key;
      const c = op.capacity;
      const r = await client.post(
        '/v1/operators',
        {
          id: `register/${op.id}`,
          public_key: key.publicKey,
          entity: op.entity,
          capacity: { cpus: c.cpus, gpus: c.gpus, memory_gb: c.memoryGb },
          hardware: op.hardware,
          online: op.online,
        },
        key,
      );
      requests++;
      if (r.status !== 201 || r.body.operator !== op.id) throw new Error(`${url}: registering node ${op.id} got ${r.status} ${r.text}`);
    }
    for (let i = 0; i < section.steps.length; i++) {
      const step = section.steps[i]!;
      const { path, body, key } = requestFor(step, keys);
      const r = await client.post(path, body, key);
      requests++;
      const expected = `[${step.decisions.map((d) => JSON.stringify(d)).join(',')}]`;
      const diff = (got: string): ReplayDifference => ({ index: i, seq: step.seq, at: step.at, input: step.input, expected, got });
      // A 4xx with steps is the core refusing the input (logged, like the simulation's); without, the coordinator refused it.
      if (!Array.isArray(r.body?.steps)) return result(diff(`refused: ${r.status} ${r.text}`));
      const got = [...(r.body.steps as { input: { type: string }; decisions: unknown[] }[])];
      if (got[0]?.input.type === 'init') {
        const init = `[${(section.header.init ?? []).map((d) => JSON.stringify(d)).join(',')}]`;
        const gotInit = JSON.stringify(got.shift()!.decisions);
        if (gotInit !== init)
          return result({ index: -1, seq: 0, at: 0, input: { type: 'init' } as unknown as Input, expected: init, got: gotInit });
        hash.update(gotInit);
      }
      if (got.length !== 1) return result(diff(`${got.length} steps: ${JSON.stringify(got.map((s) => s.input))}`));
      if (canonical(got[0]!.input as Input, step.input) === false)
        return result(diff(`a step for another input: ${JSON.stringify(got[0]!.input)}`));
      const gotText = JSON.stringify(got[0]!.decisions);
      hash.update(gotText);
      decisions += got[0]!.decisions.length;
      if (gotText !== expected) return result(diff(gotText));
    }
    return result();
  } finally {
    client.close();
  }
}

/** Are two inputs the same (job objects may list their keys in another order)? */
function canonical(a: Input, b: Input): boolean {
  return sortedJson(a) === sortedJson(b);
}

function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The HTTP request that gives the coordinator a recorded input. */
function requestFor(step: RecordStep, keys: readonly OperatorKey[]): { path: string; body: Record<string, unknown>; key?: OperatorKey } {
  const input = step.input;
  const id = step.id ?? `replay/${step.seq}`;
  // The core numbers its inputs itself (the coordinator's adapter counts them as the shell does).
  const base = { id, at: step.at };
  switch (input.type) {
    case 'submit': {
      const j = input.job;
      return {
        path: '/v1/jobs',
        body: {
          ...base,
          ...(input.beacon !== undefined ? { beacon: input.beacon as unknown as string } : {}),
          requester: j.requester,
          kind: j.kind,
          mcycles: j.mcycles,
          resources: { cpus: j.request.cpus, gpus: j.request.gpus, memory_gb: j.request.memoryGb },
          deadline_at: j.deadline,
          max_price_micros: j.maxPrice,
          redundancy: j.redundancy,
          est_seconds: j.estSeconds,
        },
      };
    }
    case 'timer':
      return { path: '/v1/clock', body: { id, to: step.at, fire: 1 } };
    case 'bid':
      return {
        path: `/v1/jobs/${input.jobId}/bid`,
        body: { ...base, operator: input.operator, price_micros: input.price },
        key: keys[input.operator],
      };
    case 'join-race':
      return { path: `/v1/jobs/${input.jobId}/join`, body: { ...base, operator: input.operator }, key: keys[input.operator] };
    case 'decline':
    case 'lock':
    case 'deliver':
    case 'fail':
      return { path: `/v1/jobs/${input.jobId}/${input.type}`, body: { ...base, operator: input.operator }, key: keys[input.operator] };
    case 'ask':
      return {
        path: `/v1/operators/${input.operator}/ask`,
        body: { ...base, price_per_mcycle: input.pricePerMcycle, expires_at: input.expiresAt },
        key: keys[input.operator],
      };
    case 'join':
      return { path: `/v1/operators/${input.operator.id}/join`, body: base, key: keys[input.operator.id] };
    case 'cancel-ask':
    case 'available':
    case 'leave':
      return { path: `/v1/operators/${input.operator}/${input.type}`, body: base, key: keys[input.operator] };
  }
}
