import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Scenario } from '../scenario/schema.js';
import { manualClock, wallClock, type ClockMode } from './clock.js';
import { resolveConfig } from './core-adapter.js';
import { Coordinator, type VerifyHook } from './coordinator.js';
import { createHttpServer } from './http.js';
import { InputStore, type SyncMode } from './store.js';

export { Coordinator, type VerifyHook } from './coordinator.js';
export { newOperatorKey, type OperatorKey } from './auth.js';

/** Options of {@link startService}. */
export interface ServiceOptions {
  readonly scenario: Scenario;
  /** The label (or id) of one of the scenario's mechanisms. */
  readonly mechanism: string;
  /** Loopback by default. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** SQLite file, or `:memory:` (nothing survives the process). */
  readonly db: string;
  readonly clock?: ClockMode;
  readonly sync?: SyncMode;
  readonly verify?: VerifyHook;
  readonly maxBody?: number;
}

/** A running coordinator service. */
export interface RunningService {
  readonly url: string;
  readonly port: number;
  readonly coordinator: Coordinator;
  /** Entries replayed from the log at start. */
  readonly restored: number;
  close(): Promise<void>;
}

/** Thrown for a configuration the user can fix (unknown mechanism label, a log made for another configuration). */
export class ServiceConfigError extends Error {}

/**
 * Opens the log, rebuilds the state by replaying it, and listens. Resolves when `GET /health`
 * answers. The log remembers the configuration it was made for and refuses another one.
 */
export async function startService(o: ServiceOptions): Promise<RunningService> {
  const config = resolveConfig(o.scenario, o.mechanism);
  if (!config)
    throw new ServiceConfigError(
      `--mechanism: expected a label of the scenario's mechanisms (${o.scenario.mechanisms.map((m) => (typeof m === 'string' ? m : (m.label ?? m.id))).join(', ')}), got "${o.mechanism}"`,
    );
  const store = new InputStore(o.db, o.sync ?? 'full');
  const clockMode = o.clock ?? 'wall';
  const fingerprint = JSON.stringify({ scenario: o.scenario.name, config, clock: clockMode });
  const saved = store.meta('config');
  if (saved !== undefined && saved !== fingerprint) {
    store.close();
    throw new ServiceConfigError(`--db: expected a log made for ${fingerprint}, got one made for ${saved}`);
  }
  if (saved === undefined) {
    store.setMeta('config', fingerprint);
    store.setMeta('epoch_ms', String(Date.now()));
  }
  const clock = clockMode === 'wall' ? wallClock(Number(store.meta('epoch_ms'))) : manualClock();
  const coordinator = new Coordinator({ config, store, clock, beaconSeed: `${o.scenario.name}/${o.scenario.seed}`, verify: o.verify });
  const restored = coordinator.restore();
  const server: Server = createHttpServer({ coordinator, scenario: o.scenario.name, seed: o.scenario.seed, maxBody: o.maxBody });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = o.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    coordinator,
    restored,
    close: () =>
      new Promise<void>((resolve) => {
        coordinator.close();
        server.closeAllConnections();
        server.close(() => {
          store.close();
          resolve();
        });
      }),
  };
}
