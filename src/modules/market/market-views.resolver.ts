import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor.js';
import { forbidden } from '../../common/errors/domain-error.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import { Employee } from '../employee/employee.model.js';
import { EmployeeService } from '../employee/employee.service.js';
import { Skill } from '../skill/skill.model.js';
import { SkillService } from '../skill/skill.service.js';
import { BidService } from './bid.service.js';
import { BidsArgs, EngagementsArgs } from './dto/needs.args.js';
import { MAX_REQUIRED_SKILLS } from './dto/post-need.input.js';
import { EngagementService } from './engagement.service.js';
import { MatchingService } from './matching.service.js';
import {
  BidConnection,
  CandidateMatch,
  EngagementConnection,
  Need,
  NeedConnection,
  SkillMatch,
} from './models/market.models.js';
import { AccountKind } from '../ledger/ledger.enums.js';
import { LedgerAccount } from '../ledger/models/ledger.models.js';
import { NeedService } from './need.service.js';
import { Initiative } from '../initiative/models/initiative.models.js';
import { ConnectionArgs } from '../../common/graphql/connection.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';

/** A person's own market activity: visible to that person only. */
@Resolver(() => Employee)
export class EmployeeMarketResolver {
  constructor(
    private readonly bidService: BidService,
    private readonly engagementService: EngagementService,
  ) {}

  @ResolveField(() => BidConnection, { description: 'Newest first. Only on yourself.' })
  bids(
    @Parent() employee: Employee,
    @Args() args: BidsArgs,
    @CurrentActor() actor: Actor,
  ): Promise<BidConnection> {
    if (employee.id !== actor.id) throw forbidden('Bids are private to the bidder');
    return this.bidService.bidsOf(employee.id, args.first, args.after, args.status);
  }

  @ResolveField(() => EngagementConnection, { description: 'Newest first. Only on yourself.' })
  engagements(
    @Parent() employee: Employee,
    @Args() args: EngagementsArgs,
    @CurrentActor() actor: Actor,
  ): Promise<EngagementConnection> {
    if (employee.id !== actor.id) throw forbidden('Engagements are private to the employee');
    return this.engagementService.engagementsOf(employee.id, args.first, args.after, args.status);
  }
}

@Resolver(() => CandidateMatch)
export class CandidateMatchResolver {
  constructor(
    private readonly employeeService: EmployeeService,
    private readonly matchingService: MatchingService,
  ) {}

  @ResolveField(() => Employee)
  async employee(
    match: CandidateMatch,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Employee> {
    return (await loaders.get(this.employeeService.byId).load(match.employeeId))!;
  }

  @ResolveField(() => [SkillMatch], {
    description: atMost(
      MAX_REQUIRED_SKILLS,
      'The required skills this person holds, best margin first.',
    ),
  })
  @MaxItems(MAX_REQUIRED_SKILLS)
  matchedSkills(
    match: CandidateMatch,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<SkillMatch[]> {
    return loaders
      .get(this.matchingService.skillMatches)
      .load(`${match.needId}:${match.employeeId}`);
  }
}

@Resolver(() => SkillMatch)
export class SkillMatchResolver {
  constructor(private readonly skillService: SkillService) {}

  @ResolveField(() => Skill)
  async skill(match: SkillMatch, _: unknown, { loaders }: GraphQLContext): Promise<Skill> {
    return (await loaders.get(this.skillService.byId).load(match.skillId))!;
  }
}

/** The market as seen from an initiative: the needs it posted. */
@Resolver(() => Initiative)
export class InitiativeMarketResolver {
  constructor(private readonly needService: NeedService) {}

  @ResolveField(() => NeedConnection, {
    description: 'Needs it posted on the market, newest first.',
  })
  needs(@Parent() initiative: Initiative, @Args() args: ConnectionArgs): Promise<NeedConnection> {
    return this.needService.list({ buyerInitiativeId: initiative.id }, args.first, args.after);
  }
}

/** A NEED_ESCROW account's need. */
@Resolver(() => LedgerAccount)
export class NeedAccountResolver {
  constructor(private readonly needService: NeedService) {}

  @ResolveField(() => Need, { nullable: true, description: 'The need, for a NEED_ESCROW account.' })
  need(
    account: LedgerAccount,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Need | null> | null {
    return account.kind === AccountKind.NEED_ESCROW && account.ownerId
      ? loaders.get(this.needService.byId).load(account.ownerId)
      : null;
  }
}
