import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { ScenarioError } from './errors.js';
import { parseColumn, parseScenarioTextWith, parseScenarioWith, type TraceReader } from './parse.js';
import { readInputText } from './read-file.js';
import type { Scenario } from './schema.js';

/** How a scenario is loaded. */
export interface LoadOptions {
  /**
   * Let trace files (`dist: empirical`, `file:`) lie outside the scenario's folder. Off by default,
   * so that a scenario from elsewhere cannot make pmsim read (and quote) any file of the machine.
   */
  readonly allowOutsideTraces?: boolean;
}

/** Reads, parses and validates a scenario file (YAML or JSON). Throws {@link ScenarioError}. */
export function loadScenarioFile(file: string, opts: LoadOptions = {}): Scenario {
  let text: string;
  try {
    text = readInputText(file);
  } catch (e) {
    throw new ScenarioError(file, [{ path: '', message: (e as Error).message }]);
  }
  return parseScenarioText(text, file, opts);
}

/** Parses scenario text. `file` names it in errors and anchors relative paths (trace files). */
export function parseScenarioText(text: string, file = '<scenario>', opts: LoadOptions = {}): Scenario {
  return parseScenarioTextWith(text, file, traceReaderFor(file, opts));
}

/** Validates a plain object as a scenario, applies defaults and loads trace files. */
export function parseScenario(raw: unknown, file = '<scenario>', opts: LoadOptions = {}): Scenario {
  return parseScenarioWith(raw, file, traceReaderFor(file, opts));
}

/**
 * Trace files are read from disk, relative to the scenario file's folder, and (unless allowed)
 * only from inside it; errors name the file as the scenario wrote it.
 */
function traceReaderFor(file: string, opts: LoadOptions): TraceReader {
  const base = dirname(resolve(file));
  return (name) => {
    const abs = resolve(base, name);
    const rel = relative(base, abs);
    if (!opts.allowOutsideTraces && (rel === '..' || rel.startsWith('../') || rel.startsWith('..\\') || isAbsolute(rel))) {
      throw new Error(`expected a trace file inside the scenario's folder ${base}, got "${name}" (pass --allow-outside-traces to read it)`);
    }
    return { name, text: readTrace(abs, name) };
  };
}

function readTrace(path: string, shownAs: string): string {
  try {
    return readInputText(path);
  } catch (e) {
    throw new Error(`cannot read trace file ${shownAs}: ${(e as Error).message}`);
  }
}

/**
 * Reads one numeric column of a CSV file (by header name or index); a header row is skipped.
 * `shownAs` names the file in messages (default: its path).
 */
export function readColumn(path: string, column: string | number, shownAs = path): number[] {
  return parseColumn(readTrace(path, shownAs), shownAs, column);
}
