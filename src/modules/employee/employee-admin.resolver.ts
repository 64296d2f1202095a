import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { AdminOnly } from '../../common/auth/access.js';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import { ReactivateEmployeeInput } from './dto/leaver.inputs.js';
import { MoveEmployeeInput } from './dto/move-employee.input.js';
import { UpdateEmployeeInput } from './dto/update-employee.input.js';
import { Employee } from './employee.model.js';
import {
  MoveEmployeePayload,
  ReactivateEmployeePayload,
  UpdateEmployeePayload,
} from './employee.payloads.js';
import { EmployeeAdminService } from './employee-admin.service.js';

/** Admins' changes to people: details, capacity and home team. */
@Resolver(() => Employee)
export class EmployeeAdminResolver {
  constructor(private readonly admin: EmployeeAdminService) {}

  @Mutation(() => UpdateEmployeePayload, {
    description:
      'Admin only. Changes the fields given; the capacity never goes below the hours already committed (CAPACITY_EXCEEDED).',
  })
  @AdminOnly()
  async updateEmployee(
    @Args('input') input: UpdateEmployeeInput,
    @CurrentActor() actor: Actor,
  ): Promise<UpdateEmployeePayload> {
    return { employee: await this.admin.update(input, actor) };
  }

  @Mutation(() => MoveEmployeePayload, {
    description:
      'Admin only. Changes the home team: hours logged from now on are paid to it, earlier ones to the team they were logged for.',
  })
  @AdminOnly()
  async moveEmployee(
    @Args('input') input: MoveEmployeeInput,
    @CurrentActor() actor: Actor,
  ): Promise<MoveEmployeePayload> {
    return { employee: await this.admin.move(input, actor) };
  }

  @Mutation(() => ReactivateEmployeePayload, {
    description:
      'Admin only. A deactivated employee may sign in again; nothing else of what deactivation ended comes back.',
  })
  @AdminOnly()
  async reactivateEmployee(
    @Args('input') input: ReactivateEmployeeInput,
    @CurrentActor() actor: Actor,
  ): Promise<ReactivateEmployeePayload> {
    return { employee: await this.admin.reactivate(input, actor) };
  }
}
