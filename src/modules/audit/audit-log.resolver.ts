import { Args, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AdminOnly } from '../../common/auth/access.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { Employee } from '../employee/employee.model.js';
import { EmployeeService } from '../employee/employee.service.js';
import { AuditEvent, AuditEventConnection } from './audit-event.model.js';
import { AuditLogService } from './audit-log.service.js';
import { AuditLogArgs } from './dto/audit-log.args.js';

@Resolver(() => AuditEvent)
export class AuditLogResolver {
  constructor(
    private readonly auditLogService: AuditLogService,
    private readonly employees: EmployeeService,
  ) {}

  @Query(() => AuditEventConnection, { description: 'Admin only. Newest first.' })
  @AdminOnly()
  auditLog(@Args() args: AuditLogArgs): Promise<AuditEventConnection> {
    return this.auditLogService.list(args.filter, args.first, args.after);
  }

  @ResolveField(() => Employee, { nullable: true, description: 'None for the system itself.' })
  actor(
    event: AuditEvent,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Employee | null> | null {
    return event.actorId ? loaders.get(this.employees.byId).load(event.actorId) : null;
  }
}
