import { Args, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AdminOnly } from '../../common/auth/access.js';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import { Employee } from '../employee/employee.model.js';
import { EmployeeService } from '../employee/employee.service.js';
import { DisputeService } from './dispute.service.js';
import { MAX_NEED_HOURS_PER_WEEK } from './dto/post-need.input.js';
import {
  AcceptDisputeInput,
  ContestDisputeInput,
  DisputesArgs,
  ResolveDisputeInput,
} from './dto/timesheet.inputs.js';
import { EngagementService } from './engagement.service.js';
import { Engagement, TimeLog } from './models/market.models.js';
import { SettleDisputePayload } from './models/market.payloads.js';
import {
  Timesheet,
  TimesheetDispute,
  TimesheetDisputeConnection,
} from './models/timesheet.models.js';
import { TimeLogRepository } from './time-log.repository.js';
import { TimesheetRepository } from './timesheet.repository.js';

/** Disputed hours: answered by the worker, decided by an admin who is neither side. */
@Resolver(() => TimesheetDispute)
export class DisputeResolver {
  constructor(
    private readonly disputeService: DisputeService,
    private readonly engagementService: EngagementService,
    private readonly employeeService: EmployeeService,
    private readonly timesheets: TimesheetRepository,
    private readonly timeLogRepository: TimeLogRepository,
  ) {}

  @Query(() => TimesheetDisputeConnection, {
    description: 'Admins: disputes newest first, e.g. the CONTESTED ones waiting for a decision.',
  })
  @AdminOnly()
  disputes(@Args() args: DisputesArgs): Promise<TimesheetDisputeConnection> {
    return this.disputeService.list(args.filter?.statuses, args.first, args.after ?? undefined);
  }

  @Mutation(() => SettleDisputePayload, {
    description:
      'The worker accepts a dispute of their hours: the disputed hours are refunded to the buyer and never paid.',
  })
  acceptDispute(
    @Args('input') input: AcceptDisputeInput,
    @CurrentActor() actor: Actor,
  ): Promise<SettleDisputePayload> {
    return this.disputeService.accept(input, actor);
  }

  @Mutation(() => TimesheetDispute, {
    description: 'The worker contests a dispute of their hours: an admin will decide.',
  })
  contestDispute(
    @Args('input') input: ContestDisputeInput,
    @CurrentActor() actor: Actor,
  ): Promise<TimesheetDispute> {
    return this.disputeService.contest(input, actor);
  }

  @Mutation(() => SettleDisputePayload, {
    description:
      'An admin who is neither the buyer nor the worker decides a dispute: PAY the hours or REFUND them to the buyer.',
  })
  // Refused before any lock is taken; the service keeps the "neither side" rule.
  @AdminOnly()
  resolveDispute(
    @Args('input') input: ResolveDisputeInput,
    @CurrentActor() actor: Actor,
  ): Promise<SettleDisputePayload> {
    return this.disputeService.resolve(input, actor);
  }

  @ResolveField(() => Timesheet)
  async timesheet(
    dispute: TimesheetDispute,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Timesheet> {
    return loaders.loadRequired(this.timesheets.byId, dispute.timesheetId, 'Timesheet');
  }

  @ResolveField(() => Engagement)
  engagement(
    dispute: TimesheetDispute,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Engagement> {
    return loaders.loadRequired(this.engagementService.byId, dispute.engagementId, 'Engagement');
  }

  @ResolveField(() => [TimeLog], {
    description: atMost(MAX_NEED_HOURS_PER_WEEK, 'The disputed time logs.'),
  })
  @MaxItems(MAX_NEED_HOURS_PER_WEEK)
  timeLogs(dispute: TimesheetDispute, _: unknown, { loaders }: GraphQLContext): Promise<TimeLog[]> {
    return loaders.get(this.timeLogRepository.ofDispute).load(dispute.id);
  }

  @ResolveField(() => Employee, { description: 'Who disputed the hours, for the buyer.' })
  openedBy(dispute: TimesheetDispute, _: unknown, { loaders }: GraphQLContext): Promise<Employee> {
    return loaders.loadRequired(this.employeeService.byId, dispute.openedBy, 'Employee');
  }

  @ResolveField(() => Employee, { nullable: true, description: 'The admin who decided.' })
  async decidedBy(
    dispute: TimesheetDispute,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Employee | null> {
    if (!dispute.decidedBy) return null;
    return loaders.loadRequired(this.employeeService.byId, dispute.decidedBy, 'Employee');
  }
}
