import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor.js';
import { forbidden } from '../../common/errors/domain-error.js';
import { toConnection } from '../../common/graphql/connection.js';
import { CreditsScalar } from '../../common/graphql/credits.scalar.js';
import { CurrentActor, Loaders } from '../../common/graphql/decorators.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import type { RequestLoaders } from '../../common/graphql/request-loaders.js';
import { UuidPipe } from '../../common/validation/uuid.pipe.js';
import { Employee } from '../employee/employee.model.js';
import { EmployeeService } from '../employee/employee.service.js';
import { InitiativeService } from '../initiative/initiative.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { BuyerKind } from './market.enums.js';
import { TeamService } from '../team/team.service.js';
import { BidService } from './bid.service.js';
import { CloseNeedInput, RaiseNeedRateInput } from './dto/market-actions.input.js';
import {
  BidsArgs,
  MAX_SUGGESTED_CANDIDATES,
  NeedsArgs,
  SuggestedCandidatesArgs,
} from './dto/needs.args.js';
import {
  MAX_NEED_HOURS_PER_WEEK,
  MAX_REQUIRED_SKILLS,
  PostNeedInput,
} from './dto/post-need.input.js';
import { EngagementService } from './engagement.service.js';
import { actsForBuyer, remainingHoursPerWeek } from './market-policy.js';
import { MatchingRepository } from './matching.repository.js';
import {
  Bid,
  BidConnection,
  CandidateMatch,
  Engagement,
  Need,
  NeedConnection,
  RequiredSkill,
} from './models/market.models.js';
import {
  CloseNeedPayload,
  NeedBuyer,
  PostNeedPayload,
  RaiseNeedRatePayload,
} from './models/market.payloads.js';
import { NeedService } from './need.service.js';

@Resolver(() => Need)
export class NeedResolver {
  constructor(
    private readonly needService: NeedService,
    private readonly bidService: BidService,
    private readonly engagementService: EngagementService,
    private readonly matching: MatchingRepository,
    private readonly employeeService: EmployeeService,
    private readonly teamService: TeamService,
    private readonly ledgerService: LedgerService,
    private readonly initiativeService: InitiativeService,
  ) {}

  @Query(() => Need)
  need(@Args('id', { type: () => ID }, UuidPipe) id: string): Promise<Need> {
    return this.needService.findById(id);
  }

  @Query(() => NeedConnection, { description: 'Newest first.' })
  needs(@Args() args: NeedsArgs): Promise<NeedConnection> {
    return this.needService.list(args.filter, args.first, args.after);
  }

  @Query(() => [CandidateMatch], {
    description: "The best people for a need, with why. For the buying team's leads.",
  })
  @MaxItems(MAX_SUGGESTED_CANDIDATES)
  async suggestedCandidates(
    @Args() args: SuggestedCandidatesArgs,
    @CurrentActor() actor: Actor,
  ): Promise<CandidateMatch[]> {
    const need = await this.needService.findById(args.needId, 'needId');
    if (!actsForBuyer(actor, need))
      throw forbidden("Only the buying team's leads see candidates for a need");
    return this.matching.suggestedCandidates(need.id, args.first);
  }

  @Mutation(() => PostNeedPayload, {
    description: 'For a lead of the buying team, or the owner of the buying initiative.',
  })
  async postNeed(
    @Args('input') input: PostNeedInput,
    @CurrentActor() actor: Actor,
  ): Promise<PostNeedPayload> {
    return { need: await this.needService.post(input, actor) };
  }

  @Mutation(() => RaiseNeedRatePayload, {
    description:
      "Raises an OPEN need's rate (never lowers it) so that bids may ask more. No credits move: " +
      'acceptBid escrows each bid at its own rate and checks the funds then. Existing bids and ' +
      'engagements keep their rates. For a lead of the buying team, or the owner of the buying initiative.',
  })
  async raiseNeedRate(
    @Args('input') input: RaiseNeedRateInput,
    @CurrentActor() actor: Actor,
  ): Promise<RaiseNeedRatePayload> {
    return { need: await this.needService.raiseRate(input, actor) };
  }

  @Mutation(() => CloseNeedPayload, {
    description:
      'Ends a need: active engagements end, pending bids are rejected and unspent escrow returns to ' +
      'the buyer. CLOSED if any bid had been accepted, else CANCELLED. For leads of the buying team.',
  })
  closeNeed(
    @Args('input') input: CloseNeedInput,
    @CurrentActor() actor: Actor,
  ): Promise<CloseNeedPayload> {
    return this.needService.close(input, actor);
  }

  @ResolveField(() => NeedBuyer)
  buyer(need: Need, _: unknown, { loaders }: GraphQLContext): Promise<typeof NeedBuyer> {
    return need.buyerKind === BuyerKind.INITIATIVE
      ? loaders.loadRequired(this.initiativeService.byId, need.buyerId, 'Initiative')
      : loaders.loadRequired(this.teamService.byId, need.buyerId, 'Team');
  }

  @ResolveField(() => Employee)
  postedBy(need: Need, _: unknown, { loaders }: GraphQLContext): Promise<Employee> {
    return loaders.loadRequired(this.employeeService.byId, need.postedById, 'Employee');
  }

  @ResolveField(() => [RequiredSkill], { description: atMost(MAX_REQUIRED_SKILLS) })
  @MaxItems(MAX_REQUIRED_SKILLS)
  requiredSkills(need: Need, _: unknown, { loaders }: GraphQLContext): Promise<RequiredSkill[]> {
    return loaders.get(this.needService.requiredSkills).load(need.id);
  }

  @ResolveField(() => Int)
  remainingHoursPerWeek(need: Need): number {
    return remainingHoursPerWeek(need);
  }

  @ResolveField(() => CreditsScalar, {
    description:
      'hoursPerWeek × weeks × ratePerHour: the most the need can ever escrow (no bid asks more than its rate).',
  })
  budget(need: Need): number {
    return need.hoursPerWeek * need.weeks * need.ratePerHour;
  }

  @ResolveField(() => CreditsScalar, {
    description:
      'Credits its escrow account holds now: accepted work not yet paid to the workers’ teams or given back to the buyer (hours logged and still under review included).',
  })
  async escrowBalance(need: Need, _: unknown, { loaders }: GraphQLContext): Promise<number> {
    return (
      (await loaders.get(this.ledgerService.accountById).load(need.escrowAccountId))?.balance ?? 0
    );
  }

  @ResolveField(() => Int, { description: 'Bids placed so far, in any state.' })
  bidCount(need: Need, _: unknown, { loaders }: GraphQLContext): Promise<number> {
    return loaders.get(this.bidService.bidCount).load(need.id);
  }

  @ResolveField(() => BidConnection, {
    description:
      "Oldest first. The buying team's leads see every bid; a bidder sees only their own.",
  })
  async bids(
    @Parent() need: Need,
    @Args() args: BidsArgs,
    @CurrentActor() actor: Actor,
    @Loaders() loaders: RequestLoaders,
  ): Promise<BidConnection> {
    const rows = await loaders
      .get(this.bidService.bidsPage)
      .load({ needId: need.id, first: args.first, after: args.after, status: args.status, actor });
    return toConnection(
      rows,
      args.first,
      (bid) => [bid.seq],
      async () => {
        // A count of what this viewer may see: everything for the buyer's leads, else their own.
        if (actsForBuyer(actor, need)) return loaders.get(this.bidService.bidCount).load(need.id);
        return (await loaders.get(this.bidService.latestBidOf).load(`${need.id}:${actor.id}`))
          ? 1
          : 0;
      },
    );
  }

  @ResolveField(() => Bid, { nullable: true, description: 'Your latest bid on this need, if any.' })
  myBid(
    @Parent() need: Need,
    @CurrentActor() actor: Actor,
    @Loaders() loaders: RequestLoaders,
  ): Promise<Bid | null> {
    return loaders.get(this.bidService.latestBidOf).load(`${need.id}:${actor.id}`);
  }

  // Each engagement takes at least an hour a week of the need's, and accepted hours never
  // come back (need_accepted_hours_check), so a need has at most its hours' worth.
  @ResolveField(() => [Engagement], {
    description: atMost(
      MAX_NEED_HOURS_PER_WEEK,
      "Accepted work on this need: all of it for the buying team's leads, your own for you.",
    ),
  })
  @MaxItems(MAX_NEED_HOURS_PER_WEEK)
  engagements(
    @Parent() need: Need,
    @CurrentActor() actor: Actor,
    @Loaders() loaders: RequestLoaders,
  ): Promise<Engagement[]> {
    return loaders.get(this.engagementService.visibleByNeed).load({ needId: need.id, actor });
  }
}
