import { Injectable } from '@nestjs/common';
import { notFound } from '../../common/errors/domain-error.js';
import { DataSource } from 'typeorm';
import { BatchLoader, byKey, groupedByKey } from '../../common/graphql/request-loaders.js';
import { cursorCondition, SqlParams } from '../../database/keyset.js';
import { firstRow, rows, type Db } from '../../database/sql.js';
import type { TimeLogStatus } from './market.enums.js';
import type { TimeLog } from './models/market.models.js';

/** Time log columns over `time_log l JOIN engagement g`: the amount is hours × the engagement's rate. */
const TIME_LOG_COLUMNS = `l.id, l.seq, l.engagement_id AS "engagementId", l.timesheet_id AS "timesheetId",
  l.hours, to_char(l.work_date, 'YYYY-MM-DD') AS date, l.note, l.status, l.dispute_id AS "disputeId",
  l.hours * g.rate_per_hour AS amount, l.created_at AS "loggedAt", l.settled_at AS "settledAt"`;
const TIME_LOG_FROM = 'time_log l JOIN engagement g ON g.id = l.engagement_id';

type TimeLogRow = Omit<TimeLog, 'seq' | 'amount'> & { seq: string; amount: string };
const toTimeLog = (row: TimeLogRow): TimeLog => ({
  ...row,
  seq: Number(row.seq),
  amount: Number(row.amount),
});

/** A page of one engagement's time logs. */
export interface TimeLogPage {
  engagementId: string;
  first: number;
  after?: string;
}

/** What a new (PENDING) time log is made of. */
export interface NewTimeLog {
  engagementId: string;
  timesheetId: string;
  hours: number;
  date: string;
  note: string;
  /** Who logs them: their home team now is who will be paid for these hours. */
  workerId: string;
}

/** An unsettled log's columns over TIME_LOG_FROM and the payee team's account `a`. */
const UNSETTLED_COLUMNS = `l.id, l.hours, l.hours * g.rate_per_hour AS amount,
  l.payee_team_id AS "payeeTeamId", a.id AS "payeeAccountId"`;
const UNSETTLED_FROM = `${TIME_LOG_FROM}
  LEFT JOIN account a ON a.kind = 'TEAM' AND a.owner_id = l.payee_team_id`;

/** Logged hours being settled: what they are worth and to whom. */
export interface UnsettledLog {
  id: string;
  hours: number;
  amount: number;
  payeeTeamId: string;
  /** The payee team's account, which a payment goes to (null: none, which settling refuses). */
  payeeAccountId: string | null;
}

/** The `time_log` table. */
@Injectable()
export class TimeLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tx: Db, log: NewTimeLog): Promise<TimeLog> {
    const [row] = await rows<TimeLogRow>(
      tx,
      `WITH l AS (
         INSERT INTO time_log (engagement_id, timesheet_id, hours, work_date, note, payee_team_id)
         SELECT $1::uuid, $2::uuid, $3::int, $4::date, $5::text, e.home_team_id
           FROM employee e WHERE e.id = $6
         RETURNING *
       )
       SELECT ${TIME_LOG_COLUMNS} FROM l JOIN engagement g ON g.id = l.engagement_id`,
      [log.engagementId, log.timesheetId, log.hours, log.date, log.note, log.workerId],
    );
    if (!row) throw notFound('Employee');
    return toTimeLog(row);
  }

  /**
   * A timesheet's logs in `status` (all of them, or those of `ids`), row-locked: what an
   * approval, a dispute or a decision settles. Only logs still in that status come back, so
   * hours are never settled twice.
   */
  lockInStatus(
    tx: Db,
    timesheetId: string,
    status: TimeLogStatus,
    ids?: readonly string[],
  ): Promise<UnsettledLog[]> {
    return rows<UnsettledLog>(
      tx,
      `SELECT ${UNSETTLED_COLUMNS} FROM ${UNSETTLED_FROM}
        WHERE l.timesheet_id = $1 AND l.status = $2 AND ($3::uuid[] IS NULL OR l.id = ANY($3))
        ORDER BY l.seq FOR UPDATE OF l`,
      [timesheetId, status, ids ?? null],
    );
  }

  /** A dispute's DISPUTED logs, row-locked. */
  lockDisputed(tx: Db, disputeId: string): Promise<UnsettledLog[]> {
    return rows<UnsettledLog>(
      tx,
      `SELECT ${UNSETTLED_COLUMNS} FROM ${UNSETTLED_FROM}
        WHERE l.dispute_id = $1 AND l.status = 'DISPUTED' ORDER BY l.seq FOR UPDATE OF l`,
      [disputeId],
    );
  }

  /** The teams a dispute's hours would be paid to (a log's payee never changes). */
  async payeeTeamIdsOfDispute(db: Db, disputeId: string): Promise<string[]> {
    const found = await rows<{ teamId: string }>(
      db,
      `SELECT DISTINCT payee_team_id AS "teamId" FROM time_log WHERE dispute_id = $1`,
      [disputeId],
    );
    return found.map((r) => r.teamId);
  }

  /** Puts locked PENDING logs under a dispute. */
  async markDisputed(tx: Db, ids: readonly string[], disputeId: string): Promise<void> {
    await tx.query(
      `UPDATE time_log SET status = 'DISPUTED', dispute_id = $2 WHERE id = ANY($1) AND status = 'PENDING'`,
      [ids, disputeId],
    );
  }

  /** Settles locked logs: paid (APPROVED) or refunded (REFUNDED) by `transferId`. */
  async markSettled(
    tx: Db,
    ids: readonly string[],
    status: TimeLogStatus.APPROVED | TimeLogStatus.REFUNDED,
    transferId: string,
  ): Promise<void> {
    await tx.query(
      `UPDATE time_log SET status = $2, transfer_id = $3, settled_at = now()
        WHERE id = ANY($1) AND status IN ('PENDING', 'DISPUTED')`,
      [ids, status, transferId],
    );
  }

  /**
   * What the need's escrow must still hold for hours under review (PENDING or DISPUTED):
   * hours × rate over its engagements' logs.
   */
  async underReviewValueOfNeed(tx: Db, needId: string): Promise<number> {
    const row = await firstRow<{ value: string }>(
      tx,
      `SELECT coalesce(sum(l.hours * g.rate_per_hour), 0) AS value FROM ${TIME_LOG_FROM}
        WHERE g.need_id = $1 AND l.status IN ('PENDING', 'DISPUTED')`,
      [needId],
    );
    return Number(row?.value ?? 0);
  }

  /** The time log, or undefined. Reads through `db` (a replay's transaction) when given. */
  async findById(id: string, db: Db = this.dataSource): Promise<TimeLog | undefined> {
    const row = await firstRow<TimeLogRow>(
      db,
      `SELECT ${TIME_LOG_COLUMNS} FROM ${TIME_LOG_FROM} WHERE l.id = $1`,
      [id],
    );
    return row && toTimeLog(row);
  }

  /**
   * One page of several engagements' time logs (oldest first) in one statement: logs are
   * numbered per engagement and each keeps its first `first + 1` after the cursor. Pages asked
   * with different `first`/`after` are batched separately.
   */
  readonly page = new BatchLoader<TimeLogPage, TimeLog[], string>(
    async (pages) => {
      const groups = new Map<string, TimeLogPage[]>();
      for (const page of pages) {
        const key = `${page.first}:${page.after ?? ''}`;
        groups.set(key, [...(groups.get(key) ?? []), page]);
      }
      const results = new Map<TimeLogPage, TimeLog[]>();
      for (const group of groups.values()) {
        const { first, after } = group[0];
        const engagementIds = group.map((p) => p.engagementId);
        const params = new SqlParams();
        const engagements = params.add(engagementIds);
        const cursor = cursorCondition([{ sql: 'l.seq', holds: 'bigint' }], after, params);
        const limit = params.add(first + 1);
        const found = await rows<TimeLogRow>(
          this.dataSource,
          `SELECT * FROM (
             SELECT ${TIME_LOG_COLUMNS},
                    row_number() OVER (PARTITION BY l.engagement_id ORDER BY l.seq) AS position
               FROM ${TIME_LOG_FROM}
              WHERE l.engagement_id = ANY(${engagements}) AND ${cursor}
           ) numbered WHERE position <= ${limit} ORDER BY position`,
          params.values,
        );
        const byEngagement = groupedByKey(
          engagementIds,
          found.map(toTimeLog),
          (l) => l.engagementId,
        );
        group.forEach((page, i) => results.set(page, byEngagement[i]));
      }
      return pages.map((page) => results.get(page)!);
    },
    { cacheKeyFn: (page) => `${page.engagementId}:${page.first}:${page.after ?? ''}` },
  );

  /** How many time logs each engagement has. */
  readonly countByEngagement = new BatchLoader<string, number>(async (engagementIds) => {
    const found = await rows<{ engagementId: string; count: number }>(
      this.dataSource,
      `SELECT engagement_id AS "engagementId", count(*)::int AS count FROM time_log
        WHERE engagement_id = ANY($1) GROUP BY engagement_id`,
      [[...engagementIds]],
    );
    return byKey(engagementIds, found, (r) => r.engagementId, undefined).map((r) => r?.count ?? 0);
  });

  /** Each timesheet's logs, oldest first. */
  readonly ofTimesheet = new BatchLoader<string, TimeLog[]>(async (timesheetIds) => {
    const found = await rows<TimeLogRow>(
      this.dataSource,
      `SELECT ${TIME_LOG_COLUMNS} FROM ${TIME_LOG_FROM} WHERE l.timesheet_id = ANY($1) ORDER BY l.seq`,
      [[...timesheetIds]],
    );
    return groupedByKey(timesheetIds, found.map(toTimeLog), (l) => l.timesheetId);
  });

  /** Each dispute's logs, oldest first. */
  readonly ofDispute = new BatchLoader<string, TimeLog[]>(async (disputeIds) => {
    const found = await rows<TimeLogRow>(
      this.dataSource,
      `SELECT ${TIME_LOG_COLUMNS} FROM ${TIME_LOG_FROM} WHERE l.dispute_id = ANY($1) ORDER BY l.seq`,
      [[...disputeIds]],
    );
    return groupedByKey(disputeIds, found.map(toTimeLog), (l) => l.disputeId!);
  });
}
