// Enforces the dependency rule: the engine imports nothing from the markets code, and the
// allocation core (src/mechanisms) imports only itself. Fails CI with the offending imports.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname, 'src');
const rules = [
  { dir: 'engine', may: ['engine'] },
  { dir: 'mechanisms', may: ['mechanisms'] },
  { dir: 'metrics', may: ['metrics'] },
  { dir: 'hardware-models', may: ['hardware-models'] },
  { dir: 'agents', may: ['agents', 'mechanisms', 'engine'] },
  { dir: 'scenario', may: ['scenario', 'mechanisms', 'agents', 'hardware-models', 'engine'] },
  { dir: 'market', may: ['market', 'mechanisms', 'agents', 'hardware-models', 'metrics', 'engine', 'scenario', 'output'] },
  // The live coordinator runs the core and nothing of the simulator.
  { dir: 'service', may: ['service', 'mechanisms', 'scenario'] },
];

// Tests beside the allocation core and the kernel are held to the same rule: they must run without
// the simulator, as a production coordinator's copy of the core would.
const strict = new Set(['engine', 'mechanisms']);

function files(dir, withTests) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p, withTests));
    else if (p.endsWith('.ts') && (withTests || !p.endsWith('.test.ts'))) out.push(p);
  }
  return out;
}

const bad = [];
for (const rule of rules) {
  for (const file of files(join(root, rule.dir), strict.has(rule.dir))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g)) {
      const target = relative(root, resolve(dirname(file), m[1]));
      const top = target.split('/')[0];
      const isSrcFile = !target.startsWith('..') && (top.endsWith('.js') || top.endsWith('.ts'));
      if (isSrcFile) { if (!['version.js', 'version.ts'].includes(top)) bad.push(`${relative(root, file)} imports ${m[1]}`); continue; }
      if (!rule.may.includes(top)) bad.push(`${relative(root, file)} imports ${m[1]} (src/${rule.dir} may import only: ${rule.may.join(', ')})`);
    }
  }
}
if (bad.length) {
  console.error(`dependency rule broken:\n  ${bad.join('\n  ')}`);
  process.exit(1);
}
console.log(`dependency rule: ok (${rules.map((r) => r.dir).join(', ')})`);
