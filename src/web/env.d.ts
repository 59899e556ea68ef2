/** seedrandom's Alea module on its own (see shims/seedrandom.ts); @types/seedrandom types only the entry. */
declare module 'seedrandom/lib/alea.js' {
  import type seedrandom from 'seedrandom';
  const alea: typeof seedrandom.alea;
  export default alea;
}
