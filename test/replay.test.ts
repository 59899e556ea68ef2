/**
 * Event sourcing: a mechanism's state is rebuilt exactly by replaying its input log. Each of the
 * six mechanisms runs a one-day market through the real shell while every (input, now) pair, every
 * random number it drew and every decision is logged. A fresh mechanism object (so no closure of
 * the first one can help) is then initialised, fed the first half of the log, and from there fed
 * the rest: its decisions must equal, byte for byte, those of the uninterrupted run.
 */
import { describe, expect, it } from 'vitest';
import { runMarket } from '../src/market/market.js';
import { mechanismById } from '../src/mechanisms/registry.js';
import type { Decision, Input, Mechanism, OperatorInfo, ProtocolState, Random } from '../src/mechanisms/types.js';
import { scenario } from './helpers.js';

interface Entry {
  readonly input: Input;
  readonly now: number;
  readonly draws: number[];
  readonly decisions: string;
}

const json = (ds: readonly Decision[]): string => JSON.stringify(ds, (_k, v) => (v instanceof Uint8Array ? Array.from(v) : v));

/** Wraps a mechanism so that every step is logged (inputs copied: the shell reuses its objects). */
function recorded(inner: Mechanism) {
  const log: Entry[] = [];
  let operators: readonly OperatorInfo[] = [];
  let opening = '';
  const mech: Mechanism = {
    ...inner,
    init(ops, out = [], now = 0) {
      operators = structuredClone(ops);
      const s = inner.init(ops, out, now);
      opening = json(out);
      return s;
    },
    step(state, input, now, random, out) {
      const from = out.length;
      const draws: number[] = [];
      const spy: Random = {
        next: () => {
          const u = random.next();
          draws.push(u);
          return u;
        },
      };
      const copy = structuredClone(input);
      inner.step(state, input, now, spy, out);
      log.push({ input: copy, now, draws, decisions: json(out.slice(from)) });
    },
  };
  return { mech, log, operators: () => operators, opening: () => opening };
}

const cases: [string, Record<string, unknown>][] = [
  ['random', { lastResortRace: true, declineToRace: true }],
  ['race', {}],
  ['order-book', {}],
  ['reverse-dutch', { preset: 'boundless' }],
  ['sealed-bid', { preset: 'succinct' }],
  ['self-hosted', { nodes: 3 }],
  ['reputation', { preset: 'weighted' }],
];

describe('event sourcing: replaying the input log rebuilds the state exactly', () => {
  for (const [id, params] of cases) {
    it(`${id}: rebuilt from the first half of its log, it decides the second half byte for byte as the uninterrupted run`, () => {
      const entry = mechanismById(id)!;
      const { preset, ...rest } = params as { preset?: string };
      const make = () => entry.create({ ...rest, ...(preset ? { preset } : {}) });
      const r = recorded(make());
      runMarket({ scenario: scenario({ mechanisms: [id] }), mechanism: r.mech, seed: 5 });
      const log = r.log;
      expect(log.length).toBeGreaterThan(200);
      const half = Math.floor(log.length / 2);

      const fresh = make() as Mechanism<ProtocolState>;
      const opening: Decision[] = [];
      const state = fresh.init(r.operators(), opening, 0);
      expect(json(opening)).toBe(r.opening());
      const replay = (e: Entry): string => {
        let i = 0;
        const out: Decision[] = [];
        fresh.step(state, e.input, e.now, { next: () => e.draws[i++]! }, out);
        return json(out);
      };
      for (let i = 0; i < half; i++) replay(log[i]!);
      let same = 0;
      for (let i = half; i < log.length; i++) {
        expect(replay(log[i]!), `step ${i} (${log[i]!.input.type})`).toBe(log[i]!.decisions);
        same++;
      }
      expect(same).toBe(log.length - half);
      // The log holds decisions that matter, not only no-ops.
      expect(log.slice(half).some((e) => e.decisions.includes('"done"'))).toBe(true);
    });
  }
});
