import { Args, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { toConnection } from '../../common/graphql/connection.js';
import { Loaders } from '../../common/graphql/decorators.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import type { RequestLoaders } from '../../common/graphql/request-loaders.js';
import { Team } from '../team/team.model.js';
import { TeamMembersArgs } from './dto/employees.args.js';
import { Employee, TeamMembershipConnection } from './employee.model.js';
import { EmployeeService } from './employee.service.js';
import { MAX_LEADS_PER_TEAM } from './employee-limits.js';

/** A team's side of its memberships: its members, their count and its leads. */
@Resolver(() => Team)
export class TeamMembersResolver {
  constructor(private readonly employees: EmployeeService) {}

  @ResolveField(() => TeamMembershipConnection, { description: 'Everyone in the team, by name.' })
  async members(
    @Parent() team: Team,
    @Args() args: TeamMembersArgs,
    @Loaders() loaders: RequestLoaders,
  ): Promise<TeamMembershipConnection> {
    const rows = await loaders.get(this.employees.membersPage).load({
      teamId: team.id,
      first: args.first,
      after: args.after,
    });
    return toConnection(
      rows,
      args.first,
      (m) => [m.employeeName, m.employeeId],
      () => loaders.get(this.employees.memberCountByTeam).load(team.id),
    );
  }

  @ResolveField(() => Int)
  memberCount(team: Team, _: unknown, { loaders }: GraphQLContext): Promise<number> {
    return loaders.get(this.employees.memberCountByTeam).load(team.id);
  }

  @ResolveField(() => [Employee], {
    description: atMost(MAX_LEADS_PER_TEAM, 'The team leads, by name.'),
  })
  @MaxItems(MAX_LEADS_PER_TEAM)
  leads(team: Team, _: unknown, { loaders }: GraphQLContext): Promise<Employee[]> {
    return loaders.get(this.employees.leadsByTeam).load(team.id);
  }
}
