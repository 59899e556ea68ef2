/** Trace files in the browser: only those the user picked (or the bundle holds) can be read. */
import type { TraceReader } from '../scenario/parse.js';

/** Base name of a path as a scenario writes it (`data/trace.csv` → `trace.csv`). */
export function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/**
 * A reader over the given texts, keyed by the name the scenario gives (or its base name, since a
 * picked file has no directory). Any other trace is refused with a message saying what to do.
 */
export function traceReader(traces: Readonly<Record<string, string>>): TraceReader {
  return (file) => {
    const text = traces[file] ?? traces[baseName(file)];
    if (text === undefined)
      throw new Error(
        `the browser cannot read "${file}": pick the file with "Trace files…" (or give the values inline with values: [...])`,
      );
    return { name: file, text };
  };
}
