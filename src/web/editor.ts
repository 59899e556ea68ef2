/**
 * Edits of the scenario's YAML document, kept apart from the page so they can be tested without a
 * browser. Edits happen in place on the `yaml` Document, so comments and layout elsewhere survive.
 */
import { isScalar, type Document } from 'yaml';
import { resolveMechanism } from '../comparison/run-scenario.js';
import type { MechanismRef } from '../scenario/schema.js';

/** A path into the scenario document: keys and list indices. */
export type Path = ReadonlyArray<string | number>;

/** The labels of the document's mechanism entries, in order, each once (what `--mechanism` names). */
export function mechanismLabels(doc: Document): string[] {
  let list: unknown;
  try {
    list = (doc.toJS() as { mechanisms?: unknown } | null)?.mechanisms;
  } catch {
    return []; // a document too broken to read: the parser's errors say why
  }
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const m of list) {
    if (typeof m !== 'string' && (m === null || typeof m !== 'object' || typeof (m as { id?: unknown }).id !== 'string')) continue;
    const l = resolveMechanism(typeof m === 'string' ? m : ({ params: {}, ...(m as object) } as MechanismRef)).label;
    if (!out.includes(l)) out.push(l);
  }
  return out;
}

function flowMap(doc: Document, value: object): unknown {
  const n = doc.createNode(value) as { flow?: boolean };
  n.flow = true;
  return n;
}

/**
 * Writes `value` at `path` (undefined removes the key). A bare mechanism id (`- random`) becomes a
 * flow mapping (`{ id: random, preset: … }`) when it gets a key; a new id replaces the entry, since
 * presets and parameters belong to one mechanism. Returns true when the form must be redrawn.
 */
export function editField(doc: Document, path: Path, value: unknown): boolean {
  if (path[0] === 'mechanisms' && typeof path[1] === 'number' && path.length >= 3) {
    const at = ['mechanisms', path[1]];
    const node = doc.getIn(at, true);
    if (path[2] === 'id') {
      if (isScalar(node)) node.value = value;
      else doc.setIn(at, flowMap(doc, { id: value }));
      return true;
    }
    if (isScalar(node)) doc.setIn(at, flowMap(doc, { id: node.value }));
  }
  if (value === undefined) doc.deleteIn(path);
  else doc.setIn(path, value);
  return false;
}

/** Appends `item` to the list at `path`, creating the list when there is none. */
export function appendTo(doc: Document, path: Path, item: unknown): void {
  const list = doc.getIn(path, true) as { items?: unknown[] } | undefined;
  if (list && Array.isArray(list.items)) list.items.push(doc.createNode(item));
  else doc.setIn(path, doc.createNode([item]));
}

/**
 * Where an issue at `path` (`requesters[0].arrival.file`) is shown: the field with that path, or
 * else its nearest ancestor among `fields` (`requesters[0].arrival`); undefined when none.
 */
export function fieldFor(fields: { has(path: string): boolean }, path: string): string | undefined {
  let p = path;
  while (p) {
    if (fields.has(p)) return p;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut > 0 ? p.slice(0, cut) : '';
  }
  return undefined;
}
