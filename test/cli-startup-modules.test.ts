import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from './cli.js';

const LOADER = `${ROOT}test/fixtures/startup/list-modules.mjs`;

/** What `pmsim ARGS` loads: the files under dist/ (relative to it) and the files of packages under node_modules/. */
function filesLoadedBy(args: string[]): { dist: string[]; packages: string[] } {
  const r = spawnSync(process.execPath, ['--no-warnings', '--experimental-loader', LOADER, BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status).toBe(0);
  const urls = [...new Set(r.stderr.split('\n').filter((l) => l.startsWith('MODULE file:')))];
  return {
    dist: urls.filter((l) => l.includes('/dist/')).map((l) => l.slice(l.indexOf('/dist/') + 6)),
    packages: urls.filter((l) => l.includes('/node_modules/')).map((l) => l.slice(l.lastIndexOf('/node_modules/') + 14)),
  };
}

/**
 * The CLI is a bundle (scripts/bundle-cli.mjs): dist/cli/main.js and lazy chunks under
 * dist/cli/chunks/, and modules.json says which of tsc's modules (relative to dist/) and which
 * packages (`package:NAME`) each file holds. This maps the files a command loads to those modules.
 */
function modulesLoadedBy(args: string[]): { modules: string[]; files: string[]; packageFiles: string[] } {
  const inFile = JSON.parse(readFileSync(`${ROOT}dist/cli/chunks/modules.json`, 'utf8')) as Record<string, string[]>;
  const { dist, packages } = filesLoadedBy(args);
  const modules = dist.flatMap((f) => inFile[f] ?? [f]);
  return { modules: [...new Set(modules)], files: dist, packageFiles: packages };
}

// Issue 10: each command loads its modules lazily, so `pmsim --help` stays fast (bench/cli-startup.mjs
// prints its CPU). A command module that imports the scenario loader, a mechanism or the report at its
// top puts them on every command's path: this names the module instead of a slower number.
describe('pmsim --help', () => {
  it('loads the command modules only: no mechanism, scenario schema, report, sweep or service module', () => {
    const { modules } = modulesLoadedBy(['--help']);
    expect(modules).toContain('cli/main.js');
    expect(modules).toContain('package:yargs');
    expect(
      modules.filter(
        (m) =>
          /^(mechanisms|scenario\/schema|scenario\/load|report|sweep\/run|service|market)\//.test(m) ||
          /^(scenario\/(schema|load)|sweep\/run)\.js$/.test(m) ||
          m === 'package:zod' ||
          m === 'package:yaml',
      ),
    ).toEqual([]);
  });

  it('is one file: the bundle inlines yargs and its helpers, so no package file is loaded', () => {
    const { files, packageFiles } = modulesLoadedBy(['--help']);
    expect(files).toEqual(['cli/main.js']);
    expect(packageFiles).toEqual([]);
  });
});

// `pmsim validate` reads the parameters-only registries (mechanisms/params-registry.ts,
// agents/strategy-specs.ts): checking a scenario must not build a mechanism, a strategy or a market.
describe('pmsim validate', () => {
  it('loads the scenario loader and parameter tables only: no mechanism factory, strategy, market, engine, report, sweep or service module', () => {
    const { modules } = modulesLoadedBy(['validate', 'scenarios/default.yaml']);
    expect(modules).toContain('scenario/load.js');
    expect(modules).toContain('mechanisms/params-registry.js');
    expect(
      modules.filter(
        (m) =>
          /^mechanisms\/(registry|index)\.js$/.test(m) ||
          /^mechanisms\/[^/]+\/(?!params\.js$)/.test(m) ||
          /^(agents\/(registry|strategies\/)|engine|market|report|sweep|service|comparison|metrics|output)/.test(m),
      ),
    ).toEqual([]);
  });

  // Node 20 reads, parses and links ES modules one file at a time: unbundled, validate loaded about
  // 190 (yargs 46 files, zod 95, pmsim's own 47) and yaml's 74 CommonJS files.
  it('loads a dozen bundled files and no package file: yargs, zod and yaml are inlined', () => {
    const { modules, files, packageFiles } = modulesLoadedBy(['validate', 'scenarios/default.yaml']);
    expect(modules).toEqual(expect.arrayContaining(['package:yargs', 'package:zod', 'package:yaml']));
    expect(files.every((f) => f === 'cli/main.js' || f.startsWith('cli/chunks/'))).toBe(true);
    expect(files.length).toBeLessThanOrEqual(15);
    expect(packageFiles).toEqual([]);
  });
});
