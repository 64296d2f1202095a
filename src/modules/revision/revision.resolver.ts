import { ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { Employee } from '../employee/employee.model.js';
import { EmployeeService } from '../employee/employee.service.js';
import { Revision } from './models/revision.models.js';

@Resolver(() => Revision)
export class RevisionResolver {
  constructor(private readonly employeeService: EmployeeService) {}

  @ResolveField(() => Employee, { description: 'Who made the edit.' })
  editor(revision: Revision, _: unknown, { loaders }: GraphQLContext): Promise<Employee> {
    return loaders.loadRequired(this.employeeService.byId, revision.editorId, 'Employee');
  }
}
