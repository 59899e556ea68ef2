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
 * - randomness is a `Random` the core pulls uniforms from; only random allocation pulls, one
 *   uniform per submitted job, which becomes the job's published 32-bit beacon (`drawBeacon`). The
 *   "beacon" of an input is therefore the list of uniforms it consumed, logged with the input, so a
 *   replay of the log (or of a simulation's record) feeds the core exactly the same numbers;
 * - a random selection is audited by `audit(beacon, eligible, jobId, draw, 1)`; the eligible set is
 *   not part of the decision, so the adapter captures it from the state's free index at the moment
 *   of the draw.
 */
import { audit, drawBeacon } from '../mechanisms/beacon.js';
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
export const JOB_INPUT_TYPE = { decline: 'decline', bid: 'bid', lock: 'lock', join: 'join-race', deliver: 'deliver', fail: 'fail' } as const;

/** One random selection with everything an auditor needs to recompute it from the published beacon. */
export interface Selection {
  readonly job_id: number;
  readonly draw: number;
  /** The job's published beacon (derived from the beacon of the job's submission). */
  readonly beacon: number;
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

/** The job's published beacon, given the uniforms its submission consumed (undefined if none). */
export function publishedBeacon(draws: readonly number[]): number | undefined {
  if (draws.length === 0) return undefined;
  let i = 0;
  return drawBeacon({ next: () => draws[i++]! });
}

/** Recomputes one selection from its beacon and eligible set. */
export function checkSelection(s: Selection): boolean {
  return audit(s.beacon, s.eligible, s.job_id, s.draw, 1)[0] === s.operator;
}

/** The result of one core step. */
export interface StepResult {
  readonly decisions: Decision[];
  readonly selections: Selection[];
  /** The uniforms the step consumed: the input's beacon, to be logged with it. */
  readonly beacon: number[];
}

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

  /**
   * Applies one input at `now`. `draw` supplies uniforms: from the input's logged beacon on
   * replay, or fresh ones from the coordinator's beacon source.
   */
  step(draft: InputDraft, now: number, draw: () => number): StepResult & { input: Input } {
    const input = { ...draft, id: this.nextId++ } as Input;
    const beacon: number[] = [];
    const random: Random = {
      next: () => {
        const u = draw();
        beacon.push(u);
        return u;
      },
    };
    const decisions: Decision[] = [];
    this.captured = [];
    this.mech.step(this.state!, input, now, random, decisions);
    return { input, decisions, selections: this.pairSelections(decisions), beacon };
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
      if (eligible) out.push({ job_id: d.jobId, draw: d.draw, beacon: d.beacon as number, eligible, operator: d.operator });
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
