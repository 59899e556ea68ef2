import { describe, expect, it } from 'vitest';
import { startService } from '../src/service/index.js';
import { replayRecord } from '../src/service/replay.js';
import { recordRun, replayScenario } from './service-helpers.js';

const scenario = replayScenario();
const labels = ['random', 'zkcloud', 'race', 'order-book', 'reverse-dutch:boundless', 'sealed-bid:succinct', 'self-hosted'];

describe('replay equivalence: a recorded simulation replayed into the coordinator', () => {
  for (const label of labels) {
    it(`${label}: the coordinator's decisions equal the simulation's, byte for byte, over ≥ 1,000 jobs`, async () => {
      const { section } = recordRun(scenario, label);
      const jobs = section.steps.filter((s) => s.input.type === 'submit').length;
      expect(jobs).toBeGreaterThanOrEqual(1000);
      const svc = await startService({ scenario, mechanism: label, db: ':memory:', clock: 'manual' });
      try {
        const r = await replayRecord(section, svc.url);
        expect(r.difference).toBeUndefined();
        expect(r.ok).toBe(true);
        expect(r.steps).toBe(section.steps.length);
        expect(r.decisions).toBe(section.steps.reduce((n, s) => n + s.decisions.length, 0));
        expect(svc.coordinator.ledger.reconcile().ok).toBe(true);
      } finally {
        await svc.close();
      }
    });
  }
});
