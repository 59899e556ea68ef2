/**
 * vitest global setup: builds the browser explorer (dist/web) when it is missing or older than its
 * sources, so the web tests never check a stale bundle. A fresh bundle costs nothing; a build ~3 s.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STAMP = join(ROOT, 'dist/web/modules.json');

function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const name of readdirSync(path)) t = Math.max(t, newest(join(path, name)));
  return t;
}

export default async function setup(): Promise<void> {
  const sources = Math.max(newest(join(ROOT, 'src')), newest(join(ROOT, 'scenarios')), newest(join(ROOT, 'vite.config.ts')), newest(join(ROOT, 'package-lock.json')));
  if (existsSync(STAMP) && statSync(STAMP).mtimeMs >= sources) return;
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
}
