// Enforces the dependency rule over every folder of src/ and test/ (issue 9):
// - each folder of src/ may import only the folders its rule lists (a folder without a rule fails);
// - the folder graph has no cycle (checked on the imports as written, not on the rules);
// - the allocation core (src/mechanisms) and the kernel (src/engine) import only themselves, their
//   tests included: they must run without the simulator, as a production coordinator's copy would;
// - compatibility re-exports of moved files (marked `@deprecated Moved to`) stay out of the graph,
//   and nothing in src/ may import them (they exist for code written against the old paths);
// - test/ may import any of src/ (and its own helpers), never dist/.
// Fails with the offending imports.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const repo = resolve(new URL('..', import.meta.url).pathname);
const src = join(repo, 'src');

/** Folder of src/ → the folders of src/ it may import (itself always). `.` = the files at src/'s root. */
const rules = {
  engine: [],
  mechanisms: [],
  metrics: [],
  'hardware-models': [],
  output: [],
  agents: ['mechanisms', 'engine'],
  scenario: ['mechanisms', 'agents', 'hardware-models', 'engine'],
  market: ['mechanisms', 'agents', 'hardware-models', 'metrics', 'engine', 'scenario'],
  comparison: ['market', 'mechanisms', 'agents', 'hardware-models', 'metrics', 'engine', 'scenario', 'output'],
  sweep: ['comparison', 'output', 'scenario', 'mechanisms', 'engine'],
  report: ['output', 'comparison'],
  // The browser explorer: the simulation and the charts, never the CLI's or the sweeps' Node code.
  web: ['comparison', 'report', 'output', 'scenario', 'market', 'mechanisms', 'agents', 'hardware-models', 'metrics', 'engine'],
  // The live coordinator runs the core and nothing of the simulator.
  service: ['mechanisms', 'scenario'],
  cli: [
    'comparison',
    'sweep',
    'report',
    'output',
    'scenario',
    'mechanisms',
    'agents',
    'hardware-models',
    'market',
    'engine',
    'metrics',
    'service',
  ],
  '.': ['*'],
};
/** Root files any folder may import. */
const shared = new Set(['version.ts']);
const strict = new Set(['engine', 'mechanisms']);

function files(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.(ts|mts|mjs|js)$/.test(p) && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const isShim = (text) => /@deprecated Moved to/.test(text);
const importsOf = (text) => [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g)].map((m) => m[1]);
/** The src/ folder of a path inside src/ ('.' for root files), or null outside src/. */
function folderOf(abs) {
  const rel = relative(src, abs);
  if (rel.startsWith('..')) return null;
  const parts = rel.split('/');
  return parts.length === 1 ? '.' : parts[0];
}
const toTs = (p) => p.replace(/\.js$/, '.ts');

const bad = [];
const shims = new Set();
const srcFiles = files(src);
const texts = new Map(srcFiles.map((f) => [f, readFileSync(f, 'utf8')]));
for (const [f, t] of texts) if (isShim(t)) shims.add(f);

const graph = new Map(); // folder → Map(target folder → first importing file)
for (const file of srcFiles) {
  if (shims.has(file)) continue;
  const from = folderOf(file);
  const rule = rules[from];
  if (!rule) {
    bad.push(`src/${from}: a folder without a dependency rule (add it to scripts/check-deps.mjs)`);
    continue;
  }
  const isTest = /\.test\.ts$/.test(file);
  for (const spec of importsOf(texts.get(file))) {
    const target = toTs(resolve(dirname(file), spec));
    const to = folderOf(target);
    const where = relative(repo, file);
    if (to === null) {
      bad.push(`${where} imports ${spec}: outside src/`);
      continue;
    }
    if (shims.has(target)) bad.push(`${where} imports ${spec}: a compatibility re-export; import ${relative(src, target)}'s new home`);
    if (to === from) continue;
    if (to === '.' && shared.has(relative(src, target))) continue;
    if (strict.has(from) || !(rule.includes('*') || rule.includes(to))) {
      bad.push(`${where} imports ${spec} (src/${from} may import only: ${[from, ...rule].join(', ')}${isTest ? '; its tests too' : ''})`);
    }
    if (to !== '.') {
      if (!graph.has(from)) graph.set(from, new Map());
      if (!graph.get(from).has(to)) graph.get(from).set(to, where);
    }
  }
}

// Cycles between folders (Tarjan-free: a DFS with colours, reporting each back edge's cycle).
const colour = new Map();
const stack = [];
function visit(n) {
  colour.set(n, 1);
  stack.push(n);
  for (const [m, where] of graph.get(n) ?? []) {
    if (colour.get(m) === 1) {
      const cycle = [...stack.slice(stack.indexOf(m)), m];
      bad.push(`folder cycle: ${cycle.join(' → ')} (closing import in ${where})`);
    } else if (!colour.has(m)) visit(m);
  }
  stack.pop();
  colour.set(n, 2);
}
for (const n of graph.keys()) if (!colour.has(n)) visit(n);

// test/: any of src/ and its own helpers, never the build output.
for (const file of files(join(repo, 'test'))) {
  for (const spec of importsOf(readFileSync(file, 'utf8'))) {
    const target = resolve(dirname(file), spec);
    const rel = relative(repo, target);
    if (!(rel.startsWith('src/') || rel.startsWith('test/')))
      bad.push(`${relative(repo, file)} imports ${spec}: tests import src/ (or test/), not ${rel.split('/')[0]}/`);
  }
}

if (bad.length) {
  console.error(`dependency rule broken:\n  ${bad.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `dependency rule: ok (${Object.keys(rules).filter((r) => r !== '.').length} folders of src/ and test/, no folder cycle; ${shims.size} compatibility re-exports kept out)`,
);
