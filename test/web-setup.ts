/**
 * vitest global setup: builds the browser explorer (dist/web) when it is missing or older than its
 * sources, so the web tests never check a stale bundle. A fresh bundle costs nothing; a build ~3 s.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STAMP = join(ROOT, 'dist/web/modules.json');
/** Where a failed build leaves its error, for the web tests to fail with (the other tests still run). */
export const BUILD_ERROR = join(ROOT, 'dist/web-build-error.txt');

function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const name of readdirSync(path)) t = Math.max(t, newest(join(path, name)));
  return t;
}

export default async function setup(): Promise<void> {
  const sources = Math.max(
    newest(join(ROOT, 'src')),
    newest(join(ROOT, 'scenarios')),
    newest(join(ROOT, 'vite.config.ts')),
    newest(join(ROOT, 'package-lock.json')),
  );
  if (existsSync(STAMP) && statSync(STAMP).mtimeMs >= sources && !existsSync(BUILD_ERROR)) return;
  rmSync(BUILD_ERROR, { force: true });
  try {
    const { build } = await import('vite');
    await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
  } catch (e) {
    // No stale bundle may pass for this one: remove it, keep the error for the web tests.
    rmSync(join(ROOT, 'dist/web'), { recursive: true, force: true });
    mkdirSync(join(ROOT, 'dist'), { recursive: true });
    writeFileSync(BUILD_ERROR, e instanceof Error ? (e.stack ?? e.message) : String(e));
    console.error(`explorer build failed (the web tests will fail): ${String(e)}`);
  }
}
