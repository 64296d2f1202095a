import { Injectable } from '@nestjs/common';
import type { Tx } from '../../common/unit-of-work/unit-of-work.js';
import { BidRepository } from './bid.repository.js';
import { EngagementRepository } from './engagement.repository.js';
import { EngagementStatus } from './market.enums.js';
import { NeedService } from './need.service.js';
import { TimesheetSettlement } from './timesheet-settlement.js';

/** An engagement ended because its worker left: its hours logged and the escrow returned. */
export interface EndedWork {
  engagementId: string;
  needId: string;
  loggedHours: number;
  returned: number;
  transferId: string | null;
}

/**
 * The market's part when someone leaves (issue 14, "leavers"), run inside the deactivating unit
 * of work: their pending bids are withdrawn and their active engagements end.
 */
@Injectable()
export class LeaverMarketService {
  constructor(
    private readonly bids: BidRepository,
    private readonly engagements: EngagementRepository,
    private readonly settlement: TimesheetSettlement,
    private readonly needs: NeedService,
  ) {}

  /** Withdraws every PENDING bid of the employee; their ids. */
  withdrawBidsOf(tx: Tx, employeeId: string): Promise<string[]> {
    return this.bids.withdrawPendingOf(tx, employeeId, 'The bidder left');
  }

  /**
   * Ends the employee's ACTIVE engagements, each under the market's locks (need SHARE, then the
   * engagement): its hours a week are freed, hours already logged stay PENDING for the buyer's
   * usual weekly review (and are paid or refunded by it), and what the hours never logged were
   * worth goes back from the need's escrow to the buyer, as when an engagement's weeks are over.
   */
  async endEngagementsOf(tx: Tx, employeeId: string): Promise<EndedWork[]> {
    const ended: EndedWork[] = [];
    for (const id of await this.engagements.activeIdsOf(tx, employeeId)) {
      const { need, engagement } = await this.settlement.lockWork(tx, id, 'employeeId');
      if (engagement.status !== EngagementStatus.ACTIVE) continue;
      await this.engagements.endLocked(tx, id);
      const refund = await this.needs.releaseEngagement(tx, need, engagement);
      ended.push({
        engagementId: id,
        needId: need.id,
        loggedHours: engagement.loggedHours,
        returned: refund?.amount ?? 0,
        transferId: refund?.id ?? null,
      });
    }
    return ended;
  }
}
