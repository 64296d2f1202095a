import { Args, Mutation, ResolveField, Resolver } from '@nestjs/graphql';
import { MAX_NEED_HOURS_PER_WEEK } from './dto/post-need.input.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import type { Actor } from '../../common/auth/actor.js';
import { CreditsScalar } from '../../common/graphql/credits.scalar.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { DisputeService } from './dispute.service.js';
import { ApproveTimesheetInput, DisputeTimesheetInput } from './dto/timesheet.inputs.js';
import { EngagementService } from './engagement.service.js';
import { Engagement, TimeLog } from './models/market.models.js';
import { ApproveTimesheetPayload, DisputeTimesheetPayload } from './models/market.payloads.js';
import { Timesheet, TimesheetDispute } from './models/timesheet.models.js';
import { TimeLogRepository } from './time-log.repository.js';
import { TimesheetService } from './timesheet.service.js';

/** A week of an engagement under the buyer's review. Seen by whoever sees its engagement. */
@Resolver(() => Timesheet)
export class TimesheetResolver {
  constructor(
    private readonly timesheetService: TimesheetService,
    private readonly engagementService: EngagementService,
    private readonly disputeService: DisputeService,
    private readonly timeLogRepository: TimeLogRepository,
  ) {}

  @Mutation(() => ApproveTimesheetPayload, {
    description:
      "Approves every pending hour of the week (buying team's leads, or the buying initiative's owner): they are paid from the need's escrow to the worker's home team.",
  })
  approveTimesheet(
    @Args('input') input: ApproveTimesheetInput,
    @CurrentActor() actor: Actor,
  ): Promise<ApproveTimesheetPayload> {
    return this.timesheetService.approve(input, actor);
  }

  @Mutation(() => DisputeTimesheetPayload, {
    description:
      'Disputes pending hours of the week (all of them, or the time logs named) before its review window ends. The engagement is paused until the worker concedes or an admin decides.',
  })
  disputeTimesheet(
    @Args('input') input: DisputeTimesheetInput,
    @CurrentActor() actor: Actor,
  ): Promise<DisputeTimesheetPayload> {
    return this.timesheetService.dispute(input, actor);
  }

  @ResolveField(() => CreditsScalar, { description: 'What its approved hours were paid.' })
  async paid(timesheet: Timesheet, _: unknown, { loaders }: GraphQLContext): Promise<number> {
    const engagement = await this.engagementOf(timesheet, loaders);
    return timesheet.approvedHours * engagement.ratePerHour;
  }

  @ResolveField(() => Engagement)
  engagement(timesheet: Timesheet, _: unknown, { loaders }: GraphQLContext): Promise<Engagement> {
    return this.engagementOf(timesheet, loaders);
  }

  // A week holds at most hoursPerWeek hours, each log at least one.
  @ResolveField(() => [TimeLog], { description: atMost(MAX_NEED_HOURS_PER_WEEK, 'Oldest first.') })
  @MaxItems(MAX_NEED_HOURS_PER_WEEK)
  timeLogs(timesheet: Timesheet, _: unknown, { loaders }: GraphQLContext): Promise<TimeLog[]> {
    return loaders.get(this.timeLogRepository.ofTimesheet).load(timesheet.id);
  }

  // Each dispute takes at least one of the week's hours.
  @ResolveField(() => [TimesheetDispute], {
    description: atMost(MAX_NEED_HOURS_PER_WEEK, 'Oldest first.'),
  })
  @MaxItems(MAX_NEED_HOURS_PER_WEEK)
  disputes(
    timesheet: Timesheet,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<TimesheetDispute[]> {
    return loaders.get(this.disputeService.ofTimesheet).load(timesheet.id);
  }

  private engagementOf(
    timesheet: Timesheet,
    loaders: GraphQLContext['loaders'],
  ): Promise<Engagement> {
    return loaders.loadRequired(this.engagementService.byId, timesheet.engagementId, 'Engagement');
  }
}
