import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { notFound } from '../../common/errors/domain-error.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { BatchLoader, byKey, groupedByKey } from '../../common/graphql/request-loaders.js';
import { keysetPage, SqlParams } from '../../database/keyset.js';
import { firstRow, rows, type Db } from '../../database/sql.js';
import type { DisputeStatus } from './market.enums.js';
import type { TimesheetDispute } from './models/timesheet.models.js';

/** Dispute columns over `timesheet_dispute d JOIN engagement g`. */
const DISPUTE_COLUMNS = `d.id, d.seq, d.timesheet_id AS "timesheetId", d.engagement_id AS "engagementId",
  d.hours, d.hours * g.rate_per_hour AS amount, d.status, d.reason, d.opened_by AS "openedBy",
  d.opened_at AS "openedAt", d.response, d.answered_at AS "answeredAt", d.decided_by AS "decidedBy",
  d.decided_at AS "decidedAt", d.decision_note AS "decisionNote"`;
const DISPUTE_FROM = 'timesheet_dispute d JOIN engagement g ON g.id = d.engagement_id';

type DisputeRow = Omit<TimesheetDispute, 'seq'> & { seq: string };
const toDispute = (row: DisputeRow): TimesheetDispute => ({ ...row, seq: Number(row.seq) });

export interface NewDispute {
  timesheetId: string;
  engagementId: string;
  hours: number;
  reason: string;
  openedBy: string;
}

/** The `timesheet_dispute` table. */
@Injectable()
export class DisputeRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tx: Db, dispute: NewDispute): Promise<TimesheetDispute> {
    const [row] = await rows<DisputeRow>(
      tx,
      `WITH d AS (
         INSERT INTO timesheet_dispute (timesheet_id, engagement_id, hours, reason, opened_by)
         VALUES ($1, $2, $3, $4, $5) RETURNING *
       )
       SELECT ${DISPUTE_COLUMNS} FROM d JOIN engagement g ON g.id = d.engagement_id`,
      [dispute.timesheetId, dispute.engagementId, dispute.hours, dispute.reason, dispute.openedBy],
    );
    return toDispute(row);
  }

  /** The dispute, row-locked for the rest of the transaction; NOT_FOUND on `field`. */
  async lock(tx: Db, id: string, field = 'disputeId'): Promise<TimesheetDispute> {
    const row = await firstRow<DisputeRow>(
      tx,
      `SELECT ${DISPUTE_COLUMNS} FROM ${DISPUTE_FROM} WHERE d.id = $1 FOR UPDATE OF d`,
      [id],
    );
    if (!row) throw notFound('TimesheetDispute', field);
    return toDispute(row);
  }

  /** The engagement a dispute is about (to lock in order: need, engagement, dispute). */
  async engagementIdOf(db: Db, id: string, field = 'disputeId'): Promise<string> {
    const row = await firstRow<{ engagementId: string }>(
      db,
      `SELECT engagement_id AS "engagementId" FROM timesheet_dispute WHERE id = $1`,
      [id],
    );
    if (!row) throw notFound('TimesheetDispute', field);
    return row.engagementId;
  }

  /** Whether the engagement has a dispute still OPEN or CONTESTED: it is paused. */
  async hasUnresolved(db: Db, engagementId: string): Promise<boolean> {
    const row = await firstRow<{ paused: boolean }>(
      db,
      `SELECT EXISTS (SELECT 1 FROM timesheet_dispute
        WHERE engagement_id = $1 AND status IN ('OPEN', 'CONTESTED')) AS paused`,
      [engagementId],
    );
    return row?.paused ?? false;
  }

  /** The worker's answer: CONCEDED, or CONTESTED with their reason. */
  async answer(
    tx: Db,
    id: string,
    status: DisputeStatus.CONCEDED | DisputeStatus.CONTESTED,
    response: string | null,
  ): Promise<TimesheetDispute> {
    return this.update(tx, id, `status = $2, response = $3, answered_at = now()`, [
      status,
      response,
    ]);
  }

  /** An admin's decision on a contested dispute. */
  async decide(
    tx: Db,
    id: string,
    status: DisputeStatus.PAID | DisputeStatus.REFUNDED,
    decidedBy: string,
    note: string,
  ): Promise<TimesheetDispute> {
    return this.update(
      tx,
      id,
      `status = $2, decided_by = $3, decision_note = $4, decided_at = now()`,
      [status, decidedBy, note],
    );
  }

  private async update(
    tx: Db,
    id: string,
    set: string,
    params: unknown[],
  ): Promise<TimesheetDispute> {
    const [row] = await rows<DisputeRow>(
      tx,
      `WITH d AS (UPDATE timesheet_dispute SET ${set} WHERE id = $1 RETURNING *)
       SELECT ${DISPUTE_COLUMNS} FROM d JOIN engagement g ON g.id = d.engagement_id`,
      [id, ...params],
    );
    return toDispute(row);
  }

  async findById(id: string, db: Db = this.dataSource): Promise<TimesheetDispute | undefined> {
    const row = await firstRow<DisputeRow>(
      db,
      `SELECT ${DISPUTE_COLUMNS} FROM ${DISPUTE_FROM} WHERE d.id = $1`,
      [id],
    );
    return row && toDispute(row);
  }

  readonly byId = new BatchLoader<string, TimesheetDispute | null>(async (ids) => {
    const found = await rows<DisputeRow>(
      this.dataSource,
      `SELECT ${DISPUTE_COLUMNS} FROM ${DISPUTE_FROM} WHERE d.id = ANY($1)`,
      [[...ids]],
    );
    return byKey(ids, found.map(toDispute), (d) => d.id);
  });

  /** Each timesheet's disputes, oldest first. */
  readonly ofTimesheet = new BatchLoader<string, TimesheetDispute[]>(async (timesheetIds) => {
    const found = await rows<DisputeRow>(
      this.dataSource,
      `SELECT ${DISPUTE_COLUMNS} FROM ${DISPUTE_FROM} WHERE d.timesheet_id = ANY($1) ORDER BY d.seq`,
      [[...timesheetIds]],
    );
    return groupedByKey(timesheetIds, found.map(toDispute), (d) => d.timesheetId);
  });

  /** Disputes newest first, optionally of some statuses (an admin's queue). */
  page(
    statuses: readonly DisputeStatus[] | undefined,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<TimesheetDispute>> {
    const params = new SqlParams();
    const where = statuses?.length ? [`d.status = ANY(${params.add(statuses)})`] : [];
    return keysetPage<DisputeRow, TimesheetDispute>((sql, p) => this.dataSource.query(sql, p), {
      select: DISPUTE_COLUMNS,
      from: DISPUTE_FROM,
      where,
      params,
      orderBy: [{ sql: 'd.seq', holds: 'bigint' }],
      descending: true,
      sortKey: (d) => [d.seq],
      map: toDispute,
      first,
      after,
    });
  }
}
