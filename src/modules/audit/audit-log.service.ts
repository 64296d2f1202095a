import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { keysetPage, SqlParams } from '../../database/keyset.js';
import type { AuditEvent } from './audit-event.model.js';
import type { AuditLogFilter } from './dto/audit-log.args.js';

/** The read side of the audit log. */
@Injectable()
export class AuditLogService {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first. */
  list(
    filter: AuditLogFilter | undefined,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<AuditEvent>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (filter?.actorId) where.push(`actor_id = ${params.add(filter.actorId)}`);
    if (filter?.action) where.push(`action = ${params.add(filter.action)}`);
    if (filter?.subjectType) where.push(`subject_type = ${params.add(filter.subjectType)}`);
    if (filter?.subjectId) where.push(`subject_id = ${params.add(filter.subjectId)}`);
    if (filter?.since) where.push(`at >= ${params.add(filter.since)}`);
    if (filter?.until) where.push(`at < ${params.add(filter.until)}`);
    return keysetPage<AuditEvent & { seq: string }, AuditEvent>(
      (sql, p) => this.dataSource.query(sql, p),
      {
        select: `id, seq, actor_id AS "actorId", action, subject_type AS "subjectType", subject_id AS "subjectId", payload, at`,
        from: 'public.event',
        where,
        params,
        orderBy: [{ sql: 'seq', holds: 'bigint' }],
        descending: true,
        sortKey: (event) => [event.seq],
        map: (row) => ({ ...row, seq: Number(row.seq) }),
        first,
        after,
      },
    );
  }
}
