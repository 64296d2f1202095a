import { ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { Employee } from '../employee/employee.model.js';
import { EmployeeService } from '../employee/employee.service.js';
import { Team } from '../team/team.model.js';
import { TeamService } from '../team/team.service.js';
import { Pledge } from './models/idea.models.js';

@Resolver(() => Pledge)
export class PledgeResolver {
  constructor(
    private readonly teamService: TeamService,
    private readonly employeeService: EmployeeService,
  ) {}

  @ResolveField(() => Team)
  team(pledge: Pledge, _: unknown, { loaders }: GraphQLContext): Promise<Team> {
    return loaders.loadRequired(this.teamService.byId, pledge.teamId, 'Team');
  }

  @ResolveField(() => Employee, { description: 'The lead who pledged.' })
  pledgedBy(pledge: Pledge, _: unknown, { loaders }: GraphQLContext): Promise<Employee> {
    return loaders.loadRequired(this.employeeService.byId, pledge.pledgedById, 'Employee');
  }
}
