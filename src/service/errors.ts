import type { ZodError } from 'zod';

/**
 * A refused request: an HTTP status and the field it is about. The body is
 * `{"error": "field: what was expected, got what", "field": ..., "message": ...}`, the same one-line
 * style as a scenario file's errors (`file: field.path: what was expected, got what`).
 */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }

  /** The JSON body of the refusal. */
  toJSON(): { error: string; field: string; message: string } {
    return { error: `${this.field}: ${this.message}`, field: this.field, message: this.message };
  }
}

/** Formats a path like ['capacity', 'gpus'] or ['items', 0] as `capacity.gpus` / `items[0]`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/** The first issue of a failed zod parse, as a 400 naming the field. */
export function fromZod(e: ZodError): RequestError {
  const i = e.issues[0]!;
  const field = fieldPath(i.path) || 'body';
  let message = i.message.replace(/^Invalid input: /, '').replace(', received ', ', got ');
  if (i.code === 'unrecognized_keys') message = `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}`;
  return new RequestError(400, field, message);
}
