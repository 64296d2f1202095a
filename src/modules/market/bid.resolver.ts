import { Args, Context, ID, Mutation, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import type { PubSubEngine } from 'graphql-subscriptions';
import type { Actor } from '../../common/auth/actor.js';
import { forbidden } from '../../common/errors/domain-error.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { authorisedEvents } from '../../common/graphql/authorised-events.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import { InjectPubSub } from '../../common/pubsub/pubsub.module.js';
import { UuidPipe } from '../../common/validation/uuid.pipe.js';
import { Employee } from '../employee/employee.model.js';
import { EmployeeService } from '../employee/employee.service.js';
import { Skill } from '../skill/skill.model.js';
import { SkillService } from '../skill/skill.service.js';
import { BidService, bidPlacedTopic, type BidPlacedEvent } from './bid.service.js';
import {
  AcceptBidInput,
  BidActionInput,
  MAX_BID_SKILLS,
  PlaceBidInput,
  RejectBidInput,
} from './dto/market-actions.input.js';
import { EngagementService } from './engagement.service.js';
import { actsForBuyer } from './market-policy.js';
import { Bid, Engagement, Need } from './models/market.models.js';
import { AcceptBidPayload, BidPayload } from './models/market.payloads.js';
import { NeedService } from './need.service.js';

@Resolver(() => Bid)
export class BidResolver {
  constructor(
    private readonly bidService: BidService,
    private readonly needService: NeedService,
    private readonly engagementService: EngagementService,
    private readonly employeeService: EmployeeService,
    private readonly skillService: SkillService,
    @InjectPubSub() private readonly pubSub: PubSubEngine,
  ) {}

  @Mutation(() => BidPayload, { description: "Offers your hours on another team's open need." })
  async placeBid(
    @Args('input') input: PlaceBidInput,
    @CurrentActor() actor: Actor,
  ): Promise<BidPayload> {
    return { bid: await this.bidService.place(input, actor) };
  }

  @Mutation(() => BidPayload, { description: 'Takes back your pending bid.' })
  async withdrawBid(
    @Args('input') input: BidActionInput,
    @CurrentActor() actor: Actor,
  ): Promise<BidPayload> {
    return { bid: await this.bidService.withdraw(input.bidId, actor) };
  }

  @Mutation(() => BidPayload, {
    description: 'Declines a pending bid. For leads of the buying team.',
  })
  async rejectBid(
    @Args('input') input: RejectBidInput,
    @CurrentActor() actor: Actor,
  ): Promise<BidPayload> {
    return { bid: await this.bidService.reject(input, actor) };
  }

  @Mutation(() => AcceptBidPayload, {
    description:
      'Makes a bid an engagement, moving hoursPerWeek × weeks × rate from the buyer into the need’s ' +
      'escrow. For leads of the buying team.',
  })
  acceptBid(
    @Args('input') input: AcceptBidInput,
    @CurrentActor() actor: Actor,
  ): Promise<AcceptBidPayload> {
    return this.bidService.accept(input, actor);
  }

  @Subscription(() => Bid, {
    description:
      'Bids placed on a need, as they come. For leads of the buying team (checked again at each bid: it ends with FORBIDDEN when they no longer are).',
    resolve(this: BidResolver, event: BidPlacedEvent) {
      return this.bidService.findById(event.bidId);
    },
  })
  async bidPlaced(
    @Args('needId', { type: () => ID }, UuidPipe) needId: string,
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
  ): Promise<AsyncIterableIterator<BidPlacedEvent>> {
    // A need's buyer never changes; whether the subscriber acts for it may.
    const need = await this.needService.findById(needId, 'needId');
    const mayFollow = (who: Actor): void => {
      if (!actsForBuyer(who, need))
        throw forbidden("Only the buying team's leads follow a need's bids");
    };
    mayFollow(actor);
    return authorisedEvents(
      context,
      this.pubSub.asyncIterableIterator<BidPlacedEvent>(bidPlacedTopic(needId)),
      mayFollow,
    );
  }

  @ResolveField(() => Need)
  need(bid: Bid, _: unknown, { loaders }: GraphQLContext): Promise<Need> {
    return loaders.loadRequired(this.needService.byId, bid.needId, 'Need');
  }

  @ResolveField(() => Employee)
  bidder(bid: Bid, _: unknown, { loaders }: GraphQLContext): Promise<Employee> {
    // Read with the bid when it came from a need's page of bids.
    if (bid.bidder) return Promise.resolve(bid.bidder);
    return loaders.loadRequired(this.employeeService.byId, bid.bidderId, 'Employee');
  }

  @ResolveField(() => [Skill], {
    description: atMost(MAX_BID_SKILLS, 'Skills the bidder offers for the need.'),
  })
  @MaxItems(MAX_BID_SKILLS)
  async skills(bid: Bid, _: unknown, { loaders }: GraphQLContext): Promise<Skill[]> {
    const ids = await loaders.get(this.bidService.skillIdsByBid).load(bid.id);
    const skills = await loaders.get(this.skillService.byId).loadMany(ids);
    return skills.flatMap((skill) => (skill && !(skill instanceof Error) ? [skill] : []));
  }

  @ResolveField(() => Engagement, {
    nullable: true,
    description: 'The work, once the bid is accepted.',
  })
  engagement(bid: Bid, _: unknown, { loaders }: GraphQLContext): Promise<Engagement | null> {
    return loaders.get(this.engagementService.byBid).load(bid.id);
  }
}
