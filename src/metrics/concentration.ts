/**
 * Herfindahl-Hirschman index (0-10000) and the top share of a set of non-negative amounts
 * (delivered work by entity). Returns NaN for both when the total is 0.
 */
export function concentration(amounts: ArrayLike<number>): { hhi: number; top1: number; total: number } {
  let total = 0;
  let top = 0;
  for (let i = 0; i < amounts.length; i++) {
    const a = amounts[i]!;
    total += a;
    if (a > top) top = a;
  }
  if (total <= 0) return { hhi: NaN, top1: NaN, total: 0 };
  let h = 0;
  for (let i = 0; i < amounts.length; i++) {
    const s = amounts[i]! / total;
    h += s * s;
  }
  return { hhi: h * 10000, top1: top / total, total };
}
