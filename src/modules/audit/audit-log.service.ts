import { Injectable } from '@nestjs/common';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import type { AuditEvent } from './audit-event.model.js';
import type { AuditLogFilter } from './dto/audit-log.args.js';
import { EventRepository } from './event.repository.js';

/** The read side of the audit log. */
@Injectable()
export class AuditLogService {
  constructor(private readonly events: EventRepository) {}

  /** Newest first. */
  list(
    filter: AuditLogFilter | undefined,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<AuditEvent>> {
    return this.events.page(filter ?? {}, first, after);
  }
}
