import { Args, Mutation, ResolveField, Resolver } from '@nestjs/graphql';
import { AdminOnly } from '../../common/auth/access.js';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { Team } from '../team/team.model.js';
import { TeamService } from '../team/team.service.js';
import { AddTeamMemberInput } from './dto/add-team-member.input.js';
import { Employee, TeamMembership } from './employee.model.js';
import { AddTeamMemberPayload } from './employee.payloads.js';
import { EmployeeService } from './employee.service.js';

/** Who belongs to which team: adding members, and a membership's team and employee. */
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
  team(membership: TeamMembership, _: unknown, { loaders }: GraphQLContext): Promise<Team> {
    return loaders.loadRequired(this.teams.byId, membership.teamId, 'Team');
  }

  @ResolveField(() => Employee)
  employee(membership: TeamMembership, _: unknown, { loaders }: GraphQLContext): Promise<Employee> {
    return loaders.loadRequired(this.employees.byId, membership.employeeId, 'Employee');
  }
}
