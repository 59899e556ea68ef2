// Makes the CLI entry executable after tsc, so the `bin` works straight after `npm ci`.
import { chmodSync, existsSync } from 'node:fs';
const bin = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(bin)) chmodSync(bin, 0o755);
