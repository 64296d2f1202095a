import { Args, Mutation, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { Employee } from '../employee/employee.model.js';
import { EmployeeService } from '../employee/employee.service.js';
import {
  AddMilestoneInput,
  AssignMilestoneInput,
  CompleteMilestoneInput,
} from './dto/initiative.inputs.js';
import { MilestoneService } from './milestone.service.js';
import { Milestone } from './models/initiative.models.js';
import { MilestonePayload } from './models/initiative.payloads.js';

/** An initiative's milestones: adding, assigning and completing them; who may and who did. */
@Resolver(() => Milestone)
export class MilestoneResolver {
  constructor(
    private readonly milestoneService: MilestoneService,
    private readonly employeeService: EmployeeService,
  ) {}

  @Mutation(() => MilestonePayload, { description: "For the initiative's owner and members." })
  async addMilestone(
    @Args('input') input: AddMilestoneInput,
    @CurrentActor() actor: Actor,
  ): Promise<MilestonePayload> {
    return { milestone: await this.milestoneService.addMilestone(input, actor) };
  }

  @Mutation(() => MilestonePayload, {
    description:
      "For the initiative's owner: who may complete the milestone besides the owner (the owner or " +
      'a current member), or nobody. Assigning it to its assignee again changes nothing.',
  })
  async assignMilestone(
    @Args('input') input: AssignMilestoneInput,
    @CurrentActor() actor: Actor,
  ): Promise<MilestonePayload> {
    return { milestone: await this.milestoneService.assignMilestone(input, actor) };
  }

  @Mutation(() => MilestonePayload, {
    description: "For the initiative's owner and the milestone's assignee.",
  })
  async completeMilestone(
    @Args('input') input: CompleteMilestoneInput,
    @CurrentActor() actor: Actor,
  ): Promise<MilestonePayload> {
    return { milestone: await this.milestoneService.completeMilestone(input.milestoneId, actor) };
  }

  @ResolveField(() => Employee, {
    nullable: true,
    description: 'Who may complete it besides the owner; null: the owner alone.',
  })
  assignee(
    milestone: Milestone,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Employee | null> | null {
    return milestone.assigneeId
      ? loaders.get(this.employeeService.byId).load(milestone.assigneeId)
      : null;
  }

  @ResolveField(() => Employee, { nullable: true })
  completedBy(
    milestone: Milestone,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Employee | null> | null {
    return milestone.completedById
      ? loaders.get(this.employeeService.byId).load(milestone.completedById)
      : null;
  }
}
