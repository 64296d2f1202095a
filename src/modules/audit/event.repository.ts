import { Injectable } from '@nestjs/common';
import { ReadDb } from '../../database/read-db.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import type { AuditRecord } from '../../common/unit-of-work/audit-trail.js';
import { keysetPage, SqlParams } from '../../database/keyset.js';
import type { Db } from '../../database/sql.js';
import type { AuditEvent } from './audit-event.model.js';

const EVENT_COLUMNS = `id, seq, actor_id AS "actorId", action, subject_type AS "subjectType", subject_id AS "subjectId", payload, at`;

/** A row of `event`: `seq` is a bigint, which the driver hands over as text. */
type EventRow = Omit<AuditEvent, 'seq'> & { seq: string };

const toAuditEvent = (row: EventRow): AuditEvent => ({ ...row, seq: Number(row.seq) });

/** Which events an audit log page holds (all conditions apply). */
export interface EventFilter {
  actorId?: string;
  action?: string;
  subjectType?: string;
  subjectId?: string;
  /** At or after this instant. */
  since?: Date;
  /** Before this instant. */
  until?: Date;
}

/**
 * The `event` table, the audit log: insert and read only (PostgreSQL refuses every UPDATE,
 * DELETE and TRUNCATE of it, and stamps `seq` and `at` itself).
 */
@Injectable()
export class EventRepository {
  /** Stale-tolerant reads: the read replica when this request may use it (README). */
  constructor(private readonly reads: ReadDb) {}

  /** Appends one event, in `db`'s transaction when it is one. */
  async append(db: Db, record: AuditRecord): Promise<void> {
    // Named in full: a temporary table called event, or one in a schema earlier in the search
    // path, would otherwise take the connection's events where nobody else sees them.
    await db.query(
      `INSERT INTO public.event (actor_id, action, subject_type, subject_id, payload)
       VALUES ($1, $2, $3, $4, $5::jsonb)`,
      [
        record.actorId,
        record.action,
        record.subjectType,
        record.subjectId,
        JSON.stringify(record.payload ?? {}),
      ],
    );
  }

  /** Newest first. */
  page(filter: EventFilter, first: number, after?: string): Promise<ConnectionResult<AuditEvent>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (filter.actorId) where.push(`actor_id = ${params.add(filter.actorId)}`);
    if (filter.action) where.push(`action = ${params.add(filter.action)}`);
    if (filter.subjectType) where.push(`subject_type = ${params.add(filter.subjectType)}`);
    if (filter.subjectId) where.push(`subject_id = ${params.add(filter.subjectId)}`);
    if (filter.since) where.push(`at >= ${params.add(filter.since)}`);
    if (filter.until) where.push(`at < ${params.add(filter.until)}`);
    return keysetPage<EventRow, AuditEvent>((sql, p) => this.reads.query(sql, p), {
      select: EVENT_COLUMNS,
      from: 'public.event',
      where,
      params,
      orderBy: [{ sql: 'seq', holds: 'bigint' }],
      descending: true,
      sortKey: (event) => [event.seq],
      map: toAuditEvent,
      first,
      after,
    });
  }
}
