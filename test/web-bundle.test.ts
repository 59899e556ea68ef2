/**
 * The explorer's bundle (dist/web, built by `npm run build:web` or the test setup) runs the
 * simulator in a browser: no module of the page's or the worker's bundle is a Node built-in, the
 * simulation path really is in the worker, and no chunk imports or requires a built-in.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cli.js';

const WEB = join(ROOT, 'dist/web');
const BUILD_ERROR = join(ROOT, 'dist/web-build-error.txt');
if (existsSync(BUILD_ERROR)) throw new Error(`the explorer's bundle did not build:\n${readFileSync(BUILD_ERROR, 'utf8')}`);
const modules = JSON.parse(readFileSync(join(WEB, 'modules.json'), 'utf8')) as string[];
const chunks = readdirSync(join(WEB, 'assets')).filter((f) => f.endsWith('.js'));
const BUILTIN = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Why a module id is a Node built-in (or the bundler's stub for one), or null. */
function builtin(id: string): string | null {
  const bare = id.replace(/^\0/, '').replace(/\?.*$/, '');
  if (bare.startsWith('node:')) return 'node: scheme';
  if (bare.includes('vite-browser-external')) return "the bundler's stub for a Node built-in";
  if (BUILTIN.has(bare)) return 'a Node built-in';
  return null;
}

describe('the browser bundle', () => {
  it('lists its modules, the simulation path among them', () => {
    for (const dir of [
      'src/engine/',
      'src/market/',
      'src/mechanisms/',
      'src/agents/',
      'src/scenario/',
      'src/output/',
      'src/comparison/',
      'src/report/charts/',
    ]) {
      expect(
        modules.some((m) => m.startsWith(dir)),
        `${dir} is bundled`,
      ).toBe(true);
    }
    expect(modules).toContain('src/web/worker.ts');
    expect(modules).toContain('src/scenario/parse.ts');
    expect(modules).toContain('src/comparison/csv-text.ts');
  });

  it('holds no Node built-in (fs, path, worker_threads, crypto, node:*) nor a stub for one', () => {
    expect(modules.map((m) => [m, builtin(m)]).filter(([, why]) => why !== null)).toEqual([]);
    // The modules that import node: in the CLI stay out of the bundle.
    for (const m of [
      'src/scenario/load.ts',
      'src/comparison/write-run.ts',
      'src/comparison/jobs-file.ts',
      'src/output/atomic.ts',
      'src/version.ts',
      'src/report/load.ts',
      'src/report/meta.ts',
    ]) {
      expect(modules, m).not.toContain(m);
    }
    expect(modules.some((m) => m.includes('node_modules/linkedom/'))).toBe(false);
  });

  it('has no chunk that imports or requires a Node built-in', () => {
    expect(chunks.length).toBeGreaterThanOrEqual(2); // the page and the worker
    const names = [...BUILTIN].filter((m) => !m.startsWith('_')).map((m) => m.replace(/[/\\^$*+?.()|[\]{}]/g, '\\$&'));
    const re = new RegExp(`(?:\\bfrom\\s*|\\bimport\\s*\\(?\\s*|\\brequire\\s*\\(\\s*)["'\`](?:${names.join('|')})["'\`]`);
    for (const c of chunks) {
      const text = readFileSync(join(WEB, 'assets', c), 'utf8');
      expect(re.exec(text)?.[0] ?? null, c).toBeNull();
      expect(text.includes('process.hrtime'), `${c} uses process.hrtime`).toBe(false);
    }
  });
});
