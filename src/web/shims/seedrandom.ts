/**
 * The engine's random streams use `seedrandom.alea` (src/engine/rng.ts). seedrandom's entry module
 * also requires Node's `crypto` for auto-seeding, which pmsim never uses; in the browser the bundler
 * maps `seedrandom` here, to the very same Alea implementation and nothing else.
 */
import alea from 'seedrandom/lib/alea.js';

export default { alea };
