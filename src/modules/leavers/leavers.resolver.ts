import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { AdminOnly } from '../../common/auth/access.js';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import { DeactivateEmployeeInput } from '../employee/dto/leaver.inputs.js';
import { Employee } from '../employee/employee.model.js';
import { DeactivateEmployeePayload } from '../employee/employee.payloads.js';
import { LeaversService } from './leavers.service.js';

@Resolver(() => Employee)
export class LeaversResolver {
  constructor(private readonly leavers: LeaversService) {}

  @Mutation(() => DeactivateEmployeePayload, {
    description:
      'Admin only. Offboards a leaver at once: sign-in and every token refused, pending bids withdrawn, active engagements ended (hours logged stay for review, unlogged escrow returns to the buyer), initiative memberships ended, owned initiatives handed to the successor. Nothing is deleted.',
  })
  @AdminOnly()
  async deactivateEmployee(
    @Args('input') input: DeactivateEmployeeInput,
    @CurrentActor() actor: Actor,
  ): Promise<DeactivateEmployeePayload> {
    return { employee: await this.leavers.deactivate(input, actor) };
  }
}
