import { TypeOrmModule } from '@nestjs/typeorm';
import { Module } from '@nestjs/common';
import { AuditService } from './audit.service.js';
import { EventEntity } from './event.entity.js';
import { SecurityLog } from './security-log.js';

/** The write side of the audit log, used by every domain module. */
@Module({
  imports: [TypeOrmModule.forFeature([EventEntity])],
  providers: [AuditService, SecurityLog],
  exports: [AuditService, SecurityLog],
})
export class AuditModule {}
