#!/usr/bin/env node
// The fuzz campaign of test/fuzz-scenario.test.ts at full size, on demand:
//   node scripts/fuzz.mjs [cases=100000] [seed=18]
// Runs the same seeded, structure-aware properties (npm test runs 2,000 cases), prints the figures
// (cases, distinct outcomes, valid / refused, crashes, hangs, slowest case) and exits 1 on any
// crash (a failed property) or hang (a case slower than 10 s).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cases = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? 18);
if (!(Number.isInteger(cases) && cases > 0) || !Number.isInteger(seed)) {
  console.error('usage: node scripts/fuzz.mjs [cases] [seed]');
  process.exit(2);
}
const figures = `${root}test-artifacts/fuzz-${cases}.json`;
rmSync(figures, { force: true });
const start = Date.now();
const r = spawnSync('npx', ['vitest', 'run', 'test/fuzz-scenario.test.ts', '--testTimeout', String(24 * 3600 * 1000)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PMSIM_FUZZ_RUNS: String(cases), PMSIM_FUZZ_SEED: String(seed), PMSIM_FUZZ_OUT: figures },
});
if (!existsSync(figures)) {
  console.error('fuzz: the campaign stopped at a crash (the counterexample is above)');
  process.exit(1);
}
const f = JSON.parse(readFileSync(figures, 'utf8'));
console.log(
  `fuzz: ${f.cases} cases (seed ${f.seed}), ${f.distinct_outcomes} distinct outcomes, ${f.valid} valid / ${f.refused} refused, ` +
    `${r.status === 0 ? 0 : 'some'} crashes, ${f.hangs} hangs, slowest case ${f.slowest_case_ms} ms; ${((Date.now() - start) / 1000).toFixed(0)} s wall`,
);
process.exit(r.status === 0 && f.hangs === 0 ? 0 : 1);
