/**
 * Builds the browser explorer (src/web) into dist/web: `npm run build:web`. Two aliases keep Node
 * out of the bundle: linkedom (the report's server-side DOM) becomes the page's real document, and
 * seedrandom becomes its Alea generator alone (the package's entry requires Node's `crypto` for
 * auto-seeding, which pmsim never uses); csv-stringify comes from its browser build. A small plugin writes the list of bundled modules to
 * dist/web/modules.json, which test/web-bundle.test.ts checks for Node built-ins.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

// Module ids of the page's and the worker's bundles (the worker is built during the page's build).
const bundled = new Set<string>();

function moduleList(write: boolean): Plugin {
  return {
    name: 'pmsim-module-list',
    generateBundle() {
      for (const id of this.getModuleIds()) bundled.add(id);
    },
    closeBundle() {
      if (!write) return;
      const root = here('.');
      const list = [...bundled].map((id) => id.replace(root, '')).sort();
      mkdirSync(here('dist/web'), { recursive: true });
      writeFileSync(here('dist/web/modules.json'), `${JSON.stringify(list, null, 1)}\n`);
    },
  };
}

export default defineConfig({
  root: here('src/web'),
  base: './',
  publicDir: false,
  logLevel: 'warn',
  resolve: {
    alias: [
      { find: /^linkedom$/, replacement: here('src/web/shims/linkedom.ts') },
      { find: /^seedrandom$/, replacement: here('src/web/shims/seedrandom.ts') },
      // csv-stringify's own browser build (the same code with a bundled Buffer): lib/ uses Node's global Buffer.
      { find: /^csv-stringify\/sync$/, replacement: here('node_modules/csv-stringify/dist/esm/sync.js') },
    ],
  },
  worker: { format: 'es', plugins: () => [moduleList(false)] },
  plugins: [moduleList(true)],
  build: {
    outDir: here('dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2000,
  },
});
