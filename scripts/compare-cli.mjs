// Compares this checkout's built CLI with another build (e.g. main's) on what users see: `pmsim
// validate` on every scenario, sweep and test fixture file and on a set of bad files written here
// (unknown and out-of-range parameters, bad YAML and JSON, unknown hardware, presets and strategies,
// ...), and the help, version, list, schema and usage-error output, in English and in German. Each case
// must give the same stdout, stderr and exit status in both builds.
//   node scripts/compare-cli.mjs OTHER_DIR [--show]   (both built: npm run build; --show prints each
//   case's exit status and first line of output)
// Prints the number of cases and each difference; exits 1 if any.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const show = process.argv.includes('--show');
const other = process.argv.slice(2).find((a) => a !== '--show');
if (!other) {
  console.error('usage: node scripts/compare-cli.mjs OTHER_DIR');
  process.exit(2);
}
const bins = [join(root, 'dist/cli/main.js'), join(resolve(other), 'dist/cli/main.js')];

/** Every .yaml, .yml and .json file under `dir`, relative to the checkout. */
function inputFiles(dir) {
  const out = [];
  for (const name of readdirSync(join(root, dir))) {
    const rel = `${dir}/${name}`;
    if (statSync(join(root, rel)).isDirectory()) out.push(...inputFiles(rel));
    else if (/\.(ya?ml|json)$/.test(name)) out.push(rel);
  }
  return out.sort();
}

/** Bad variants of the default scenario: each edit is one mistake a user makes. */
function badFiles(dir) {
  const base = readFileSync(join(root, 'scenarios/default.yaml'), 'utf8').replace('$schema: ../schema/scenario.schema.json\n', '');
  const edits = {
    'unknown-key': (s) => s.replace('seed: 42', 'seed: 42\nseeed: 1'),
    'unknown-mechanism': (s) => s.replace('  - race ', '  - racing '),
    'unknown-mech-param': (s) => s.replace('params: { nodes: 4, devices: 8 }', 'params: { nodes: 4, devices: 8, gpus: 2 }'),
    'out-of-range-mech-param': (s) => s.replace('params: { nodes: 4, devices: 8 }', 'params: { nodes: -4, devices: 8 }'),
    'wrong-type-mech-param': (s) => s.replace('params: { nodes: 4, devices: 8 }', "params: { nodes: 'four', devices: 8 }"),
    'unknown-preset': (s) => s.replace('preset: boundless', 'preset: boundles'),
    'unknown-hardware': (s) => s.replace('hardware: gpu-l4', 'hardware: gpu-l5'),
    'unknown-strategy': (s) => s.replace('strategy: no-regret', 'strategy: no-regrets'),
    'bad-duration': (s) => s.replace('duration: 7d', 'duration: 7 days'),
    'zero-duration': (s) => s.replace('duration: 7d', 'duration: 0s'),
    'negative-entities': (s) => s.replace('entities: 14', 'entities: -14'),
    'fractional-nodes': (s) => s.replace('nodes: 3', 'nodes: 2.5'),
    'bad-dist': (s) => s.replace('dist: lognormal', 'dist: lognormall'),
    'missing-sigma': (s) => s.replace(', sigma: 1 }', ' }'),
    'bad-probability': (s) => s.replace('failure_prob: 0.03', 'failure_prob: 1.5'),
    'seed-string': (s) => s.replace('seed: 42', 'seed: forty-two'),
    'no-operators': (s) => s.slice(0, s.indexOf('operators:')) + s.slice(s.indexOf('requesters:')),
    'no-mechanisms': (s) => s.replace(/mechanisms:\n( {2}- .*\n)+/, 'mechanisms: []\n'),
    'yaml-unclosed-flow': (s) => s.replace('{ nodes: 4, devices: 8 }', '{ nodes: 4, devices: 8'),
    'yaml-bad-indent': (s) => s.replace('    entities: 4\n', '      entities: 4\n'),
    'yaml-tab': (s) => s.replace('    entities: 4\n', '\tentities: 4\n'),
    'yaml-duplicate-key': (s) => s.replace('seed: 42', 'seed: 42\nseed: 43'),
    'yaml-not-a-map': () => '- just\n- a list\n',
    empty: () => '',
    'strategy-param-unknown': (s) => s.replace('strategy: no-regret', 'strategy: no-regret\n    params: { speed: 2 }'),
    'strategy-param-range': (s) => s.replace('strategy: no-regret', 'strategy: no-regret\n    params: { gamma: 3 }'),
    'trace-outside': (s) =>
      s.replace(
        'arrival: 10m',
        `arrival: { dist: empirical, file: ${join(root, 'scenarios/demand/trace.csv')}, column: submitted_s, mode: timestamps }`,
      ),
    'trace-missing': (s) =>
      s.replace('arrival: 10m', 'arrival: { dist: empirical, file: no-such-trace.csv, column: submitted_s, mode: timestamps }'),
  };
  const files = [];
  for (const [name, edit] of Object.entries(edits)) {
    const f = join(dir, `${name}.yaml`);
    writeFileSync(f, edit(base));
    files.push(f);
  }
  const json = join(dir, 'bad-syntax.json');
  writeFileSync(json, '{ "name": "x", "seed": 1,, }');
  files.push(json, join(dir, 'does-not-exist.yaml'));
  return files;
}

const dir = mkdtempSync(join(tmpdir(), 'pmsim-compare-cli-'));
const rel = (f) => relative(root, f);
const files = [...inputFiles('scenarios'), ...inputFiles('test/fixtures'), ...badFiles(dir).map(rel)];
const commands = ['run', 'validate', 'list', 'schema', 'sweep', 'merge', 'gather', 'report', 'explore', 'serve', 'replay', 'audit'];
const C = { LANG: 'C' };
const DE = { LANG: 'de_DE.UTF-8' };
const cases = [
  ...files.map((f) => [C, ['validate', f]]),
  [C, ['validate', 'scenarios/default.yaml', '--max-events', '1000']],
  [C, ['validate', 'scenarios/default.yaml', '--max-events', '1000', '--force']],
  [C, ['validate', rel(join(dir, 'trace-outside.yaml')), '--allow-outside-traces']],
  [C, ['validate']],
  [C, ['validate', 'a.yaml', 'b.yaml']],
  [C, ['validate', '--nope', 'scenarios/default.yaml']],
  [C, []],
  // Failures inside other commands' handlers (nothing is written: each stops at its input).
  [C, ['run', rel(join(dir, 'unknown-hardware.yaml')), '--out', rel(join(dir, 'out-run'))]],
  [C, ['run', 'scenarios/default.yaml', '--out', rel(join(dir, 'out-run')), '--max-events', '1000']],
  [C, ['sweep', 'test/fixtures/sweep/bad-schema.yaml', '--out', rel(join(dir, 'out-sweep'))]],
  [C, ['sweep', 'test/fixtures/sweep/bad-override.yaml', '--out', rel(join(dir, 'out-sweep'))]],
  [C, ['report', rel(join(dir, 'no-such-results'))]],
  [C, ['gather', rel(join(dir, 'no-such-results'))]],
  [C, ['merge', rel(join(dir, 'no-such-shard'))]],
  [C, ['replay', rel(join(dir, 'no-such-record'))]],
  [C, ['audit', rel(join(dir, 'no-such-record'))]],
  [C, ['explore', 'scenarios/default.yaml', '--port', '70000']],
  [C, ['--help']],
  [C, ['--version']],
  [C, ['vaildate', 'scenarios/default.yaml']],
  [C, ['list']],
  [C, ['schema']],
  ...commands.map((c) => [C, [c, '--help']]),
  [DE, ['--help']],
  [DE, ['validate', '--help']],
  [DE, ['validate']],
  [DE, []],
];

let diffs = 0;
for (const [env, args] of cases) {
  const [a, b] = bins.map((bin) =>
    spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env, COLUMNS: '100' } }),
  );
  if (show) console.log(`${a.status} pmsim ${args.join(' ')}: ${(a.stderr || a.stdout).split('\n')[0].slice(0, 110)}`);
  for (const k of ['status', 'stdout', 'stderr']) {
    if (a[k] !== b[k]) {
      diffs++;
      console.log(`DIFFERENT ${k}: LANG=${env.LANG} pmsim ${args.join(' ')}\n--- this\n${a[k]}\n--- other\n${b[k]}`);
    }
  }
}
rmSync(dir, { recursive: true, force: true });
console.log(`${cases.length} cases (${files.length} files for validate): ${diffs === 0 ? 'all identical' : `${diffs} differences`}`);
process.exit(diffs === 0 ? 0 : 1);
