import type { DecisionHandler, MarketContext } from './context.js';
import type { GangWork } from './gang-work.js';
import { BURNED, EMISSION, OPERATOR0, REQUESTERS, TREASURY } from './ledger.js';

/** The money room: every money decision moves micro-USD in the ledger and counts it in the metrics. */
export interface MoneyRoom {
  readonly settle: DecisionHandler<'settle'>;
  readonly refund: DecisionHandler<'refund'>;
  readonly burn: DecisionHandler<'burn'>;
  readonly fee: DecisionHandler<'fee'>;
  readonly collateral: DecisionHandler<'collateral'>;
  readonly release: DecisionHandler<'release'>;
  readonly slash: DecisionHandler<'slash'>;
}

/** Builds the money room of a market run; a payment to a gang's lead is shared among its members (`gang`). */
export function createMoneyRoom(ctx: MarketContext, gang?: Pick<GangWork, 'shares'>): MoneyRoom {
  const { ledger, metrics, feedback, nodes, ownerOf, jobs } = ctx;
  const entityOf = (op: number): number => nodes[op]!.info.entity;
  const room: MoneyRoom = {
    settle(d) {
      const split = gang && jobs.get(d.jobId)?.job.gang !== undefined ? gang.shares(d.jobId, d.operator, d.amount) : undefined;
      if (split) {
        for (const sh of split) payEntity(d.jobId, sh.entity, sh.amount, d.source);
        return;
      }
      const owner = ownerOf[d.operator]!.id;
      const to = OPERATOR0 + owner;
      if (d.source === 'emission') {
        ledger.transfer(EMISSION, to, d.amount);
        metrics.emission += d.amount;
      } else ledger.fromEscrow(d.jobId, to, d.amount);
      metrics.revenue += d.amount;
      // An epoch's emission may name a job that has closed: its feedback is already final.
      if (d.source === 'escrow' || jobs.has(d.jobId)) feedback.paid(d.jobId, owner, d.amount);
    },
    refund(d) {
      ledger.fromEscrow(d.jobId, REQUESTERS, d.amount);
      metrics.refunded += d.amount;
      const rec = jobs.get(d.jobId);
      if (rec) rec.refunds += d.amount;
    },
    burn(d) {
      ledger.fromEscrow(d.jobId, BURNED, d.amount);
      metrics.burned += d.amount;
    },
    fee(d) {
      ledger.fromEscrow(d.jobId, TREASURY, d.amount);
      metrics.protocol += d.amount;
    },
    collateral(d) {
      const e = entityOf(d.operator);
      ledger.toEscrow(OPERATOR0 + e, d.jobId, d.amount);
      feedback.spent(d.jobId, e, d.amount);
      ctx.collateral.post(d.jobId, e, d.amount);
    },
    release(d) {
      const e = entityOf(d.operator);
      ledger.fromEscrow(d.jobId, OPERATOR0 + e, d.amount);
      feedback.returned(d.jobId, e, d.amount);
      ctx.collateral.release(d.jobId, e, d.amount);
    },
    slash(d) {
      ctx.collateral.forfeit(d.jobId, entityOf(d.operator));
      ledger.fromEscrow(d.jobId, BURNED, d.burn);
      if (d.toOperator >= 0 && d.reward > 0) {
        const split = gang && jobs.get(d.jobId)?.job.gang !== undefined ? gang.shares(d.jobId, d.toOperator, d.reward) : undefined;
        for (const sh of split ?? [{ entity: entityOf(d.toOperator), amount: d.reward }]) {
          ledger.fromEscrow(d.jobId, OPERATOR0 + sh.entity, sh.amount);
          metrics.revenue += sh.amount;
          feedback.paid(d.jobId, sh.entity, sh.amount);
        }
      }
      ledger.fromEscrow(d.jobId, TREASURY, d.toTreasury);
      metrics.slashed += d.burn + d.reward + d.toTreasury;
      metrics.burned += d.burn;
      metrics.protocol += d.toTreasury;
    },
  };

  /** One member entity's share of a gang's payment (as `settle` pays a single node's owner). */
  function payEntity(jobId: number, entity: number, amount: number, source: 'escrow' | 'emission'): void {
    const to = OPERATOR0 + entity;
    if (source === 'emission') {
      ledger.transfer(EMISSION, to, amount);
      metrics.emission += amount;
    } else ledger.fromEscrow(jobId, to, amount);
    metrics.revenue += amount;
    if (source === 'escrow' || jobs.has(jobId)) feedback.paid(jobId, entity, amount);
  }
  return room;
}
