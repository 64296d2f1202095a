import { Module } from '@nestjs/common';
import { EmployeeModule } from '../employee/employee.module.js';
import { AuditLogResolver } from './audit-log.resolver.js';
import { AuditLogService } from './audit-log.service.js';

/** The read side of the audit log (the write side, AuditModule, sits below every domain module). */
@Module({ imports: [EmployeeModule], providers: [AuditLogService, AuditLogResolver] })
export class AuditLogModule {}
