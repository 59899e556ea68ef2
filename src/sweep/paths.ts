/**
 * Dot paths into a raw scenario object: `duration`, `requesters[0].redundancy`, `operators.1.entities`,
 * and `operators[home-prover].failure_prob` (a list entry selected by its `name`).
 */

/** One step of a path: a mapping key, a list index, or a list entry selected by name. */
export type PathStep = { key: string } | { index: number } | { name: string };

/** Keys that reach an object's prototype: a grid path through them would pollute every object. */
const FORBIDDEN: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Parses a dot path; throws an Error describing the problem. Refuses `__proto__`, `constructor`, `prototype`. */
export function parsePath(path: string): PathStep[] {
  const steps: PathStep[] = [];
  let i = 0;
  const n = path.length;
  if (n === 0) throw new Error('empty path');
  let expectKey = true;
  while (i < n) {
    const c = path[i]!;
    if (c === '[') {
      const end = path.indexOf(']', i);
      if (end < 0) throw new Error(`unclosed "[" in "${path}"`);
      const inner = path.slice(i + 1, end).trim();
      if (inner === '') throw new Error(`empty "[]" in "${path}"`);
      steps.push(/^\d+$/.test(inner) ? { index: Number(inner) } : { name: unquote(inner) });
      i = end + 1;
      expectKey = false;
      continue;
    }
    if (c === '.') {
      if (expectKey) throw new Error(`unexpected "." in "${path}"`);
      i++;
      expectKey = true;
      if (i >= n) throw new Error(`path "${path}" ends with "."`);
      continue;
    }
    if (!expectKey) throw new Error(`expected "." or "[" after "${path.slice(0, i)}" in "${path}"`);
    let j = i;
    while (j < n && path[j] !== '.' && path[j] !== '[') j++;
    const key = path.slice(i, j);
    if (key.includes(']')) throw new Error(`unexpected "]" in "${path}"`);
    if (FORBIDDEN.has(key)) throw new Error(`"${key}" is not allowed in a path (it would reach an object's prototype)`);
    steps.push(/^\d+$/.test(key) && steps.length > 0 ? { index: Number(key) } : { key });
    i = j;
    expectKey = false;
  }
  return steps;
}

function unquote(s: string): string {
  const m = /^(['"])(.*)\1$/.exec(s);
  return m ? m[2]! : s;
}

function describeStep(s: PathStep): string {
  if ('key' in s) return `.${s.key}`;
  if ('index' in s) return `[${s.index}]`;
  return `[${s.name}]`;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Sets `value` at `path` in `root` (mutates it). Missing mapping keys are created; list entries must
 * exist. Throws an Error saying where the path stops matching the object.
 */
export function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const steps = parsePath(path);
  let cur: unknown = root;
  let at = '';
  for (let k = 0; k < steps.length; k++) {
    const step = steps[k]!;
    const last = k === steps.length - 1;
    const where = at || 'the scenario';
    let next: unknown;
    if ('key' in step) {
      if (Array.isArray(cur) && /^\d+$/.test(step.key)) {
        steps[k] = { index: Number(step.key) };
        k--;
        continue;
      }
      if (!isMapping(cur)) throw new Error(`${where} is ${kind(cur)}, not a mapping: cannot set key "${step.key}"`);
      if (last) {
        cur[step.key] = value;
        return;
      }
      next = cur[step.key];
      if (!Object.hasOwn(cur, step.key)) next = undefined;
      if (next === undefined || next === null) {
        next = steps[k + 1] && 'key' in steps[k + 1]! ? {} : undefined;
        if (next === undefined)
          throw new Error(`${at ? `${at}.` : ''}${step.key} does not exist, so it has no entry ${describeStep(steps[k + 1]!)}`);
        cur[step.key] = next;
      }
    } else if ('index' in step) {
      if (!Array.isArray(cur)) throw new Error(`${where} is ${kind(cur)}, not a list: cannot take entry [${step.index}]`);
      if (step.index >= cur.length)
        throw new Error(`${where} has ${cur.length} entr${cur.length === 1 ? 'y' : 'ies'}, so there is no entry [${step.index}]`);
      if (last) {
        cur[step.index] = value;
        return;
      }
      next = cur[step.index];
    } else {
      if (!Array.isArray(cur)) throw new Error(`${where} is ${kind(cur)}, not a list: cannot select entry [${step.name}]`);
      const idx = cur.findIndex((e) => isMapping(e) && e.name === step.name);
      if (idx < 0) {
        const names = cur
          .filter(isMapping)
          .map((e) => e.name)
          .filter((x) => typeof x === 'string');
        throw new Error(`${where} has no entry named "${step.name}"${names.length ? ` (names: ${names.join(', ')})` : ''}`);
      }
      if (last) {
        cur[idx] = value;
        return;
      }
      next = cur[idx];
    }
    at += at === '' && 'key' in step ? step.key : describeStep(step);
    cur = next;
  }
}

function kind(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v} (${JSON.stringify(v)})`;
}
