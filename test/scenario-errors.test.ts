import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { baseScenario } from './helpers.js';
import { pmsim } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'pmsim-bad-'));

function file(name: string, body: string | Record<string, unknown>): string {
  const p = join(dir, name);
  writeFileSync(p, typeof body === 'string' ? body : stringify(body));
  return p;
}

const req = (over: Record<string, unknown>) => [{ ...(baseScenario().requesters as Record<string, unknown>[])[0], ...over }];
const op = (over: Record<string, unknown>) => [{ ...(baseScenario().operators as Record<string, unknown>[])[0], ...over }];

/** [case, file contents, field path expected in the message, words expected in the message] */
const cases: [string, string | Record<string, unknown>, string, RegExp][] = [
  ['YAML syntax error', 'name: x\nseed: [1, 2\n', '', /line \d+/],
  ['not a mapping', '- just\n- a list\n', '', /expected a mapping/],
  [
    'missing name',
    (() => {
      const s = baseScenario();
      delete s.name;
      return s;
    })(),
    'name',
    /expected a scenario name/,
  ],
  ['bad duration', baseScenario({ duration: 'fortnight' }), 'duration', /duration like 90s/],
  ['window longer than duration', baseScenario({ window: '2d' }), 'window', /no longer than the duration/],
  ['unknown mechanism', baseScenario({ mechanisms: ['random', 'lottery'] }), 'mechanisms[1]', /unknown mechanism "lottery"/],
  ['unknown preset', baseScenario({ mechanisms: [{ id: 'random', preset: 'nope' }] }), 'mechanisms[0].preset', /unknown preset "nope"/],
  [
    'unknown mechanism parameter',
    baseScenario({ mechanisms: [{ id: 'random', params: { fallbackRnds: 2 } }] }),
    'mechanisms[0].params.fallbackRnds',
    /unknown parameter "fallbackRnds"/,
  ],
  ['unknown top-level key (typo)', { ...baseScenario(), mechanism: ['random'] }, '', /unknown key "mechanism"/],
  ['negative seed', baseScenario({ seed: -3 }), 'seed', /expected/],
  [
    'unknown hardware',
    baseScenario({ operators: op({ hardware: 'gpu-rtx9090' }) }),
    'operators[0].hardware',
    /unknown hardware "gpu-rtx9090"/,
  ],
  ['unknown strategy', baseScenario({ operators: op({ strategy: 'yolo' }) }), 'operators[0].strategy', /unknown strategy "yolo"/],
  ['failure probability above 1', baseScenario({ operators: op({ failure_prob: 1.5 }) }), 'operators[0].failure_prob', /share from 0 to 1/],
  ['redundancy 4', baseScenario({ requesters: req({ redundancy: 4 }) }), 'requesters[0].redundancy', /1, 2 or 3/],
  [
    'unknown distribution',
    baseScenario({ requesters: req({ size_mcycles: { dist: 'pareto', alpha: 2 } }) }),
    'requesters[0].size_mcycles.dist',
    /expected a distribution/,
  ],
  ['no price limit', baseScenario({ requesters: req({ max_price_usd_per_mcycle: undefined }) }), 'requesters[0]', /price limit/],
  [
    'missing trace file',
    baseScenario({ requesters: req({ arrival: { dist: 'empirical', file: 'nope.csv' } }) }),
    'requesters[0].arrival.file',
    /cannot read trace file/,
  ],
  ['empty mechanism list', baseScenario({ mechanisms: [] }), 'mechanisms', /at least one mechanism/],
];

describe('a broken scenario file gets a clear error', () => {
  it.each(cases)('%s: names the file and the field path, exits 2, prints no stack trace, writes nothing', (name, body, path, words) => {
    const f = file(`${name.replace(/\W+/g, '-')}.yaml`, body);
    const out = join(dir, `out-${name.replace(/\W+/g, '-')}`);
    const r = pmsim(['run', f, '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(f);
    if (path) expect(r.stderr).toContain(`${path}:`);
    expect(r.stderr).toMatch(words);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(out)).toBe(false);
    const v = pmsim(['validate', f]);
    expect(v.status).toBe(2);
  });

  it('a missing file is reported as such, with status 2', () => {
    const r = pmsim(['validate', join(dir, 'missing.yaml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/missing\.yaml: file not found/);
  });

  it('an unknown command or flag is a usage error with status 2', () => {
    expect(pmsim(['frobnicate']).status).toBe(2);
    expect(pmsim(['run', 'scenarios/default.yaml', '--sed', '3']).status).toBe(2);
  });
});
