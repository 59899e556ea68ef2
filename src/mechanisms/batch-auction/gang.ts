import type { Order } from './mcafee.js';

/**
 * The batch auction's gang rule (docs/mechanisms/batch-auction.md, "Gang jobs"): an offer for a job
 * needing N nodes covers N nodes of one entity. Each entity's free compatible sellers, cheapest ask
 * first (ties by id), form offers of N nodes each; an offer's price per Mcycle is the highest ask
 * among its N nodes (so the clearing price meets every member's ask), its id its cheapest node (the
 * lead). Nodes left over (fewer than N) make no offer. Offers from several entities together
 * (coalitions) are not modelled. Returns the offers and each offer's members, lead first.
 */
export function gangOffers(
  sellers: readonly number[],
  entityOf: readonly number[],
  ask: readonly number[],
  n: number,
): { orders: Order[]; members: Map<number, number[]> } {
  const byEntity = new Map<number, number[]>();
  for (const op of sellers) {
    const e = entityOf[op]!;
    const list = byEntity.get(e);
    if (list) list.push(op);
    else byEntity.set(e, [op]);
  }
  const orders: Order[] = [];
  const members = new Map<number, number[]>();
  for (const e of [...byEntity.keys()].sort((a, b) => a - b)) {
    const list = byEntity.get(e)!.sort((a, b) => ask[a]! - ask[b]! || a - b);
    for (let i = 0; i + n <= list.length; i += n) {
      const chunk = list.slice(i, i + n);
      orders.push({ id: chunk[0]!, price: ask[chunk[n - 1]!]! });
      members.set(chunk[0]!, chunk);
    }
  }
  return { orders, members };
}
