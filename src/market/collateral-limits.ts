import type { Job, Mechanism } from '../mechanisms/types.js';

/**
 * The collateral a mechanism will take from a node for a job, micro-USD, computed by the shell
 * before it sends the lock or bid, so that an entity whose capital cannot cover it is refused, as
 * the contracts refuse it: Boundless reverts `lockRequest` when `collateralBalance < lockCollateral`
 * (boundless-xyz/boundless @3835bc4, `contracts/src/BoundlessMarket.sol:227`). The formulas mirror
 * the mechanisms' own: reverse Dutch `lockCollateral = maxPrice × collateralMultiple`
 * (`reverse-dutch/index.ts`); sealed bid with `slashOnMiss`: the winning price × `collateralMultiple`
 * (`sealed-bid/index.ts`). Other mechanisms take no collateral.
 */
/**
 * Does the mechanism enforce the collateral bound itself? Reverse Dutch with `collateralBalance`
 * reverts a lock the prover's balance cannot cover, as `lockRequest` does
 * (`BoundlessMarket.sol:226-229` @3835bc4: `if (proverAccount.collateralBalance <
 * request.offer.lockCollateral) revert InsufficientBalance(prover)`). The shell then does not check
 * the lock a second time: one rule, in one place.
 */
export function mechanismBoundsCollateral(mech: Mechanism): boolean {
  return mech.type === 'reverse-dutch' && (mech.params as Record<string, unknown>).collateralBalance === true;
}

export function collateralRule(mech: Mechanism): ((job: Job, priceMicros: number) => number) | undefined {
  const p = mech.params as Record<string, unknown>;
  const multiple = typeof p.collateralMultiple === 'number' ? p.collateralMultiple : 0;
  if (!(multiple > 0)) return undefined;
  if (mech.type === 'reverse-dutch') return (job) => Math.max(0, Math.round(job.maxPrice * multiple));
  if (mech.type === 'sealed-bid' && p.slashOnMiss === true) return (_job, price) => Math.max(0, Math.round(price * multiple));
  return undefined;
}
