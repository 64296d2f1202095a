import type { Db } from '../../database/sql.js';

/** One audit event, as a domain change describes it. */
export interface AuditEvent {
  /** `<domain>.<verb>`: `team.create`, `ledger.allocate`. */
  action: string;
  subjectType: string;
  subjectId: string | null;
  payload?: Record<string, unknown>;
}

/** An audit event with who caused it (none for the system's own work, such as seeding). */
export interface AuditRecord extends AuditEvent {
  actorId: string | null;
}

/**
 * Where the unit of work appends audit events: implemented by the audit module, which owns the
 * `event` table (an abstract class so that Nest can inject it without common/ importing modules/).
 */
export abstract class AuditTrail {
  abstract append(tx: Db, record: AuditRecord): Promise<void>;
}
