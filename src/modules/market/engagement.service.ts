import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../../common/auth/actor.js';
import {
  badInput,
  conflict,
  forbidden,
  invalidTransition,
  notFound,
} from '../../common/errors/domain-error.js';
import { isConstraintViolation } from '../../common/errors/postgres-errors.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { cursorCondition, keysetPage, SqlParams } from '../../database/keyset.js';
import { BatchLoader, byKey, groupedByKey } from '../../common/graphql/request-loaders.js';
import { UnitOfWork } from '../../common/unit-of-work/unit-of-work.js';
import { modifiedRows, type Db } from '../../database/sql.js';
import { AuditService } from '../audit/audit.service.js';
import { CapacityService } from '../employee/capacity.service.js';
import { EmployeeService } from '../employee/employee.service.js';
import { AccountKind, TransferKind } from '../ledger/ledger.enums.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { LogTimeInput } from './dto/market-actions.input.js';
import { actsForBuyerSql } from './market-policy.js';
import { EngagementStatus } from './market.enums.js';
import type { Engagement, TimeLog } from './models/market.models.js';
import { NeedService } from './need.service.js';

export const ENGAGEMENT_COLUMNS = `g.id, g.seq, g.bid_id AS "bidId", g.need_id AS "needId", g.employee_id AS "employeeId",
  g.hours_per_week AS "hoursPerWeek", g.weeks, g.rate_per_hour AS "ratePerHour", g.total_hours AS "totalHours",
  g.logged_hours AS "loggedHours", g.status, g.created_at AS "startedAt", g.finished_at AS "finishedAt"`;

export type EngagementRow = Omit<Engagement, 'seq'> & { seq: string | number };
export const toEngagement = (row: EngagementRow): Engagement => ({ ...row, seq: Number(row.seq) });

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

export interface LogTimeResult {
  timeLog: TimeLog;
  engagement: Engagement;
}

/** Logging hours: each hour pays hours × rate from the need's escrow to the worker's home team. */
@Injectable()
export class EngagementService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly needs: NeedService,
    private readonly ledger: LedgerService,
    private readonly capacity: CapacityService,
    private readonly employees: EmployeeService,
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
  ) {}

  async logTime(input: LogTimeInput, actor: Actor): Promise<LogTimeResult> {
    if (input.date > tomorrow())
      throw badInput('input.date', 'input.date: work cannot be logged for a future day');
    return this.unitOfWork.run(
      {
        actor,
        idempotency: {
          operation: 'logTime',
          key: input.idempotencyKey,
          request: {
            engagementId: input.engagementId,
            hours: input.hours,
            date: input.date,
            note: input.note,
          },
          remember: (result) => ({ timeLogId: result.timeLog.id }),
          replay: async (tx, { timeLogId }) => {
            const [row] = (await tx.query(
              `SELECT ${TIME_LOG_COLUMNS} FROM time_log l JOIN transfer t ON t.id = l.transfer_id WHERE l.id = $1`,
              [timeLogId],
            )) as TimeLogRow[];
            return {
              timeLog: toTimeLog(row),
              engagement: await this.findById(input.engagementId, 'id', tx),
            };
          },
        },
      },
      (tx) => this.logNow(tx.manager, input, actor),
    );
  }

  private async logNow(
    manager: EntityManager,
    input: LogTimeInput,
    actor: Actor,
  ): Promise<LogTimeResult> {
    const current = await this.findById(input.engagementId, 'input.engagementId', manager);
    // SHARE on the need: closing it waits for hours being logged, and the other way round.
    const need = await this.needs.lock(manager, current.needId, 'SHARE');
    if (current.employeeId !== actor.id)
      throw forbidden('Only the engaged employee can log time on it');

    let updated: EngagementRow | undefined;
    try {
      [updated] = await modifiedRows<EngagementRow>(
        manager,
        `UPDATE engagement g SET logged_hours = logged_hours + $2,
                status = CASE WHEN logged_hours + $2 = total_hours THEN 'COMPLETED' ELSE status END::engagement_status,
                finished_at = CASE WHEN logged_hours + $2 = total_hours THEN now() ELSE finished_at END
          WHERE id = $1 AND status = 'ACTIVE'
          RETURNING ${ENGAGEMENT_COLUMNS}`,
        [current.id, input.hours],
      );
    } catch (error) {
      if (isConstraintViolation(error, 'engagement_logged_hours_check')) {
        const left = current.totalHours - current.loggedHours;
        throw conflict(`Only ${left} hours are left to log on this engagement`, 'input.hours');
      }
      throw error;
    }
    if (!updated)
      throw invalidTransition(`The engagement is ${current.status}: no more time can be logged`);
    const engagement = toEngagement(updated);

    const homeTeamId = await this.employees.homeTeamIdOf(manager, actor.id);
    const transfer = await this.ledger.transfer(manager, {
      fromAccountId: need.escrowAccountId,
      toAccountId: await this.ledger.accountIdOf(manager, AccountKind.TEAM, homeTeamId),
      amount: input.hours * engagement.ratePerHour,
      kind: TransferKind.TIME_PAYMENT,
      idempotencyKey: input.idempotencyKey,
      memo: `${input.hours} h on "${need.title}"`,
    });
    const [timeLog] = (await manager.query(
      `WITH l AS (
         INSERT INTO time_log (engagement_id, hours, work_date, note, transfer_id)
         VALUES ($1, $2, $3, $4, $5) RETURNING *
       )
       SELECT ${TIME_LOG_COLUMNS} FROM l JOIN transfer t ON t.id = l.transfer_id`,
      [engagement.id, input.hours, input.date, input.note, transfer.id],
    )) as TimeLogRow[];
    if (engagement.status === EngagementStatus.COMPLETED) {
      await this.capacity.release(manager, actor.id, engagement.hoursPerWeek);
    }
    await this.audit.record(manager, {
      actorId: actor.id,
      action: 'engagement.logTime',
      subjectType: 'Engagement',
      subjectId: engagement.id,
      payload: {
        hours: input.hours,
        date: input.date,
        paid: transfer.amount,
        transferId: transfer.id,
        status: engagement.status,
      },
    });
    return { timeLog: toTimeLog(timeLog), engagement };
  }

  async findById(id: string, field = 'id', db: Db = this.dataSource): Promise<Engagement> {
    const [row] = (await db.query(
      `SELECT ${ENGAGEMENT_COLUMNS} FROM engagement g WHERE g.id = $1`,
      [id],
    )) as EngagementRow[];
    if (!row) throw notFound('Engagement', field);
    return toEngagement(row);
  }

  readonly byId = new BatchLoader<string, Engagement | null>(async (ids) => {
    const rows = (await this.dataSource.query(
      `SELECT ${ENGAGEMENT_COLUMNS} FROM engagement g WHERE g.id = ANY($1)`,
      [[...ids]],
    )) as EngagementRow[];
    return byKey(ids, rows.map(toEngagement), (e) => e.id);
  });

  readonly byBid = new BatchLoader<string, Engagement | null>(async (bidIds) => {
    const rows = (await this.dataSource.query(
      `SELECT ${ENGAGEMENT_COLUMNS} FROM engagement g WHERE g.bid_id = ANY($1)`,
      [[...bidIds]],
    )) as EngagementRow[];
    return byKey(bidIds, rows.map(toEngagement), (e) => e.bidId);
  });

  /**
   * Engagements of needs, as the actor may see them: all of them to the buyer's leads, one's
   * own to a worker. Key: the need and who is looking.
   */
  readonly visibleByNeed = new BatchLoader<{ needId: string; actor: Actor }, Engagement[], string>(
    async (keys) => {
      const byActor = new Map<string, { needId: string; actor: Actor }[]>();
      for (const key of keys)
        byActor.set(key.actor.id, [...(byActor.get(key.actor.id) ?? []), key]);
      const results = new Map<string, Engagement[]>();
      for (const group of byActor.values()) {
        const actor = group[0].actor;
        const needIds = group.map((key) => key.needId);
        const params = new SqlParams();
        const needs = params.add(needIds);
        const visible = `(g.employee_id = ${params.add(actor.id)} OR ${actsForBuyerSql(actor, params)})`;
        const rows = (await this.dataSource.query(
          `SELECT ${ENGAGEMENT_COLUMNS} FROM engagement g JOIN need n ON n.id = g.need_id
            WHERE g.need_id = ANY(${needs}) AND ${visible} ORDER BY g.seq`,
          params.values,
        )) as EngagementRow[];
        const byNeed = groupedByKey(needIds, rows.map(toEngagement), (e) => e.needId);
        needIds.forEach((needId, i) => results.set(`${needId}:${actor.id}`, byNeed[i]));
      }
      return keys.map((key) => results.get(`${key.needId}:${key.actor.id}`)!);
    },
    { cacheKeyFn: (key) => `${key.needId}:${key.actor.id}` },
  );

  /**
   * One page of several engagements' time logs (oldest first) in one statement: logs are
   * numbered per engagement and each keeps its first `first + 1` after the cursor. Pages asked
   * with different `first`/`after` are batched separately.
   */
  readonly timeLogPage = new BatchLoader<TimeLogPage, TimeLog[], string>(
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
        const rows = (await this.dataSource.query(
          `SELECT * FROM (
             SELECT ${TIME_LOG_COLUMNS},
                    row_number() OVER (PARTITION BY l.engagement_id ORDER BY l.seq) AS position
               FROM time_log l JOIN transfer t ON t.id = l.transfer_id
              WHERE l.engagement_id = ANY(${engagements}) AND ${cursor}
           ) numbered WHERE position <= ${limit} ORDER BY position`,
          params.values,
        )) as TimeLogRow[];
        const byEngagement = groupedByKey(
          engagementIds,
          rows.map(toTimeLog),
          (l) => l.engagementId,
        );
        group.forEach((page, i) => results.set(page, byEngagement[i]));
      }
      return pages.map((page) => results.get(page)!);
    },
    { cacheKeyFn: (page) => `${page.engagementId}:${page.first}:${page.after ?? ''}` },
  );

  readonly timeLogCount = new BatchLoader<string, number>(async (engagementIds) => {
    const rows = (await this.dataSource.query(
      `SELECT engagement_id AS "engagementId", count(*)::int AS count FROM time_log
        WHERE engagement_id = ANY($1) GROUP BY engagement_id`,
      [[...engagementIds]],
    )) as { engagementId: string; count: number }[];
    return byKey(engagementIds, rows, (r) => r.engagementId, undefined).map((r) => r?.count ?? 0);
  });

  /** An employee's engagements, newest first. */
  engagementsOf(
    employeeId: string,
    first: number,
    after?: string,
    status?: EngagementStatus,
  ): Promise<ConnectionResult<Engagement>> {
    const params = new SqlParams();
    const where = [`g.employee_id = ${params.add(employeeId)}`];
    if (status) where.push(`g.status = ${params.add(status)}`);
    return keysetPage<EngagementRow, Engagement>((sql, p) => this.dataSource.query(sql, p), {
      select: ENGAGEMENT_COLUMNS,
      from: 'engagement g',
      where,
      params,
      orderBy: [{ sql: 'g.seq', holds: 'bigint' }],
      descending: true,
      sortKey: (e) => [e.seq],
      map: toEngagement,
      first,
      after,
    });
  }
}

/** Tomorrow in UTC, as YYYY-MM-DD: work dated up to then is accepted (time zones differ). */
function tomorrow(): string {
  return new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}
