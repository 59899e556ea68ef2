// Bundles the `pmsim` command line after tsc (issue 10: `pmsim --help` and `pmsim validate` under
// 0.3 s of CPU). Node 20 loads ES modules one file at a time, and `validate` loaded about 190 of
// them (yargs 46 with its helpers, zod 95, pmsim's own 47) plus yaml's 74 CommonJS files: each costs
// a read, a parse and a link. Here rolldown (vite's bundler) rewrites tsc's `dist/cli/main.js` into
// one entry file and lazy chunks under `dist/cli/chunks/` (each command's `await import(...)` stays a
// chunk), so `validate` loads about a dozen files. Only the CLI changes: the rest of `dist/` is tsc's
// output as before, and `pmsim` / `pmsim/core` import it (the library is not bundled).
//
// What is inlined: pmsim's modules, and yargs, zod and yaml with the packages they import. Every
// other package (native ones, d3, piscina, ...) stays an import of node_modules.
//
// `import.meta.url` is the one thing a bundle moves: a module that finds files next to itself would
// look beside the chunk instead. So each inlined module that reads it gets the URL of its original
// file back: pmsim's modules relative to the chunk (dist/ keeps its layout), yargs' shim through
// `import.meta.resolve('yargs')` (it finds its locale files, `LANG=de_DE pmsim --help`, by that URL).
// yargs-parser's `createRequire(import.meta.url)` serves `.config()` files only, which pmsim does not use.
//
// Writes `dist/cli/chunks/modules.json` (each output file → the modules in it) for
// test/cli-startup-modules.test.ts. Runs from scripts/postbuild.mjs; `npm run build` runs tsc first.
// tsc alone rewrites dist/cli/main.js as its own, unbundled entry, which works as before (slower);
// `tsc --watch` re-emits only the files that changed, so rebuild with `npm run build` before using the CLI.
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

/** The first line after the shebang of a bundled entry: the mark that tsc's output was already replaced. */
export const BUNDLE_MARK = '// pmsim CLI bundle (scripts/bundle-cli.mjs)';
/** The packages inlined with whatever they import; every other package stays external. */
const INLINED = new Set(['yargs', 'zod', 'yaml']);

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const entry = join(dist, 'cli', 'main.js');
const outDir = join(dist, 'cli');
const chunksDir = join(outDir, 'chunks');
const ownDeps = new Set(Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies ?? {}));
const builtins = new Set(builtinModules);

/** `zod/v4/core` → `zod`, `@scope/x/y` → `@scope/x`. */
const packageOf = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** The package a resolved file belongs to (its last node_modules segment), or undefined for pmsim's own. */
function packageOfFile(file) {
  const at = file.lastIndexOf(`${sep}node_modules${sep}`);
  return at < 0
    ? undefined
    : packageOf(
        file
          .slice(at + 14)
          .split(sep)
          .join('/'),
      );
}

/** Bare imports stay external unless they are an inlined package, or imported from inside one. */
function isExternal(specifier, importer) {
  if (specifier.startsWith('node:') || builtins.has(specifier)) return true;
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('\0')) return false;
  if (INLINED.has(packageOf(specifier))) return false;
  return importer === undefined || packageOfFile(importer) === undefined;
}

const PLACEHOLDER = '__pmsim_original_file__:';

/**
 * Gives each inlined module that reads `import.meta.url` its original file's URL. pmsim's modules: a
 * placeholder, made relative to the chunk in `renderChunk` (a module's chunk is known only then).
 * A package pmsim depends on: resolved at run time from the package's entry, as its import would be.
 */
const originalUrls = {
  name: 'pmsim-original-import-meta-url',
  transform(code, id) {
    if (id.startsWith('\0') || !code.includes('import.meta.url')) return null; // \0: rolldown's own runtime
    const pkg = packageOfFile(id);
    let url;
    if (pkg === undefined) url = `new URL(${JSON.stringify(PLACEHOLDER + relative(dist, id).split(sep).join('/'))}, import.meta.url).href`;
    else if (ownDeps.has(pkg)) {
      const pkgEntry = fileURLToPath(import.meta.resolve(pkg));
      const rel = relative(dirname(pkgEntry), id).split(sep).join('/');
      url = `new URL(${JSON.stringify(rel)}, import.meta.resolve(${JSON.stringify(pkg)})).href`;
    } else return null;
    return { code: code.replaceAll('import.meta.url', url), map: null };
  },
  renderChunk(code, chunk) {
    const from = posix.dirname(`cli/${chunk.fileName}`);
    const fixed = code.replace(new RegExp(`(["'])${PLACEHOLDER}([^"']+)\\1`, 'g'), (_, q, file) => {
      const rel = posix.relative(from, file);
      return `${q}${rel.startsWith('.') ? rel : `./${rel}`}${q}`;
    });
    return fixed === code ? null : { code: fixed, map: null };
  },
};

/** `dist/cli/chunks/x.js` → the modules in it, as `dist/`-relative paths or package names. */
function manifest(output) {
  const byFile = {};
  for (const o of output) {
    if (o.type !== 'chunk') continue;
    const mods = new Set();
    for (const id of Object.keys(o.modules)) {
      const pkg = packageOfFile(id);
      if (pkg !== undefined) mods.add(`package:${pkg}`);
      else if (id.startsWith(dist)) mods.add(relative(dist, id).split(sep).join('/'));
    }
    byFile[`cli/${o.fileName}`] = [...mods].sort();
  }
  return byFile;
}

/** Replaces tsc's dist/cli/main.js by the bundle and its chunks. */
export async function bundleCli() {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run tsc first (npm run build)`);
  const first = readFileSync(entry, 'utf8').split('\n', 2)[1];
  if (first === BUNDLE_MARK) {
    console.log('bundle-cli: dist/cli/main.js is already the bundle (run tsc to rebuild it: npm run build)');
    return;
  }
  const bundle = await rolldown({ input: entry, platform: 'node', external: isExternal, plugins: [originalUrls], logLevel: 'warn' });
  rmSync(chunksDir, { recursive: true, force: true });
  const { output } = await bundle.write({
    dir: outDir,
    format: 'esm',
    entryFileNames: 'main.js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    postBanner: BUNDLE_MARK,
  });
  await bundle.close();
  const unresolved = output.filter((o) => o.type === 'chunk' && o.code.includes(PLACEHOLDER)).map((o) => o.fileName);
  if (unresolved.length > 0) throw new Error(`bundle-cli: import.meta.url left unresolved in ${unresolved.join(', ')}`);
  rmSync(`${entry}.map`, { force: true }); // tsc's map describes the file the bundle replaced
  writeFileSync(join(chunksDir, 'modules.json'), `${JSON.stringify(manifest(output), null, 1)}\n`);
  chmodSync(entry, 0o755);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleCli();
