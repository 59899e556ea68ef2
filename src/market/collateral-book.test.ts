import { describe, expect, it } from 'vitest';
import { CollateralBook } from './collateral-book.js';

/** The plain model: a Map per job, entity → micro-USD held. */
class MapBook {
  readonly held: number[];
  private readonly jobs = new Map<number, Map<number, number>>();
  constructor(entities: number) {
    this.held = new Array<number>(entities).fill(0);
  }
  post(j: number, e: number, x: number): void {
    let m = this.jobs.get(j);
    if (!m) this.jobs.set(j, (m = new Map()));
    m.set(e, (m.get(e) ?? 0) + x);
    this.held[e]! += x;
  }
  release(j: number, e: number, x: number): void {
    const m = this.jobs.get(j);
    const h = m?.get(e);
    if (!m || h === undefined) return;
    const r = Math.min(h, x);
    this.held[e]! -= r;
    if (h - r > 0) m.set(e, h - r);
    else m.delete(e);
  }
  forfeit(j: number, e: number): void {
    const m = this.jobs.get(j);
    const h = m?.get(e);
    if (!m || h === undefined) return;
    this.held[e]! -= h;
    m.delete(e);
  }
  close(j: number): void {
    const m = this.jobs.get(j);
    if (!m) return;
    for (const [e, h] of m) this.held[e]! -= h;
    this.jobs.delete(j);
  }
}

describe('CollateralBook', () => {
  it('holds what each entity posted and not yet got back, lost, or left on a closed job', () => {
    const b = new CollateralBook(3);
    b.post(5, 1, 100);
    b.post(5, 2, 40);
    b.release(5, 1, 30);
    expect([...b.held]).toEqual([0, 70, 40]);
    b.forfeit(5, 2);
    expect([...b.held]).toEqual([0, 70, 0]);
    b.close(5);
    expect([...b.held]).toEqual([0, 0, 0]);
  });

  it('agrees with a Map per job on random posts, releases, forfeits and closes, several posters a job', () => {
    let s = 12345;
    const rnd = (n: number): number => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return Math.floor(s / 65536) % n;
    };
    const a = new CollateralBook(4);
    const m = new MapBook(4);
    for (let k = 0; k < 20_000; k++) {
      const j = rnd(3000);
      const e = rnd(4);
      const x = rnd(50);
      const op = rnd(10);
      for (const b of [a, m]) {
        if (op < 4) b.post(j, e, x);
        else if (op < 7) b.release(j, e, x);
        else if (op < 8) b.forfeit(j, e);
        else b.close(j);
      }
      if (k % 97 === 0) expect([...a.held]).toEqual(m.held);
    }
    expect([...a.held]).toEqual(m.held);
  });
});
