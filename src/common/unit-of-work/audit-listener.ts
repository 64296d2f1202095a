import type { AuditRecord } from './audit-trail.js';
import type { Tx } from './unit-of-work.js';

/**
 * Hears every audit event as it is recorded, in the same transaction (the notification module
 * writes the inboxes of the people it concerns): what it writes commits or rolls back with the
 * change. An abstract class, like AuditTrail, so that common/ imports no module.
 */
export abstract class AuditListener {
  abstract heard(tx: Tx, record: AuditRecord): Promise<void>;
}
