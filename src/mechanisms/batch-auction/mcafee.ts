/**
 * McAfee's trade-reduction double auction (R. P. McAfee, "A dominant strategy double auction",
 * Journal of Economic Theory 56(2), 1992, pp. 434-450): single-unit buyers and sellers, truthful
 * for both sides (dominant strategy), weakly budget-balanced (the auctioneer never pays in), and
 * individually rational. Pure; prices are in any one unit (the mechanism uses µUSD per Mcycle).
 */

/** A buyer's bid or a seller's ask, with its id (ties break by id, ascending). */
export interface Order {
  readonly id: number;
  readonly price: number;
}

/** The result of one clearing: who trades, and the prices on each side. */
export interface McAfeeResult {
  /** Ids of the buyers that trade (highest bids first). */
  readonly buyers: readonly number[];
  /** Ids of the sellers that trade (lowest asks first). */
  readonly sellers: readonly number[];
  /** What each trading buyer pays per unit. */
  readonly buyerPrice: number;
  /** What each trading seller receives per unit (≤ buyerPrice: the gap is the auctioneer's surplus). */
  readonly sellerPrice: number;
  /** True when the k-th trade was dropped (the trade-reduction case). */
  readonly reduced: boolean;
}

/**
 * Clears one batch. Sort bids b(1) ≥ b(2) ≥ ... and asks s(1) ≤ s(2) ≤ ...; k is the largest index
 * with b(k) ≥ s(k). With p0 = (b(k+1) + s(k+1)) / 2 (both must exist): if s(k) ≤ p0 ≤ b(k), the k
 * first pairs trade at p0; otherwise only k − 1 trade, buyers paying b(k) and sellers receiving s(k).
 */
export function mcafee(bids: readonly Order[], asks: readonly Order[]): McAfeeResult {
  const b = [...bids].sort((x, y) => y.price - x.price || x.id - y.id);
  // Only the lowest |bids| + 1 asks can matter (k ≤ |bids|, and p0 reads s(k+1)).
  const s = lowest(asks, b.length + 1);
  let k = 0;
  while (k < b.length && k < s.length && b[k]!.price >= s[k]!.price) k++;
  if (k === 0) return { buyers: [], sellers: [], buyerPrice: 0, sellerPrice: 0, reduced: false };
  if (k < b.length && k < s.length) {
    const p0 = (b[k]!.price + s[k]!.price) / 2;
    if (s[k - 1]!.price <= p0 && p0 <= b[k - 1]!.price) {
      return {
        buyers: b.slice(0, k).map((o) => o.id),
        sellers: s.slice(0, k).map((o) => o.id),
        buyerPrice: p0,
        sellerPrice: p0,
        reduced: false,
      };
    }
  }
  return {
    buyers: b.slice(0, k - 1).map((o) => o.id),
    sellers: s.slice(0, k - 1).map((o) => o.id),
    buyerPrice: b[k - 1]!.price,
    sellerPrice: s[k - 1]!.price,
    reduced: true,
  };
}

const askOrder = (x: Order, y: Order): number => x.price - y.price || x.id - y.id;

/**
 * The `m` lowest asks, sorted (price, then id). Asks have distinct ids, so the order is total and
 * the result is the head of the fully sorted list. When there are many more asks than bids (a batch
 * clears against every free node), a selection (Hoare partition around the middle element) first
 * narrows them to `m`: O(asks + m log m) instead of O(asks log asks).
 */
export function lowest(asks: readonly Order[], m: number): Order[] {
  const a = [...asks];
  if (a.length > 2 * m) {
    let lo = 0;
    let hi = a.length - 1;
    // Invariant: a[0, lo) are among the m lowest, a(hi, end) are not; the m-th lowest is in [lo, hi].
    while (lo < hi) {
      const pivot = a[(lo + hi) >> 1]!;
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (askOrder(a[i]!, pivot) < 0) i++;
        while (askOrder(a[j]!, pivot) > 0) j--;
        if (i <= j) {
          const t = a[i]!;
          a[i++] = a[j]!;
          a[j--] = t;
        }
      }
      if (m - 1 <= j) hi = j;
      else if (m - 1 >= i) lo = i;
      else break;
    }
    a.length = m;
  }
  a.sort(askOrder);
  if (a.length > m) a.length = m;
  return a;
}
