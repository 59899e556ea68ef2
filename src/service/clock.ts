/** How the coordinator tells time: `wall` in production, `manual` in replay and tests. */
export type ClockMode = 'wall' | 'manual';

/** The coordinator's clock, in seconds since the coordinator's genesis. */
export interface Clock {
  readonly mode: ClockMode;
  /** Wall clock: seconds since the epoch stored with the log. Manual clock: undefined (time moves only on request). */
  now(): number | undefined;
}

/** Wall time: seconds since `epochMs` (kept in the database, so a restart continues the same timeline). */
export function wallClock(epochMs: number, nowMs: () => number = Date.now): Clock {
  return { mode: 'wall', now: () => (nowMs() - epochMs) / 1000 };
}

/** Manual time: it advances only when a request says so (`POST /v1/clock`, or an input's `at`). */
export function manualClock(): Clock {
  return { mode: 'manual', now: () => undefined };
}
