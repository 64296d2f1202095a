import type { Db } from '../../database/sql.js';

/**
 * Whether the unit of work's actor may still act, asked first in its transaction: implemented by
 * the employee module, which owns the `employee` table (an abstract class so that Nest can inject
 * it without common/ importing modules/, as with AuditTrail).
 *
 * A request's actor is read when it arrives, before its transaction; a deactivation may commit
 * in between. So the gate reads the actor again inside the transaction and holds their row
 * (FOR KEY SHARE) until it ends, and `deactivateEmployee` locks that row FOR UPDATE before
 * anything else: the leaver's own changes and their deactivation take turns. A change either
 * commits first (and the deactivation then ends the work it made), or waits and is refused.
 */
export abstract class ActorGate {
  /** UNAUTHENTICATED unless the actor is an active employee; holds their row until the end. */
  abstract admit(tx: Db, actorId: string): Promise<void>;
}
