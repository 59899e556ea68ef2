import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ScenarioError } from './errors.js';
import { parseColumn, parseScenarioTextWith, parseScenarioWith, type TraceReader } from './parse.js';
import type { Scenario } from './schema.js';

/** Reads, parses and validates a scenario file (YAML or JSON). Throws {@link ScenarioError}. */
export function loadScenarioFile(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioError(file, [{ path: '', message: code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(e)})` }]);
  }
  return parseScenarioText(text, file);
}

/** Parses scenario text. `file` names it in errors and anchors relative paths (trace files). */
export function parseScenarioText(text: string, file = '<scenario>'): Scenario {
  return parseScenarioTextWith(text, file, traceReaderFor(file));
}

/** Validates a plain object as a scenario, applies defaults and loads trace files. */
export function parseScenario(raw: unknown, file = '<scenario>'): Scenario {
  return parseScenarioWith(raw, file, traceReaderFor(file));
}

/** Trace files are read from disk, relative to the scenario file's directory. */
function traceReaderFor(file: string): TraceReader {
  const base = dirname(resolve(file));
  return (name) => {
    const path = resolve(base, name);
    return { name: path, text: readText(path) };
  };
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new Error(`cannot read trace file ${path}`);
  }
}

/** Reads one numeric column of a CSV file (by header name or index); a header row is skipped. */
export function readColumn(path: string, column: string | number): number[] {
  return parseColumn(readText(path), path, column);
}
