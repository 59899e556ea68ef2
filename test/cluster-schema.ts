/**
 * A small JSON Schema checker for the cluster manifests' schemas (test/fixtures/cluster/*.schema.json):
 * type, const, enum, properties, required, additionalProperties (false or a schema), items,
 * minItems/maxItems, minimum/maximum, pattern and local $ref. Enough for the fields pmsim emits; no
 * dependency.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';

/** A schema node (the subset above). */
export interface Schema {
  $ref?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  $defs?: Record<string, Schema>;
}

/** Loads test/fixtures/cluster/<name>.schema.json. */
export function loadSchema(name: string): Schema {
  return JSON.parse(readFileSync(join(ROOT, 'test/fixtures/cluster', `${name}.schema.json`), 'utf8')) as Schema;
}

function typeOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Errors of `value` against `root.$defs[def]`, as `path: what` lines (empty: valid). */
export function validate(root: Schema, def: string, value: unknown): string[] {
  const errors: string[] = [];
  const walk = (s: Schema, v: unknown, path: string): void => {
    if (s.$ref) {
      const name = /^#\/\$defs\/(.+)$/.exec(s.$ref)?.[1];
      const target = name ? root.$defs?.[name] : undefined;
      if (!target) throw new Error(`unknown $ref ${s.$ref}`);
      return walk(target, v, path);
    }
    const t = typeOf(v);
    if (s.type && !(t === s.type || (s.type === 'number' && t === 'integer'))) {
      errors.push(`${path}: expected ${s.type}, got ${t} (${JSON.stringify(v)})`);
      return;
    }
    if ('const' in s && v !== s.const) errors.push(`${path}: expected ${JSON.stringify(s.const)}, got ${JSON.stringify(v)}`);
    if (s.enum && !s.enum.includes(v)) errors.push(`${path}: expected one of ${s.enum.join(', ')}, got ${JSON.stringify(v)}`);
    if (typeof v === 'string' && s.pattern && !new RegExp(s.pattern).test(v)) errors.push(`${path}: "${v}" does not match ${s.pattern}`);
    if (typeof v === 'number') {
      if (s.minimum !== undefined && v < s.minimum) errors.push(`${path}: ${v} < minimum ${s.minimum}`);
      if (s.maximum !== undefined && v > s.maximum) errors.push(`${path}: ${v} > maximum ${s.maximum}`);
    }
    if (Array.isArray(v)) {
      if (s.minItems !== undefined && v.length < s.minItems) errors.push(`${path}: fewer than ${s.minItems} items`);
      if (s.maxItems !== undefined && v.length > s.maxItems) errors.push(`${path}: more than ${s.maxItems} items`);
      if (s.items) v.forEach((x, i) => walk(s.items!, x, `${path}[${i}]`));
    }
    if (t === 'object' && (s.properties || s.required || s.additionalProperties !== undefined)) {
      const o = v as Record<string, unknown>;
      for (const k of s.required ?? []) if (!(k in o)) errors.push(`${path}: missing required field ${k}`);
      for (const [k, x] of Object.entries(o)) {
        const p = s.properties?.[k];
        if (p) walk(p, x, `${path}.${k}`);
        else if (s.additionalProperties === false) errors.push(`${path}: unknown field ${k}`);
        else if (typeof s.additionalProperties === 'object') walk(s.additionalProperties, x, `${path}.${k}`);
      }
    }
  };
  const top = root.$defs?.[def];
  if (!top) throw new Error(`no $defs.${def} in schema`);
  walk(top, value, def);
  return errors;
}
