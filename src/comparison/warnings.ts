import type { MarketResult } from '../market/market.js';

/** Share of the honest nodes whose removal by a protocol rule is worth a warning. */
export const EJECTION_WARNING_SHARE = 0.5;

/**
 * A warning when a protocol rule (ejection after declines or failed slots) removed most of the honest
 * supply in a run: the liveness and prices of such a run say more about the rule than the market.
 * Computed from the run's result (the population's `ejected` flags), outside the mechanisms.
 * Attackers and potential entrants that never joined do not count as honest supply.
 */
export function supplyWarning(label: string, r: MarketResult): string | undefined {
  let honest = 0;
  let ejected = 0;
  for (const e of r.population.entities) {
    if (e.view.attacker || (e.potential && !e.active && !e.exited)) continue;
    for (const n of e.nodes) {
      honest++;
      if (r.population.nodes[n]?.ejected) ejected++;
    }
  }
  if (honest === 0 || ejected / honest <= EJECTION_WARNING_SHARE) return undefined;
  const pct = Math.round((100 * ejected) / honest);
  const unserved = r.metrics.submitted - r.metrics.delivered;
  return (
    `${label}: a protocol rule ejected ${ejected} of ${honest} honest prover nodes (${pct}%) during the run; ` +
    `${unserved} of ${r.metrics.submitted} jobs were not delivered. The results reflect the ejection rule (e.g. random's maxDeclines/declineWindow or ejectOnFallbackSuccess) more than the market`
  );
}
