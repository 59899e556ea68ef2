import { parseDocument } from 'yaml';
import type { ScenarioIssue } from './errors.js';

/** Deepest nesting of mappings and lists a scenario or sweep file may have (real files use < 10). */
export const MAX_DEPTH = 64;
/** Most alias expansions in one file: enough for any hand-written reuse, far below a billion-laughs bomb. */
export const MAX_ALIAS_COUNT = 1000;
/** Keys that could reach an object's prototype: never data in a scenario or sweep file. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The outcome of parsing: the value, or the issues that make it unusable. */
export type YamlResult = { ok: true; value: unknown } | { ok: false; issues: ScenarioIssue[] };

/**
 * Parses YAML (or JSON) text into plain data, turning everything the parser refuses into issues:
 * syntax errors, unresolved aliases, alias bombs, nesting too deep for a stack. Then checks the
 * result's depth and keys (see {@link checkPlainData}).
 */
export function parseYamlText(text: string): YamlResult {
  let value: unknown;
  try {
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
      return {
        ok: false,
        issues: doc.errors.slice(0, 20).map((e) => ({
          path: '',
          message: `${e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}: ` : ''}${/call stack/i.test(e.message) ? `nesting too deep (at most ${MAX_DEPTH} levels)` : e.message.split('\n')[0]}`,
        })),
      };
    }
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    return { ok: false, issues: [{ path: '', message: parserFailure(e) }] };
  }
  const issues = checkPlainData(value);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value };
}

/** Why the YAML library threw: always something about the text, never a pmsim bug. */
function parserFailure(e: unknown): string {
  if (e instanceof RangeError && /call stack/i.test(e.message)) return `nesting too deep (at most ${MAX_DEPTH} levels)`;
  const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
  if (/Excessive alias count/.test(msg)) return `too many alias expansions (more than ${MAX_ALIAS_COUNT}: an alias bomb?)`;
  if (/Unresolved alias/.test(msg))
    return `${msg.replace(/^Unresolved alias \(the anchor must be set before the alias\): /, 'unresolved alias ')}: no anchor of that name before it`;
  return `cannot parse: ${msg}`;
}

/**
 * Walks parsed data without recursion and reports nesting deeper than {@link MAX_DEPTH} and keys
 * in {@link FORBIDDEN_KEYS} (with their field path), so that later recursive code (the schema,
 * structuredClone, JSON) never meets them.
 */
export function checkPlainData(root: unknown): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const stack: [unknown, string, number][] = [[root, '', 0]];
  while (stack.length > 0 && issues.length < 20) {
    const [v, path, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_DEPTH) {
      issues.push({ path, message: `nesting too deep (at most ${MAX_DEPTH} levels)` });
      continue;
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`, depth + 1]);
      continue;
    }
    for (const k of Object.keys(v)) {
      const at = path ? `${path}.${k}` : k;
      if (FORBIDDEN_KEYS.has(k)) {
        issues.push({ path: at, message: `"${k}" is not allowed as a key` });
        continue;
      }
      stack.push([(v as Record<string, unknown>)[k], at, depth + 1]);
    }
  }
  return issues;
}
