/** One problem in a scenario file: where (a field path like `requesters[0].arrival.mean`) and what. */
export interface ScenarioIssue {
  readonly path: string;
  readonly message: string;
}

/** A scenario file that cannot be used. The CLI prints {@link ScenarioError.format} and exits 2. */
export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly ScenarioIssue[],
  ) {
    super(`${file}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
    this.name = 'ScenarioError';
  }

  /** One line per issue: `file: path: message`. */
  format(): string {
    return this.issues.map((i) => `${this.file}: ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n');
  }
}

/** Formats a path like ['requesters', 0, 'arrival'] as `requesters[0].arrival`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}
