import { join } from 'node:path';
import type { RunResult } from './run-scenario.js';
import { VERSION } from '../version.js';
import { writeAtomic } from '../output/atomic.js';
import { runTableTexts } from './csv-text.js';

/** Names of the files {@link writeRunOutputs} writes. */
export const RUN_FILES = ['summary.csv', 'summary.json', 'timeseries.csv', 'shares.csv', 'latency.csv', 'run.json'] as const;

/** Extra facts for run.json. */
export interface RunMeta {
  readonly scenarioFile?: string;
  readonly command?: string;
  /** Warnings about the run's results (a protocol rule removed most honest supply, ...). */
  readonly warnings?: readonly string[];
}

/**
 * Writes a run's result files into `dir`, each atomically, run.json last. Everything is rendered in
 * memory first. The CLI writes into a staging directory that replaces `--out` as a whole
 * (output/run-dir.ts), so a reader never sees files of two runs.
 */
export function writeRunOutputs(result: RunResult, dir: string, meta: RunMeta = {}): string[] {
  const files: [string, string][] = [
    ...runTableTexts(result),
    [
      'run.json',
      `${JSON.stringify(
        {
          pmsim_version: VERSION,
          scenario_file: meta.scenarioFile ?? null,
          command: meta.command ?? null,
          seeds: [result.seed],
          scenario: result.scenario,
          timing: result.timing,
          warnings: meta.warnings ?? [],
          node: process.version,
        },
        null,
        2,
      )}\n`,
    ],
  ];
  const written: string[] = [];
  for (const [name, text] of files) {
    const p = join(dir, name);
    writeAtomic(p, text);
    written.push(p);
  }
  return written;
}
