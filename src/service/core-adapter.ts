/**
 * The one file of the coordinator that knows the allocation core's contract in detail.
 *
 * The core (`src/mechanisms`, `pmsim/core`) is being reshaped by the core-protocol issue (input ids,
 * real window durations, beacons as bytes, one shared `step`). Everything else in `src/service`
 * talks to the core through this adapter, so following that change is an edit of this file only.
 *
 * Today's contract, as the adapter sees it:
 * - inputs and decisions are the plain objects of `types.ts`. Every input carries a numeric id; the
 *   adapter numbers the inputs it gives the core 0, 1, 2, ... as the simulator's shell does, so a
 *   replay gives the core the same ids (its `refused` decisions name them). The coordinator keeps the
 *   callers' string ids and drops their duplicates before the core sees them;
 * - `init` may decide (the order book asks every node for an opening ask): genesis is a step;
 * - a submission carries the job's external beacon (32 bytes: a drand round, a block hash); random
 *   allocation draws each prover with SHA-256(beacon, job id, draw) and `audit` recomputes a draw
 *   from the beacon and the eligible set. On the wire and in records byte arrays are lowercase hex;
 * - no mechanism draws from the injected `Random` any more: the adapter hands the core one that
 *   refuses, so a mechanism that started drawing would fail loudly instead of replaying wrongly;
 * - the eligible set of a draw is not part of the decision: the adapter captures it from the
 *   state's free index at the moment of the draw.
 */
import { audit, BEACON_BYTES } from '../mechanisms/beacon.js';
import type { FreeIndex } from '../mechanisms/free-index.js';
import { mechanismById } from '../mechanisms/registry.js';
import type { Decision, Input, InputDraft, Job, Mechanism, OperatorInfo, ProtocolState, Random, Resources } from '../mechanisms/types.js';
import type { MechanismRef, Scenario } from '../scenario/schema.js';

export type { Decision, Input, InputDraft, Job, OperatorInfo, Resources };

/** A mechanism entry of a scenario with its defaults resolved (the same rule as `pmsim run`). */
export interface MechanismConfig {
  readonly id: string;
  readonly label: string;
  readonly preset: string;
  readonly params: Record<string, unknown>;
}

/** The input types of the core, as they appear in the log, the record and the HTTP API. */
export type InputType = Input['type'];

/** The core's input type for an operator's request about a job (`join` is joining a race). */
export const JOB_INPUT_TYPE = {
  decline: 'decline',
  bid: 'bid',
  lock: 'lock',
  join: 'join-race',
  deliver: 'deliver',
  fail: 'fail',
} as const;

/** One random selection with everything an auditor needs to recompute it from the published beacon. */
export interface Selection {
  readonly job_id: number;
  readonly draw: number;
  /** The job's public beacon (the one its submission carried), hex. */
  readonly beacon: string;
  /** Eligible node ids at the draw, ascending. */
  readonly eligible: readonly number[];
  readonly operator: number;
}

/** Resolves a scenario's mechanism entry; `label` selects by label, or by id when no label matches. */
export function resolveConfig(scenario: Scenario, label: string): MechanismConfig | undefined {
  const refs = scenario.mechanisms.map(resolveRef);
  return refs.find((r) => r.label === label) ?? refs.find((r) => r.id === label);
}

function resolveRef(ref: MechanismRef): MechanismConfig {
  if (typeof ref === 'string') return { id: ref, label: ref, preset: '', params: {} };
  const preset = ref.preset ?? '';
  return { id: ref.id, label: ref.label ?? (preset ? `${ref.id}:${preset}` : ref.id), preset, params: ref.params };
}

/** Builds a fresh mechanism object (closures included) for a configuration. */
export function createMechanism(cfg: MechanismConfig): Mechanism {
  const entry = mechanismById(cfg.id);
  if (!entry) throw new Error(`unknown mechanism "${cfg.id}"`);
  return entry.create({ ...cfg.params, ...(cfg.preset ? { preset: cfg.preset } : {}) });
}

/** Bytes of a beacon, as many as the core expects. */
export const BEACON_LENGTH = BEACON_BYTES;

/** Lowercase hex of bytes. */
export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** Bytes of a hex string (validated by the request schema or the record). */
export function fromHex(h: string): Uint8Array {
  return new Uint8Array(Buffer.from(h, 'hex'));
}

/** JSON of an input or a decision, byte arrays (beacons) as hex: the form of logs, replies and records. */
export function toJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? toHex(x) : x));
}

/** An input read back from JSON (a log entry, a record): its beacon becomes bytes again. */
export function inputFromJson(v: Input | InputDraft): InputDraft {
  const { id: _id, ...draft } = v as Input;
  if (draft.type === 'submit' && typeof draft.beacon === 'string') return { ...draft, beacon: fromHex(draft.beacon) } as InputDraft;
  return draft as InputDraft;
}

/** The beacon a submission carries, hex (undefined for other inputs, or a submission without one). */
export function submitBeacon(input: Input | InputDraft): string | undefined {
  if (input.type !== 'submit' || input.beacon === undefined) return undefined;
  return typeof input.beacon === 'string' ? input.beacon : toHex(input.beacon);
}

/** Recomputes one selection from its beacon and eligible set. */
export function checkSelection(s: Selection): boolean {
  return (
    /^[0-9a-f]+$/.test(s.beacon) &&
    s.beacon.length === 2 * BEACON_BYTES &&
    audit(fromHex(s.beacon), s.eligible, s.job_id, s.draw, 1)[0] === s.operator
  );
}

/** The result of one core step. */
export interface StepResult {
  /** The input as the core received it (with its id). */
  readonly input: Input;
  readonly decisions: Decision[];
  readonly selections: Selection[];
}

/** The `Random` the core gets: no mechanism draws from it (randomness comes from beacons). */
const NO_RANDOM: Random = {
  next: () => {
    throw new Error('the core drew from its Random: the coordinator passes randomness only as beacons');
  },
};

/**
 * One running core: a mechanism and its state. The state is built at genesis from the operators
 * registered by then (`start`), and changes only through `step`.
 */
export class Core {
  private readonly mech: Mechanism;
  private state: ProtocolState | undefined;
  private started = false;
  /** The id of the next input (the simulator's shell numbers its inputs the same way). */
  private nextId = 0;
  private captured: number[][] = [];

  constructor(readonly config: MechanismConfig) {
    this.mech = createMechanism(config);
  }

  /** The mechanism's resolved parameters. */
  get params(): Readonly<Record<string, unknown>> {
    return this.mech.params;
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** Genesis: builds the state from the operators online now; returns `init`'s decisions. */
  start(operators: readonly OperatorInfo[], now: number): Decision[] {
    const out: Decision[] = [];
    this.state = this.mech.init(operators, out, now);
    this.started = true;
    this.instrument();
    return out;
  }

  /** Applies one input at `now`, numbering it. */
  step(draft: InputDraft, now: number): StepResult {
    const input = { ...draft, id: this.nextId++ } as Input;
    const decisions: Decision[] = [];
    this.captured = [];
    this.mech.step(this.state!, input, now, NO_RANDOM, decisions);
    return { input, decisions, selections: this.pairSelections(decisions) };
  }

  /** Random allocation draws with `FreeIndex.kth`: capture the free eligible set at each draw. */
  private instrument(): void {
    const index = (this.state as { index?: FreeIndex }).index;
    if (this.config.id !== 'random' || !index) return;
    const kth = index.kth.bind(index);
    index.kth = (profiles: readonly number[], k: number): number => {
      this.captured.push(index.listFree(profiles));
      return kth(profiles, k);
    };
  }

  private pairSelections(decisions: readonly Decision[]): Selection[] {
    if (this.captured.length === 0) return [];
    const out: Selection[] = [];
    let c = 0;
    for (const d of decisions) {
      if (d.type !== 'assign' || d.beacon === undefined || d.draw === undefined) continue;
      const eligible = this.captured[c++];
      if (eligible)
        out.push({
          job_id: d.jobId,
          draw: d.draw,
          beacon: typeof d.beacon === 'number' ? String(d.beacon) : toHex(d.beacon),
          eligible,
          operator: d.operator,
        });
    }
    return out;
  }
}

/** Is this step's only decision the core's refusal of the input? Returns the reason. */
export function refusal(decisions: readonly Decision[]): string | undefined {
  const d = decisions[0];
  return decisions.length === 1 && d?.type === 'refused' ? d.reason : undefined;
}

/** The job id an input names, or -1. */
export function inputJob(input: Input | InputDraft): number {
  return 'jobId' in input ? input.jobId : input.type === 'submit' ? input.job.id : -1;
}

/** The operator an input comes from, or -1. */
export function inputOperator(input: Input | InputDraft): number {
  if (input.type === 'join') return input.operator.id;
  return 'operator' in input && typeof input.operator === 'number' ? input.operator : -1;
}
