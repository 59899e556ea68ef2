import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../src/cli/commands/schema.js';
import { loadScenarioFile } from '../src/scenario/load.js';
import { ROOT } from './cli.js';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === 'sweeps' ? [] : yamlFiles(p);
    return /\.(ya?ml|json)$/.test(n) ? [p] : [];
  });
}

describe('shipped scenario files', () => {
  const files = yamlFiles(join(ROOT, 'scenarios'));
  it('there is at least the default scenario', () => {
    expect(files.map((f) => relative(ROOT, f))).toContain('scenarios/default.yaml');
  });
  it.each(files.map((f) => [relative(ROOT, f), f]))('%s is valid and commented', (_, f) => {
    expect(() => loadScenarioFile(f)).not.toThrow();
    expect(readFileSync(f, 'utf8')).toMatch(/^\s*#/m);
  });
});

describe('the JSON Schema for editors', () => {
  it('schema/scenario.schema.json is up to date with the zod schema (regenerate: npm run schema)', () => {
    const committed = JSON.parse(readFileSync(join(ROOT, 'schema/scenario.schema.json'), 'utf8'));
    expect(committed).toEqual(scenarioJsonSchema());
  });
  it('names every fixed top-level key', () => {
    const props = Object.keys((scenarioJsonSchema() as { properties: object }).properties);
    for (const k of ['name', 'seed', 'duration', 'window', 'mechanisms', 'operators', 'requesters']) expect(props).toContain(k);
  });
});
