import { Injectable } from '@nestjs/common';
import type { Tx } from '../../common/unit-of-work/unit-of-work.js';
import { InitiativeService } from '../initiative/initiative.service.js';
import { AccountKind, TransferKind } from '../ledger/ledger.enums.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { Transfer } from '../ledger/models/ledger.models.js';
import { BuyerKind, TimeLogStatus } from './market.enums.js';
import type { Need } from './models/market.models.js';
import { TimeLogRepository, type UnsettledLog } from './time-log.repository.js';
import { WorkLockRepository, type LockedWork } from './work-lock.repository.js';

export type { LockedWork };

export const hoursOf = (logs: readonly UnsettledLog[]): number =>
  logs.reduce((n, l) => n + l.hours, 0);
export const valueOf = (logs: readonly UnsettledLog[]): number =>
  logs.reduce((n, l) => n + l.amount, 0);

/**
 * How reviewed hours leave a need's escrow: paid to the home team each log names (TIME_PAYMENT)
 * or refunded to the buyer (TIME_REFUND), one transfer per payee, each log marked with the
 * transfer that settled it. Callers hold the locks (`lockWork`) and have locked the logs in the
 * status they settle, so no hour is settled twice.
 */
@Injectable()
export class TimesheetSettlement {
  constructor(
    private readonly workLocks: WorkLockRepository,
    private readonly timeLogs: TimeLogRepository,
    private readonly ledger: LedgerService,
    private readonly initiatives: InitiativeService,
  ) {}

  /**
   * Locks in the market's order: the need (SHARE: it is not closed meanwhile), then the
   * engagement (reviews, disputes and logging of one engagement take turns).
   */
  async lockWork(tx: Tx, engagementId: string, field: string): Promise<LockedWork> {
    return this.workLocks.engagement(tx, engagementId, field);
  }

  /** Pays locked logs from the need's escrow to their payees; the transfers made. */
  async pay(tx: Tx, need: Need, logs: readonly UnsettledLog[], how: string): Promise<Transfer[]> {
    const byPayee = new Map<string, UnsettledLog[]>();
    for (const log of logs)
      byPayee.set(log.payeeTeamId, [...(byPayee.get(log.payeeTeamId) ?? []), log]);
    const payments: Transfer[] = [];
    for (const [payeeTeamId, paid] of byPayee) {
      const transfer = await this.ledger.transfer(tx, {
        fromAccountId: need.escrowAccountId,
        toAccountId:
          paid[0].payeeAccountId ??
          (await this.ledger.accountIdOf(tx, AccountKind.TEAM, payeeTeamId)),
        amount: valueOf(paid),
        kind: TransferKind.TIME_PAYMENT,
        memo: `${hoursOf(paid)} h on "${need.title}", ${how}`,
      });
      await this.timeLogs.markSettled(
        tx,
        paid.map((l) => l.id),
        TimeLogStatus.APPROVED,
        transfer.id,
      );
      payments.push(transfer);
    }
    return payments;
  }

  /** Refunds locked logs from the need's escrow to the buyer: they are never paid. */
  async refund(tx: Tx, need: Need, logs: readonly UnsettledLog[], how: string): Promise<Transfer> {
    const amount = valueOf(logs);
    let initiativeEnded = false;
    if (need.buyerKind === BuyerKind.INITIATIVE) {
      // An initiative that ended has refunded its funders already: these go on to them.
      ({ ended: initiativeEnded } = await this.initiatives.lockAccountForReturn(tx, need.buyerId));
      await this.initiatives.addSpending(tx, need.buyerId, -amount);
    }
    const transfer = await this.ledger.transfer(tx, {
      fromAccountId: need.escrowAccountId,
      toAccountId: need.buyerAccountId,
      amount,
      kind: TransferKind.TIME_REFUND,
      memo: `${hoursOf(logs)} disputed h on "${need.title}", ${how}`,
    });
    await this.timeLogs.markSettled(
      tx,
      logs.map((l) => l.id),
      TimeLogStatus.REFUNDED,
      transfer.id,
    );
    if (initiativeEnded) await this.initiatives.passReturnToFunders(tx, need.buyerId);
    return transfer;
  }
}
