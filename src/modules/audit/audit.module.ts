import { TypeOrmModule } from '@nestjs/typeorm';
import { Module } from '@nestjs/common';
import { AuditService } from './audit.service.js';
import { EventEntity } from './event.entity.js';

/** The write side of the audit log, used by every domain module. */
@Module({
  imports: [TypeOrmModule.forFeature([EventEntity])],
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
