import { Args, Mutation, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { Employee } from '../employee/employee.model.js';
import { EmployeeService } from '../employee/employee.service.js';
import { InitiativeRefInput, JoinInitiativeInput } from './dto/initiative.inputs.js';
import { MembershipService } from './membership.service.js';
import { InitiativeMember } from './models/initiative.models.js';
import { InitiativePayload, JoinInitiativePayload } from './models/initiative.payloads.js';

/** Membership: joining and leaving an initiative, and who a member is. */
@Resolver(() => InitiativeMember)
export class InitiativeMemberResolver {
  constructor(
    private readonly membershipService: MembershipService,
    private readonly employeeService: EmployeeService,
  ) {}

  @Mutation(() => JoinInitiativePayload, {
    description:
      'Joins an active initiative with some hours a week, or changes them. Anyone may join.',
  })
  async joinInitiative(
    @Args('input') input: JoinInitiativeInput,
    @CurrentActor() actor: Actor,
  ): Promise<JoinInitiativePayload> {
    return { membership: await this.membershipService.join(input, actor) };
  }

  @Mutation(() => InitiativePayload, { description: 'Leaves an initiative, freeing your hours.' })
  async leaveInitiative(
    @Args('input') input: InitiativeRefInput,
    @CurrentActor() actor: Actor,
  ): Promise<InitiativePayload> {
    return { initiative: await this.membershipService.leave(input.initiativeId, actor) };
  }

  @ResolveField(() => Employee)
  employee(member: InitiativeMember, _: unknown, { loaders }: GraphQLContext): Promise<Employee> {
    // Read with the membership when it came from the initiative's member list.
    if (member.employee) return Promise.resolve(member.employee);
    return loaders.loadRequired(this.employeeService.byId, member.employeeId, 'Employee');
  }
}
