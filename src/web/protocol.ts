/** Messages between the page and the simulation worker. */
import type { ScenarioIssue } from '../scenario/errors.js';

/** Ask the worker to run a scenario. */
export interface RunRequest {
  readonly type: 'run';
  /** Scenario text (YAML or JSON) and the name its errors show. */
  readonly text: string;
  readonly file: string;
  /** Trace files the user picked (or the bundle holds), by the name the scenario gives. */
  readonly traces: Readonly<Record<string, string>>;
  readonly seed: number;
  /** Labels to run (like `pmsim run --mechanism`); undefined: every mechanism. */
  readonly mechanisms?: readonly string[];
}

/** In-memory rows (numbers, strings, NaN) of one finished mechanism, for the charts during a run. */
export interface PartialRows {
  readonly summary: Record<string, unknown>[];
  readonly timeseries: Record<string, unknown>[];
  readonly shares: Record<string, unknown>[];
  readonly latency: Record<string, unknown>[];
}

/** What the worker sends back. */
export type WorkerMessage =
  | { readonly type: 'start'; readonly mechanisms: readonly string[] }
  | { readonly type: 'progress'; readonly fraction: number; readonly mechanism: string }
  | { readonly type: 'partial'; readonly mechanism: string; readonly rows: PartialRows }
  | {
      readonly type: 'done';
      /** The CLI's result files, byte for byte (summary.csv, summary.json, timeseries.csv, shares.csv, latency.csv). */
      readonly files: ReadonlyArray<readonly [string, string]>;
      /** Simulation time in the worker (parse to last row), ms. */
      readonly wallMs: number;
      readonly timing: ReadonlyArray<{ mechanism: string; events: number; wall_s: number }>;
    }
  | { readonly type: 'invalid'; readonly file: string; readonly issues: readonly ScenarioIssue[] }
  | { readonly type: 'error'; readonly message: string };
