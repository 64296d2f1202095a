import { TypeOrmModule } from '@nestjs/typeorm';
import { Global, Module } from '@nestjs/common';
import { AuditTrail } from '../../common/unit-of-work/audit-trail.js';
import { AuditService } from './audit.service.js';
import { EventEntity } from './event.entity.js';
import { EventRepository } from './event.repository.js';
import { SecurityLog } from './security-log.js';

/** The write side of the audit log, used by every domain module (global: the unit of work appends through it). */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([EventEntity])],
  providers: [
    EventRepository,
    AuditService,
    SecurityLog,
    { provide: AuditTrail, useExisting: AuditService },
  ],
  exports: [EventRepository, AuditService, SecurityLog, AuditTrail],
})
export class AuditModule {}
