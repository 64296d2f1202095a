import { Injectable } from '@nestjs/common';
import { notFound } from '../../common/errors/domain-error.js';
import { firstRow, prefixedColumns, unprefixed, type Db } from '../../database/sql.js';
import { BID_COLUMNS, toBid, type BidRow } from './bid.repository.js';
import { ENGAGEMENT_COLUMNS, toEngagement, type EngagementRow } from './engagement.repository.js';
import type { Bid, Engagement, Need } from './models/market.models.js';
import type { Timesheet } from './models/timesheet.models.js';
import { NEED_COLUMNS, toNeed, type LockMode, type NeedRow } from './need.repository.js';
import { TIMESHEET_COLUMNS } from './timesheet.repository.js';

const NEED = prefixedColumns(NEED_COLUMNS, 'need.');
const BID = prefixedColumns(BID_COLUMNS, 'bid.');
const ENGAGEMENT = prefixedColumns(ENGAGEMENT_COLUMNS, 'engagement.');
const WEEK = prefixedColumns(TIMESHEET_COLUMNS, 'sheet.');

/** A need and one of its engagements, locked for work on it (need SHARE, engagement UPDATE). */
export interface LockedWork {
  need: Need;
  engagement: Engagement;
}

/**
 * Locks a need and the rows that belong to it in the market's lock order (need, then bid or
 * engagement, then timesheet), all in one statement: PostgreSQL takes a statement's row locks
 * in the order of its locking clauses, row by row, and re-reads a row it waited for, so each
 * row comes back as it is once locked. NOT_FOUND names what was asked for.
 */
@Injectable()
export class WorkLockRepository {
  /** A bid and its need: the need in `needMode` (SHARE: it must not change), the bid UPDATE. */
  async bid(tx: Db, bidId: string, needMode: LockMode): Promise<{ need: Need; bid: Bid }> {
    const row = await firstRow<Record<string, unknown>>(
      tx,
      `SELECT ${NEED}, ${BID} FROM bid b JOIN need n ON n.id = b.need_id
        WHERE b.id = $1 FOR ${needMode} OF n FOR UPDATE OF b`,
      [bidId],
    );
    if (!row) throw notFound('Bid', 'bidId');
    return {
      need: toNeed(unprefixed<NeedRow>(row, 'need.')),
      bid: toBid(unprefixed<BidRow>(row, 'bid.')),
    };
  }

  /** An engagement (UPDATE) and its need (SHARE: it is not closed meanwhile). */
  async engagement(tx: Db, engagementId: string, field: string): Promise<LockedWork> {
    const row = await firstRow<Record<string, unknown>>(
      tx,
      `SELECT ${NEED}, ${ENGAGEMENT} FROM engagement g JOIN need n ON n.id = g.need_id
        WHERE g.id = $1 FOR SHARE OF n FOR UPDATE OF g`,
      [engagementId],
    );
    if (!row) throw notFound('Engagement', field);
    return work(row);
  }

  /** A week of an engagement for review: its need (SHARE), engagement and timesheet (UPDATE). */
  async week(
    tx: Db,
    timesheetId: string,
    field: string,
  ): Promise<LockedWork & { sheet: Timesheet }> {
    const row = await firstRow<Record<string, unknown>>(
      tx,
      `SELECT ${NEED}, ${ENGAGEMENT}, ${WEEK}
         FROM timesheet s JOIN engagement g ON g.id = s.engagement_id JOIN need n ON n.id = g.need_id
        WHERE s.id = $1 FOR SHARE OF n FOR UPDATE OF g FOR UPDATE OF s`,
      [timesheetId],
    );
    if (!row) throw notFound('Timesheet', field);
    return { ...work(row), sheet: unprefixed<Timesheet>(row, 'sheet.') };
  }
}

function work(row: Record<string, unknown>): LockedWork {
  return {
    need: toNeed(unprefixed<NeedRow>(row, 'need.')),
    engagement: toEngagement(unprefixed<EngagementRow>(row, 'engagement.')),
  };
}
