import { Global, Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { UnitOfWork } from './unit-of-work.js';

/**
 * The unit of work every mutation runs in. Global, like the data source it wraps
 * (Transactions, from the database module); its AuditTrail comes from the (global) audit module,
 * its ActorGate from the (global) ActorGateModule of the employee module.
 */
@Global()
@Module({
  imports: [IdempotencyModule],
  providers: [UnitOfWork],
  exports: [UnitOfWork],
})
export class UnitOfWorkModule {}
