/**
 * Price priority of order-book bids, decided exactly.
 *
 * A bid's limit per Mcycle is its integer µUSD price limit over its Mcycles. The limit is the
 * requester's rate times the job's size rounded to a whole µUSD, so two jobs of one requester (the
 * same rate) get limits per Mcycle that differ by their rounding residue: up to 0.5 µUSD / Mcycles.
 * Comparing the quotients as floats let that residue, not the posting time, decide who waits. Here
 * two bids compare by the cross-multiplied difference `maxPrice_a × mcycles_b − maxPrice_b ×
 * mcycles_a`, and count as equal when it lies within what the rounding of the two integer limits can
 * cause, `(mcycles_a + mcycles_b) / 2`; the caller then breaks the tie by time (docs/mechanisms/
 * order-book.md: price-time priority). The difference is evaluated in floats with an error bound,
 * and exactly (BigInt over the doubles' binary expansions) only when the bound cannot decide.
 */

/** The two fields of a job that set its price priority. */
export interface PricedSize {
  /** Price limit, integer µUSD. */
  readonly maxPrice: number;
  /** Size, Mcycles (> 0). */
  readonly mcycles: number;
}

/**
 * Compares two bids' limits per Mcycle: > 0 when `a` offers more per Mcycle, < 0 when less, 0 when
 * they are equal up to the rounding of their integer µUSD limits.
 */
export function compareLimitPerMcycle(a: PricedSize, b: PricedSize): number {
  const x = a.maxPrice * b.mcycles;
  const y = b.maxPrice * a.mcycles;
  const d = x - y;
  const tol = (a.mcycles + b.mcycles) / 2;
  // Each product and the difference are within 2^-52 relative; 4 ulps covers all three roundings.
  const err = 4 * Number.EPSILON * (Math.abs(x) + Math.abs(y)) + 4 * Number.EPSILON * tol;
  if (d > tol + err) return 1;
  if (d < -tol - err) return -1;
  if (Math.abs(d) < tol - err) return 0;
  return exactCompare(a, b);
}

/** The same comparison with exact rational arithmetic (slow path). */
function exactCompare(a: PricedSize, b: PricedSize): number {
  const [pa, ea] = toBig(a.maxPrice);
  const [pb, eb] = toBig(b.maxPrice);
  const [ma, fa] = toBig(a.mcycles);
  const [mb, fb] = toBig(b.mcycles);
  // Every value is n × 2^e; bring all terms to the smallest exponent.
  const e = Math.min(ea + fb, eb + fa, fa, fb) - 1;
  const shift = (n: bigint, k: number): bigint => n << BigInt(k - e);
  const x = shift(pa * mb, ea + fb);
  const y = shift(pb * ma, eb + fa);
  // tol = (ma + mb) / 2: the -1 in `e` makes the halving exact.
  const tol = shift(ma, fa - 1) + shift(mb, fb - 1);
  const d = x - y;
  if (d > tol) return 1;
  if (d < -tol) return -1;
  return 0;
}

/** A finite double as [integer mantissa, binary exponent]: v = m × 2^e exactly. */
function toBig(v: number): [bigint, number] {
  if (v === 0) return [0n, 0];
  let e = 0;
  let m = v;
  while (!Number.isInteger(m)) {
    m *= 2;
    e--;
  }
  return [BigInt(m), e];
}
