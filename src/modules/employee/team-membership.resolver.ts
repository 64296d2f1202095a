import { Args, Int, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { AdminOnly } from '../../common/auth/access.js';
import type { Actor } from '../../common/auth/actor.js';
import { toConnection } from '../../common/graphql/connection.js';
import { CurrentActor, Loaders } from '../../common/graphql/decorators.js';
import type { RequestLoaders } from '../../common/graphql/request-loaders.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import { Team } from '../team/team.model.js';
import { TeamService } from '../team/team.service.js';
import { AddTeamMemberInput } from './dto/add-team-member.input.js';
import { TeamMembersArgs } from './dto/employees.args.js';
import { Employee, TeamMembership, TeamMembershipConnection } from './employee.model.js';
import { AddTeamMemberPayload } from './employee.payloads.js';
import { EmployeeService } from './employee.service.js';
import { MAX_LEADS_PER_TEAM } from './team-membership.entity.js';

/** Who belongs to which team: the membership itself and the team's side of it. */
@Resolver(() => TeamMembership)
export class TeamMembershipResolver {
  constructor(
    private readonly employees: EmployeeService,
    private readonly teams: TeamService,
  ) {}

  @Mutation(() => AddTeamMemberPayload, { description: 'Admin only.' })
  @AdminOnly()
  async addTeamMember(
    @Args('input') input: AddTeamMemberInput,
    @CurrentActor() actor: Actor,
  ): Promise<AddTeamMemberPayload> {
    return { membership: await this.employees.addTeamMember(input, actor.id) };
  }

  @ResolveField(() => Team)
  async team(membership: TeamMembership, _: unknown, { loaders }: GraphQLContext): Promise<Team> {
    return (await loaders.get(this.teams.byId).load(membership.teamId))!;
  }

  @ResolveField(() => Employee)
  async employee(
    membership: TeamMembership,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Employee> {
    return (await loaders.get(this.employees.byId).load(membership.employeeId))!;
  }
}

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
