import { describe, expect, it } from 'vitest';
import { createStrategy, strategyIds, strategyList, strategyParams } from '../src/agents/registry.js';
import { strategySpecs } from '../src/agents/strategy-specs.js';
import { mechanismParamEntries, resolveMechanismParams } from '../src/mechanisms/params-registry.js';
import { mechanismById, mechanisms } from '../src/mechanisms/registry.js';
import { formatEstimate } from '../src/scenario/estimate.js';
import { MECHANISM_PARAMS } from '../src/scenario/mechanism-params.js';
import { POOL } from './param-pool.js';

// `pmsim validate` checks mechanism parameters against the tables of scenario/mechanism-params.ts and
// the parameters-only registry, without building the mechanism (issue 10: a fast CLI). That is only
// sound if every value the tables accept is one the factory accepts too, under every preset.
describe('the parameters-only registry', () => {
  it('names the same mechanisms, descriptions, presets and parameters as the factory registry, in the same order', () => {
    const fromParams = mechanismParamEntries().map((e) => ({
      id: e.id,
      description: e.description,
      presets: e.presets,
      params: e.paramNames,
    }));
    const fromFactories = mechanisms().map((e) => ({ id: e.id, description: e.description, presets: e.presets, params: e.paramNames }));
    expect(fromParams).toEqual(fromFactories);
    expect(fromParams.length).toBeGreaterThanOrEqual(10);
  });

  it('resolves parameters exactly as each factory does (defaults, then preset, then the given values)', () => {
    for (const e of mechanismParamEntries()) {
      for (const preset of [undefined, ...e.presets]) {
        const given = preset ? { preset } : {};
        const { preset: _p, ...built } = mechanismById(e.id)!.create(given).params as Record<string, unknown>;
        expect(resolveMechanismParams(e.id, given), `${e.id} ${preset ?? '(no preset)'}`).toEqual(built);
      }
    }
    expect(() => resolveMechanismParams('race', { preset: 'nope' })).toThrow('unknown preset "nope" for mechanism race');
    expect(() => resolveMechanismParams('race', { nope: 1 })).toThrow('unknown parameter "nope" for mechanism race');
  });

  it("refuses, in every mechanism's factory, an unknown parameter and an unknown preset, naming them", () => {
    for (const e of mechanisms()) {
      expect(() => e.create({ nope: 1 }), e.id).toThrow(`unknown parameter "nope" for mechanism ${e.id}`);
      expect(() => e.create({ preset: 'nope' }), e.id).toThrow(`unknown preset "nope" for mechanism ${e.id}`);
    }
  });

  it('accepts no parameter value that the factory refuses: every value a table accepts builds the mechanism, under every preset', () => {
    let built = 0;
    for (const e of mechanismParamEntries()) {
      const table = MECHANISM_PARAMS[e.id]!;
      for (const [k, schema] of Object.entries(table)) {
        for (const v of POOL.filter((x) => schema(x) === undefined)) {
          for (const preset of [undefined, ...e.presets]) {
            const params = { [k]: v, ...(preset ? { preset } : {}) };
            expect(() => mechanismById(e.id)!.create(params), `${e.id} ${k}=${JSON.stringify(v)} ${preset ?? ''}`).not.toThrow();
            built++;
          }
        }
      }
    }
    expect(built).toBeGreaterThan(500);
  });
});

describe('the strategy specs', () => {
  it('are the strategy registry’s: the same ids, descriptions and parameters, and every id builds a strategy', () => {
    expect(strategyIds()).toEqual(Object.keys(strategySpecs));
    expect(strategyList().map((s) => s.description)).toEqual(Object.values(strategySpecs).map((s) => s.description));
    for (const id of strategyIds()) {
      expect(strategyParams(id)).toBe(strategySpecs[id]!.params);
      expect(createStrategy(id).type).toBe(id);
    }
    expect(strategyParams('constructor')).toBeUndefined();
  });
});

describe('the work estimate line', () => {
  it('groups whole numbers by thousands exactly as toLocaleString("en-US") does (without loading ICU)', () => {
    const ns = [0, 1, 9, 10, 999, 1000, 1001, 9999, 12_345, 100_000, 999_999, 7728, 240, 28, 54_321];
    for (const n of ns) {
      const line = formatEstimate({ jobs: n, mechanisms: 1, nodes: n, windows: n, events: n });
      const want = n.toLocaleString('en-US');
      expect(line).toBe(`${want} jobs x 1 mechanism, ${want} nodes, ${want} windows, ~${want} events`);
    }
    expect(formatEstimate({ jobs: 1_850_000, mechanisms: 6, nodes: 40, windows: 28, events: 2.5e9 })).toBe(
      '1.85M jobs x 6 mechanisms, 40 nodes, 28 windows, ~2.50G events',
    );
  });
});
