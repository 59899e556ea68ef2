import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from './cli.js';

const LOADER = `${ROOT}test/fixtures/startup/list-modules.mjs`;

/** The project modules (under dist/) that `pmsim ARGS` loads, relative to dist/. */
function modulesLoadedBy(args: string[]): string[] {
  const r = spawnSync(process.execPath, ['--no-warnings', '--experimental-loader', LOADER, BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status).toBe(0);
  const mods = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('MODULE file:') && l.includes('/dist/'))
    .map((l) => l.slice(l.indexOf('/dist/') + 6));
  return [...new Set(mods)];
}

// Issue 10: each command loads its modules lazily, so `pmsim --help` stays fast (bench/cli-startup.mjs
// prints its CPU). A command module that imports the scenario loader, a mechanism or the report at its
// top puts them on every command's path: this names the module instead of a slower number.
describe('pmsim --help', () => {
  it('loads the command modules only: no mechanism, scenario schema, report, sweep or service module', () => {
    const mods = modulesLoadedBy(['--help']);
    expect(mods).toContain('cli/main.js');
    expect(
      mods.filter(
        (m) =>
          /^(mechanisms|scenario\/schema|scenario\/load|report|sweep\/run|service|market)\//.test(m) ||
          /^(scenario\/(schema|load)|sweep\/run)\.js$/.test(m),
      ),
    ).toEqual([]);
  });
});

// `pmsim validate` reads the parameters-only registries (mechanisms/params-registry.ts,
// agents/strategy-specs.ts): checking a scenario must not build a mechanism, a strategy or a market.
describe('pmsim validate', () => {
  it('loads the scenario loader and parameter tables only: no mechanism factory, strategy, market, engine, report, sweep or service module', () => {
    const mods = modulesLoadedBy(['validate', 'scenarios/default.yaml']);
    expect(mods).toContain('scenario/load.js');
    expect(mods).toContain('mechanisms/params-registry.js');
    expect(
      mods.filter(
        (m) =>
          /^mechanisms\/(registry|index)\.js$/.test(m) ||
          /^mechanisms\/[^/]+\/(?!params\.js$)/.test(m) ||
          /^(agents\/(registry|strategies\/)|engine|market|report|sweep|service|comparison|metrics|output)/.test(m),
      ),
    ).toEqual([]);
  });
});
