import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { notFound } from '../../common/errors/domain-error.js';
import { BatchLoader, byKey, groupedByKey } from '../../common/graphql/request-loaders.js';
import { firstRow, rows, type Db } from '../../database/sql.js';
import type { Timesheet } from './models/timesheet.models.js';

/** Timesheet columns over `timesheet s`. */
export const TIMESHEET_COLUMNS = `s.id, s.engagement_id AS "engagementId", to_char(s.week_start, 'YYYY-MM-DD') AS "weekStart",
  s.max_hours AS "maxHours", s.pending_hours + s.disputed_hours + s.approved_hours + s.refunded_hours AS "loggedHours",
  s.pending_hours AS "pendingHours", s.disputed_hours AS "disputedHours", s.approved_hours AS "approvedHours",
  s.refunded_hours AS "refundedHours", s.review_ends_at AS "reviewEndsAt"`;

/** Hours moving between a week's review states (negative: out of it). */
export interface HoursMove {
  pending?: number;
  disputed?: number;
  approved?: number;
  refunded?: number;
}

/** Hours added to an engagement's week. */
export interface LoggedWeek {
  engagementId: string;
  weekStart: string;
  maxHours: number;
  hours: number;
  reviewEndsAt: Date;
}

/** The `timesheet` table: one row per engagement and ISO week. */
@Injectable()
export class TimesheetRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Adds PENDING hours to the engagement's week, creating it on its first hours. Fails on
   * timesheet_hours_check if the week would hold more than its maximum.
   */
  async addPending(tx: Db, week: LoggedWeek): Promise<Timesheet> {
    const [row] = await rows<Timesheet>(
      tx,
      `INSERT INTO timesheet AS s (engagement_id, week_start, max_hours, pending_hours, review_ends_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (engagement_id, week_start)
       DO UPDATE SET pending_hours = s.pending_hours + EXCLUDED.pending_hours
       RETURNING ${TIMESHEET_COLUMNS}`,
      [week.engagementId, week.weekStart, week.maxHours, week.hours, week.reviewEndsAt],
    );
    return row;
  }

  /** The timesheet, row-locked for the rest of the transaction; NOT_FOUND on `field`. */
  async lock(tx: Db, id: string, field = 'timesheetId'): Promise<Timesheet> {
    const row = await firstRow<Timesheet>(
      tx,
      `SELECT ${TIMESHEET_COLUMNS} FROM timesheet s WHERE s.id = $1 FOR UPDATE`,
      [id],
    );
    if (!row) throw notFound('Timesheet', field);
    return row;
  }

  /** Moves hours between review states of a locked timesheet. */
  async moveHours(tx: Db, id: string, move: HoursMove): Promise<Timesheet> {
    const [row] = await rows<Timesheet>(
      tx,
      `UPDATE timesheet s SET pending_hours = pending_hours + $2, disputed_hours = disputed_hours + $3,
              approved_hours = approved_hours + $4, refunded_hours = refunded_hours + $5
        WHERE s.id = $1 RETURNING ${TIMESHEET_COLUMNS}`,
      [id, move.pending ?? 0, move.disputed ?? 0, move.approved ?? 0, move.refunded ?? 0],
    );
    return row;
  }

  /**
   * Weeks whose review window ended by `now` with hours still pending (oldest deadline first,
   * at most `limit`): what the automatic approval pays. Read without locks.
   */
  dueForApproval(now: Date, limit: number): Promise<{ id: string; engagementId: string }[]> {
    return rows<{ id: string; engagementId: string }>(
      this.dataSource,
      `SELECT id, engagement_id AS "engagementId" FROM timesheet
        WHERE pending_hours > 0 AND review_ends_at <= $1
        ORDER BY review_ends_at, id LIMIT $2`,
      [now, limit],
    );
  }

  async findById(id: string, db: Db = this.dataSource): Promise<Timesheet | undefined> {
    return firstRow<Timesheet>(db, `SELECT ${TIMESHEET_COLUMNS} FROM timesheet s WHERE s.id = $1`, [
      id,
    ]);
  }

  readonly byId = new BatchLoader<string, Timesheet | null>(async (ids) => {
    const found = await rows<Timesheet>(
      this.dataSource,
      `SELECT ${TIMESHEET_COLUMNS} FROM timesheet s WHERE s.id = ANY($1)`,
      [[...ids]],
    );
    return byKey(ids, found, (t) => t.id);
  });

  /** Each engagement's weeks, oldest first. */
  readonly ofEngagement = new BatchLoader<string, Timesheet[]>(async (engagementIds) => {
    const found = await rows<Timesheet>(
      this.dataSource,
      `SELECT ${TIMESHEET_COLUMNS} FROM timesheet s WHERE s.engagement_id = ANY($1) ORDER BY s.week_start`,
      [[...engagementIds]],
    );
    return groupedByKey(engagementIds, found, (t) => t.engagementId);
  });
}
