/**
 * @deprecated Moved to `src/comparison/run-scenario.ts` (issue 9: the comparison layer holds one `pmsim run`).
 * A compatibility re-export for code written against the old path; `scripts/check-deps.mjs` keeps it
 * out of the folder graph and refuses imports of it from `src/`.
 */
export * from '../comparison/run-scenario.js';
