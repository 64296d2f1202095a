import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BatchLoader, byKey, groupedByKey } from '../../common/graphql/request-loaders.js';
import { cursorCondition, SqlParams } from '../../database/keyset.js';
import { firstRow, rows, type Db } from '../../database/sql.js';
import type { TimeLog } from './models/market.models.js';

/** Time log columns over `time_log l JOIN transfer t`: the amount is its payment's. */
const TIME_LOG_COLUMNS = `l.id, l.seq, l.engagement_id AS "engagementId", l.hours, to_char(l.work_date, 'YYYY-MM-DD') AS date,
  l.note, t.amount, l.created_at AS "loggedAt"`;

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

/** What a new time log is made of: the hours and the transfer that paid them. */
export interface NewTimeLog {
  engagementId: string;
  hours: number;
  date: string;
  note: string;
  transferId: string;
}

/** The `time_log` table (read with the transfer that paid each log). */
@Injectable()
export class TimeLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tx: Db, log: NewTimeLog): Promise<TimeLog> {
    const [row] = await rows<TimeLogRow>(
      tx,
      `WITH l AS (
         INSERT INTO time_log (engagement_id, hours, work_date, note, transfer_id)
         VALUES ($1, $2, $3, $4, $5) RETURNING *
       )
       SELECT ${TIME_LOG_COLUMNS} FROM l JOIN transfer t ON t.id = l.transfer_id`,
      [log.engagementId, log.hours, log.date, log.note, log.transferId],
    );
    return toTimeLog(row);
  }

  /** The time log, or undefined. Reads through `db` (a replay's transaction) when given. */
  async findById(id: string, db: Db = this.dataSource): Promise<TimeLog | undefined> {
    const row = await firstRow<TimeLogRow>(
      db,
      `SELECT ${TIME_LOG_COLUMNS} FROM time_log l JOIN transfer t ON t.id = l.transfer_id WHERE l.id = $1`,
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
               FROM time_log l JOIN transfer t ON t.id = l.transfer_id
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
}
