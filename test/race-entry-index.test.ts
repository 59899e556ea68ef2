/**
 * The shell's race entry index (issue 10): free provers by entry class, kept in step with the nodes.
 */
import { describe, expect, it } from 'vitest';
import { hashUniform } from '../src/mechanisms/beacon.js';
import { drawDistinct, RaceEntryIndex } from '../src/market/race-entry.js';
import type { Entity, Node } from '../src/market/population.js';

const cap = { cpus: 16, gpus: 1, memoryGb: 64 };
const modelA = {};
const modelB = {};

function fixture() {
  const pure = { type: 'cost-plus', pure: true };
  const learner = { type: 'no-regret' };
  const entities = [
    { id: 0, group: 'farm', strategy: pure },
    { id: 1, group: 'farm', strategy: pure },
    { id: 2, group: 'home', strategy: learner },
  ] as unknown as Entity[];
  const node = (id: number, entity: number, model: object): Node =>
    ({
      info: { id, entity, capacity: cap },
      model,
      failureProb: 0,
      freeAt: 0,
      outstanding: 0,
      active: true,
      ejected: false,
    }) as unknown as Node;
  const nodes = [node(0, 0, modelA), node(1, 1, modelA), node(2, 0, modelB), node(3, 2, modelA), node(4, 2, modelA)];
  return { nodes, entities, index: new RaceEntryIndex({ nodes, entities }) };
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

describe('race entry index', () => {
  it('groups free nodes of one pure group and one hardware model into one class; every other node is a class of its own', () => {
    const { index } = fixture();
    const classes = index.eligible({ cpus: 1, gpus: 1, memoryGb: 1 }, []).map((c) => sorted(index.members[c]!));
    expect(classes.map((m) => m.join(',')).sort()).toEqual(['0,1', '2', '3', '4']);
  });

  it('drops a node that becomes busy, inactive or ejected and takes it back once it is free and active again', () => {
    const { nodes, index } = fixture();
    const free = () => sorted(index.eligible(cap, []).flatMap((c) => index.members[c]!));
    (nodes[1] as { outstanding: number }).outstanding = 1;
    index.update(1);
    (nodes[3] as { active: boolean }).active = false;
    index.update(3);
    expect(free()).toEqual([0, 2, 4]);
    expect(index.isMember(1)).toBe(false);
    (nodes[1] as { outstanding: number }).outstanding = 0;
    index.update(1);
    index.update(1); // idempotent
    (nodes[4] as { ejected: boolean }).ejected = true;
    index.update(4);
    expect(free()).toEqual([0, 1, 2]);
  });

  it('offers only the classes whose hardware fits the request', () => {
    const { index } = fixture();
    expect(index.eligible({ cpus: 1, gpus: 2, memoryGb: 1 }, [])).toEqual([]);
  });
});

describe('drawDistinct: the random order in which chosen racers join', () => {
  it('draws k distinct indices of [0, n), the same for the same job, and every index about equally often', () => {
    const hits = new Array(10).fill(0);
    for (let job = 0; job < 2000; job++) {
      const d = drawDistinct(42, job, 10, 3);
      expect(new Set(d).size).toBe(3);
      expect(d.every((i) => i >= 0 && i < 10)).toBe(true);
      for (const i of d) hits[i]++;
    }
    expect(drawDistinct(42, 7, 10, 3)).toEqual(drawDistinct(42, 7, 10, 3));
    // 600 expected per index; 5 standard deviations ≈ 100.
    for (const h of hits) expect(Math.abs(h - 600)).toBeLessThan(100);
    expect(drawDistinct(1, 1, 4, 4).sort()).toEqual([0, 1, 2, 3]);
  });

  it('draws the same indices, in the same order, as the linear walk over the drawn ones (the rule before the binary search)', () => {
    // The r-th undrawn index, found by walking the drawn ones in ascending order (O(k) per draw).
    const walk = (seed: number, jobId: number, n: number, k: number): number[] => {
      const sorted: number[] = [];
      const order: number[] = [];
      for (let j = 0; j < k && j < n; j++) {
        let r = Math.floor(hashUniform(seed, jobId, j, 3) * (n - j));
        let i = 0;
        while (i < sorted.length && sorted[i]! <= r) {
          r++;
          i++;
        }
        sorted.splice(i, 0, r);
        order.push(r);
      }
      return order;
    };
    for (const [n, k] of [
      [1, 1],
      [5, 5],
      [10, 3],
      [50, 49],
      [2000, 300],
      [20_000, 2_000],
    ] as const)
      for (let job = 0; job < 20; job++) expect(drawDistinct(7, job, n, k)).toEqual(walk(7, job, n, k));
  });
});
