import { Injectable } from '@nestjs/common';
import { AuditTrail, type AuditRecord } from '../../common/unit-of-work/audit-trail.js';
import type { Db } from '../../database/sql.js';

export type { AuditRecord };

/** Appends audit events. Always called with the transaction's manager, so an event exists exactly when its change does. */
@Injectable()
export class AuditService implements AuditTrail {
  append(tx: Db, record: AuditRecord): Promise<void> {
    return this.record(tx, record);
  }

  async record(manager: Db, record: AuditRecord): Promise<void> {
    // Named in full: a temporary table called event, or one in a schema earlier in the search
    // path, would otherwise take the connection's events where nobody else sees them.
    await manager.query(
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
}
