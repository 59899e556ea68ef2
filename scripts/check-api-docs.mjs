// Fails when docs/api/ (the generated API reference of pmsim/core) is stale: regenerates it with
// typedoc into a temporary directory and compares every file. Fix with `npm run docs:api`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const repo = resolve(new URL('..', import.meta.url).pathname);
const committed = join(repo, 'docs/api');
const fresh = mkdtempSync(join(tmpdir(), 'pmsim-api-'));

function files(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out;
}

try {
  const bin = join(repo, 'node_modules/typedoc/bin/typedoc');
  const r = spawnSync(process.execPath, [bin, '--out', fresh, '--logLevel', 'Warn'], { cwd: repo, encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(`docs:api: typedoc failed\n${r.stdout}${r.stderr}`);
    process.exit(1);
  }
  let had = [];
  try {
    had = files(committed).map((f) => relative(committed, f));
  } catch {
    // no docs/api yet
  }
  const now = files(fresh).map((f) => relative(fresh, f));
  const stale = [];
  for (const f of now) if (!had.includes(f) || !readFileSync(join(fresh, f)).equals(readFileSync(join(committed, f)))) stale.push(f);
  for (const f of had) if (!now.includes(f)) stale.push(`${f} (no longer generated)`);
  if (stale.length > 0) {
    console.error(
      `docs/api is stale (${stale.length} files differ, e.g. ${stale.slice(0, 3).join(', ')}): run \`npm run docs:api\` and commit docs/api`,
    );
    process.exit(1);
  }
  console.log(`docs/api: up to date (${now.length} files)`);
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
