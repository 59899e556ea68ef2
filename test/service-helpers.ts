import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario } from '../src/comparison/run-scenario.js';
import { parseScenario } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/schema.js';
import { readRecord, RecordWriter, sectionRecorder, type RecordSection } from '../src/service/record.js';

/**
 * A generated scenario with every mechanism, ≥ 1,000 jobs, failures, redundancy, two job sizes,
 * and operators that join late (so records hold `join` inputs).
 */
export function replayScenario(): Scenario {
  return parseScenario(
    {
      name: 'service-replay',
      seed: 7,
      duration: '36h',
      window: '6h',
      mechanisms: [
        'random',
        { id: 'random', preset: 'zkcloud', label: 'zkcloud' },
        'race',
        'order-book',
        { id: 'reverse-dutch', preset: 'boundless' },
        { id: 'sealed-bid', preset: 'succinct' },
        { id: 'self-hosted', params: { nodes: 3, devices: 8 } },
      ],
      operators: [
        { name: 'farm', entities: 3, nodes: 2, devices: 8, hardware: 'gpu-rtx4090', margin: 0.3 },
        { name: 'home', entities: 10, nodes: 1, hardware: 'gpu-rtx4090', margin: 0.2, failure_prob: 0.05 },
        { name: 'late', entities: 3, nodes: 1, hardware: 'gpu-l4', ownership: 'rented', margin: 0.1, join_at: '12h' },
      ],
      requesters: [
        {
          name: 'apps',
          arrival: { dist: 'exponential', mean: '2m' },
          size_mcycles: { dist: 'lognormal', median: 400, sigma: 1 },
          deadline: '2h',
          max_price_usd_per_mcycle: 0.0006,
        },
        {
          name: 'batches',
          arrival: '30m',
          size_mcycles: { dist: 'normal', mean: 4000, sd: 800 },
          deadline: '1h',
          max_price_usd_per_mcycle: 0.0005,
          redundancy: 2,
          resources: { gpus: 8, memory_gb: 128 },
        },
      ],
    },
    'service-replay.yaml',
  );
}

/** Runs a scenario with `--record` semantics for one mechanism label; returns the record file and its section. */
export function recordRun(
  s: Scenario,
  label: string,
  dir = mkdtempSync(join(tmpdir(), 'pmsim-rec-')),
): { file: string; section: RecordSection } {
  const file = join(dir, `${label}.jsonl`);
  const w = new RecordWriter(file);
  runScenario(s, {
    mechanisms: [label],
    record: (ref, m) => sectionRecorder(w, { scenario: s.name, seed: s.seed, config: ref, params: m.params }),
  });
  w.commit();
  return { file, section: readRecord(file)[0]! };
}
