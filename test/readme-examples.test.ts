/**
 * The README's "Use it as a library" examples, executed: each ```ts block of that section is
 * type-checked and compiled with the project's TypeScript (strict, NodeNext, as a user's project
 * would), then run with Node from the repository root. `import 'pmsim'` resolves to the built
 * package through its own `exports` (npm test builds first).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cli.js';

function librarySection(): string[] {
  const md = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = md.indexOf('\n## Use it as a library');
  expect(start, 'README has a "Use it as a library" section').toBeGreaterThan(0);
  const end = md.indexOf('\n## ', start + 5);
  const section = md.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe("README's library examples", () => {
  const blocks = librarySection();
  const dir = join(ROOT, '.tmp', 'readme-examples');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  blocks.forEach((code, i) => writeFileSync(join(dir, `example-${i + 1}.ts`), code));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        skipLibCheck: false,
        outDir: 'js',
        rootDir: '.',
        types: ['node'],
      },
      include: ['*.ts'],
    }),
  );
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });

  it('there are two: run a scenario, drive one mechanism from pmsim/core', () => {
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toContain("from 'pmsim'");
    expect(blocks[1]).toContain("from 'pmsim/core'");
  });

  it('type-check against the published declarations', () => {
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
  });

  it('the scenario example runs and prints a row per mechanism', () => {
    const r = spawnSync(process.execPath, [join(dir, 'js', 'example-1.js')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^random: liveness 0\.\d{3}, \$\d+\.\d{4} per job$/m);
    expect(r.stdout).toMatch(/^order-book: liveness 0\.\d{3}, /m);
    expect(r.stdout).toMatch(/^order-book: 28 windows, first price \d/m);
  });

  it('the pmsim/core example runs an auction to its close: the lowest bid wins and is paid once, a retried input is refused', () => {
    const r = spawnSync(process.execPath, [join(dir, 'js', 'example-2.js')], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('"type":"assign","jobId":0,"operator":1,"price":90000');
    expect(r.stdout).toMatch(/^settle, done, close, refused \(duplicate\)$/m);
  });
});
