// After tsc: bundles the CLI entry (scripts/bundle-cli.mjs: `pmsim` starts faster from a dozen files
// than from two hundred modules) and makes it executable, so the `bin` works straight after `npm ci`.
import { bundleCli } from './bundle-cli.mjs';

await bundleCli();
