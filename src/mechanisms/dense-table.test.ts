import { describe, expect, it } from 'vitest';
import { DenseTable } from './dense-table.js';
import { uniforms } from './test-kit.js';

/** Applies the same random operations to a table and a Map; they must agree after every one. */
function agreesWithMap(ids: () => number, ops: number): void {
  const u = uniforms(7);
  const table = new DenseTable<number>();
  const model = new Map<number, number>();
  for (let i = 0; i < ops; i++) {
    const id = ids();
    if (u() < 0.6) {
      table.set(id, i);
      model.set(id, i);
    } else {
      table.delete(id);
      model.delete(id);
    }
    expect(table.get(id)).toBe(model.get(id));
  }
  for (const [id, v] of model) expect(table.get(id)).toBe(v);
}

describe('DenseTable', () => {
  it('keeps dense ids in submission order, a window of them open at once', () => {
    const t = new DenseTable<string>();
    for (let id = 0; id < 10_000; id++) {
      t.set(id, `job ${id}`);
      if (id >= 100) t.delete(id - 100);
    }
    expect(t.get(9_999)).toBe('job 9999');
    expect(t.get(9_900)).toBe('job 9900');
    expect(t.get(9_899)).toBeUndefined();
    expect(t.get(0)).toBeUndefined();
  });

  it('keeps a long-open id while later ids share its slot (the ring grows)', () => {
    const t = new DenseTable<number>();
    t.set(3, 3);
    for (let id = 4; id < 5_000; id++) {
      t.set(id, id);
      t.delete(id);
    }
    expect(t.get(3)).toBe(3);
    expect(t.get(3 + 64)).toBeUndefined();
  });

  it('agrees with a Map on dense ids', () => {
    const u = uniforms(1);
    agreesWithMap(() => Math.floor(u() * 300), 20_000);
  });

  it('agrees with a Map on sparse, huge, negative and fractional ids', () => {
    const u = uniforms(2);
    const pick = [() => Math.floor(u() * 1e9), () => -Math.floor(u() * 10), () => Math.floor(u() * 50) + 0.5, () => 2 ** 40 + 3];
    agreesWithMap(() => pick[Math.floor(u() * pick.length)]!(), 5_000);
  });

  it('answers nothing for an id never set, whatever its slot holds', () => {
    const t = new DenseTable<number>();
    t.set(5, 1);
    expect(t.get(5 + 64)).toBeUndefined();
    expect(t.get(-1)).toBeUndefined();
    expect(t.get(5.5)).toBeUndefined();
    t.delete(5 + 64);
    expect(t.get(5)).toBe(1);
  });
});
