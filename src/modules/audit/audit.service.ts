import { Injectable } from '@nestjs/common';
import { AuditTrail, type AuditRecord } from '../../common/unit-of-work/audit-trail.js';
import type { Db } from '../../database/sql.js';
import { EventRepository } from './event.repository.js';

export type { AuditRecord };

/** Appends audit events. Always called with the transaction's manager, so an event exists exactly when its change does. */
@Injectable()
export class AuditService implements AuditTrail {
  constructor(private readonly events: EventRepository) {}

  append(tx: Db, record: AuditRecord): Promise<void> {
    return this.events.append(tx, record);
  }

  record(manager: Db, record: AuditRecord): Promise<void> {
    return this.events.append(manager, record);
  }
}
