import { Args, ID, Int, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor.js';
import { forbidden } from '../../common/errors/domain-error.js';
import { CreditsScalar } from '../../common/graphql/credits.scalar.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { UuidPipe } from '../../common/validation/uuid.pipe.js';
import { Employee } from '../employee/employee.model.js';
import { EmployeeService } from '../employee/employee.service.js';
import { BidService } from './bid.service.js';
import { LogTimeInput } from './dto/market-actions.input.js';
import { EngagementService } from './engagement.service.js';
import { actsForBuyer } from './market-policy.js';
import { Bid, Engagement, Need, TimeLog } from './models/market.models.js';
import { LogTimePayload } from './models/market.payloads.js';
import { NeedService } from './need.service.js';

@Resolver(() => Engagement)
export class EngagementResolver {
  constructor(
    private readonly engagementService: EngagementService,
    private readonly needService: NeedService,
    private readonly bidService: BidService,
    private readonly employeeService: EmployeeService,
  ) {}

  @Query(() => Engagement, { description: "For the engaged employee and the buying team's leads." })
  async engagement(
    @Args('id', { type: () => ID }, UuidPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<Engagement> {
    const engagement = await this.engagementService.findById(id);
    const need = await this.needService.findById(engagement.needId);
    if (engagement.employeeId !== actor.id && !actsForBuyer(actor, need)) {
      throw forbidden("Only the engaged employee and the buying team's leads see an engagement");
    }
    return engagement;
  }

  @Mutation(() => LogTimePayload, {
    description: 'Logs hours worked on your engagement; each hour pays its rate to your home team.',
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

  @ResolveField(() => CreditsScalar, { description: 'Paid so far: loggedHours × ratePerHour.' })
  paid(engagement: Engagement): number {
    return engagement.loggedHours * engagement.ratePerHour;
  }

  @ResolveField(() => Need)
  async need(engagement: Engagement, _: unknown, { loaders }: GraphQLContext): Promise<Need> {
    return (await loaders.get(this.needService.byId).load(engagement.needId))!;
  }

  @ResolveField(() => Bid)
  async bid(engagement: Engagement, _: unknown, { loaders }: GraphQLContext): Promise<Bid> {
    return (await loaders.get(this.bidService.byId).load(engagement.bidId))!;
  }

  @ResolveField(() => Employee)
  async employee(
    engagement: Engagement,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Employee> {
    return (await loaders.get(this.employeeService.byId).load(engagement.employeeId))!;
  }

  @ResolveField(() => [TimeLog], { description: 'Oldest first.' })
  timeLogs(engagement: Engagement, _: unknown, { loaders }: GraphQLContext): Promise<TimeLog[]> {
    return loaders.get(this.engagementService.timeLogs).load(engagement.id);
  }
}
