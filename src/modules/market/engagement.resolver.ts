import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { MAX_NEED_WEEKS } from './dto/post-need.input.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import type { Actor } from '../../common/auth/actor.js';
import { forbidden } from '../../common/errors/domain-error.js';
import { CreditsScalar } from '../../common/graphql/credits.scalar.js';
import { ConnectionArgs, toConnection } from '../../common/graphql/connection.js';
import { CurrentActor, Loaders } from '../../common/graphql/decorators.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import type { RequestLoaders } from '../../common/graphql/request-loaders.js';
import { UuidPipe } from '../../common/validation/uuid.pipe.js';
import { Employee } from '../employee/employee.model.js';
import { EmployeeService } from '../employee/employee.service.js';
import { BidService } from './bid.service.js';
import { LogTimeInput } from './dto/market-actions.input.js';
import { EngagementService } from './engagement.service.js';
import { maySeeEngagement } from './market-policy.js';
import { Bid, Engagement, Need, TimeLogConnection } from './models/market.models.js';
import { LogTimePayload } from './models/market.payloads.js';
import { Timesheet } from './models/timesheet.models.js';
import { NeedService } from './need.service.js';
import { TimesheetRepository } from './timesheet.repository.js';

@Resolver(() => Engagement)
export class EngagementResolver {
  constructor(
    private readonly engagementService: EngagementService,
    private readonly needService: NeedService,
    private readonly bidService: BidService,
    private readonly employeeService: EmployeeService,
    private readonly timesheetRepository: TimesheetRepository,
  ) {}

  @Query(() => Engagement, { description: "For the engaged employee and the buying team's leads." })
  async engagement(
    @Args('id', { type: () => ID }, UuidPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<Engagement> {
    const engagement = await this.engagementService.findById(id);
    const need = await this.needService.findById(engagement.needId);
    if (!maySeeEngagement(actor, engagement, need)) {
      throw forbidden("Only the engaged employee and the buying team's leads see an engagement");
    }
    return engagement;
  }

  @Mutation(() => LogTimePayload, {
    description:
      'Logs hours worked on your engagement for the buyer’s weekly review: they are paid to your home team once their week is approved (or its review window passes undisputed).',
  })
  logTime(
    @Args('input') input: LogTimeInput,
    @CurrentActor() actor: Actor,
  ): Promise<LogTimePayload> {
    return this.engagementService.logTime(input, actor);
  }

  @ResolveField(() => Int)
  remainingHours(engagement: Engagement): number {
    return engagement.totalHours - engagement.loggedHours;
  }

  @ResolveField(() => CreditsScalar, {
    description: 'totalHours × ratePerHour: what the escrow held for it.',
  })
  budget(engagement: Engagement): number {
    return engagement.totalHours * engagement.ratePerHour;
  }

  @ResolveField(() => CreditsScalar, {
    description: 'Paid so far: approved hours × ratePerHour (hours under review are not paid).',
  })
  async paid(engagement: Engagement, _: unknown, { loaders }: GraphQLContext): Promise<number> {
    const weeks = await loaders.get(this.timesheetRepository.ofEngagement).load(engagement.id);
    return weeks.reduce((sum, week) => sum + week.approvedHours, 0) * engagement.ratePerHour;
  }

  @ResolveField(() => [Timesheet], {
    description: atMost(
      MAX_NEED_WEEKS,
      'Its weeks with hours logged, oldest first, with how the buyer reviewed them.',
    ),
  })
  @MaxItems(MAX_NEED_WEEKS)
  timesheets(
    engagement: Engagement,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Timesheet[]> {
    return loaders.get(this.timesheetRepository.ofEngagement).load(engagement.id);
  }

  @ResolveField(() => Need)
  need(engagement: Engagement, _: unknown, { loaders }: GraphQLContext): Promise<Need> {
    return loaders.loadRequired(this.needService.byId, engagement.needId, 'Need');
  }

  @ResolveField(() => Bid)
  bid(engagement: Engagement, _: unknown, { loaders }: GraphQLContext): Promise<Bid> {
    return loaders.loadRequired(this.bidService.byId, engagement.bidId, 'Bid');
  }

  @ResolveField(() => Employee)
  employee(engagement: Engagement, _: unknown, { loaders }: GraphQLContext): Promise<Employee> {
    return loaders.loadRequired(this.employeeService.byId, engagement.employeeId, 'Employee');
  }

  // A page at a time: logged an hour at a time, 40 hours a week for 52 weeks, an engagement
  // holds 2 080 logs.
  @ResolveField(() => TimeLogConnection, { description: 'Oldest first.' })
  async timeLogs(
    @Parent() engagement: Engagement,
    @Args() args: ConnectionArgs,
    @Loaders() loaders: RequestLoaders,
  ): Promise<TimeLogConnection> {
    const rows = await loaders.get(this.engagementService.timeLogPage).load({
      engagementId: engagement.id,
      first: args.first,
      after: args.after,
    });
    return toConnection(
      rows,
      args.first,
      (log) => [log.seq],
      () => loaders.get(this.engagementService.timeLogCount).load(engagement.id),
    );
  }
}
