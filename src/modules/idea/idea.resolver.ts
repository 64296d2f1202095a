import {
  Args,
  Context,
  Float,
  ID,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
  Subscription,
} from '@nestjs/graphql';
import type { PubSubEngine } from 'graphql-subscriptions';
import { Access, Allow, arg } from '../../common/auth/access.js';
import type { Actor } from '../../common/auth/actor.js';
import { CreditsScalar } from '../../common/graphql/credits.scalar.js';
import { CurrentActor, Loaders } from '../../common/graphql/decorators.js';
import { authorisedEvents } from '../../common/graphql/authorised-events.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import { RequestLoaders } from '../../common/graphql/request-loaders.js';
import { InjectPubSub } from '../../common/pubsub/pubsub.module.js';
import { UuidPipe } from '../../common/validation/uuid.pipe.js';
import { Employee } from '../employee/employee.model.js';
import { EmployeeService } from '../employee/employee.service.js';
import { Initiative } from '../initiative/models/initiative.models.js';
import { AccountKind } from '../ledger/ledger.enums.js';
import { LedgerAccount } from '../ledger/models/ledger.models.js';
import { InitiativeService } from '../initiative/initiative.service.js';
import type { SkillEntity } from '../skill/skill.entity.js';
import { Skill } from '../skill/skill.model.js';
import { SkillService } from '../skill/skill.service.js';
import { Team } from '../team/team.model.js';
import { TeamService } from '../team/team.service.js';
import {
  EndorseIdeaInput,
  IdeaDecisionInput,
  IdeaRefInput,
  IdeasArgs,
  PledgeToIdeaInput,
  ProposeIdeaInput,
  RejectIdeaInput,
  SimilarIdeasArgs,
} from './dto/idea.inputs.js';
import { MAX_IDEA_SKILLS, MAX_PLEDGES_PER_IDEA, MAX_SIMILAR_IDEAS } from './idea-limits.js';
import {
  ideaChangedTopic,
  IdeaService,
  isVisibleIdea,
  type IdeaChangedEvent,
} from './idea.service.js';
import { Idea, IdeaConnection, Pledge, SimilarIdea } from './models/idea.models.js';
import {
  ApproveIdeaPayload,
  CloseIdeaPayload,
  IdeaPayload,
  PledgeToIdeaPayload,
} from './models/idea.payloads.js';

@Resolver(() => Idea)
export class IdeaResolver {
  constructor(
    private readonly ideaService: IdeaService,
    private readonly employeeService: EmployeeService,
    private readonly teamService: TeamService,
    private readonly skillService: SkillService,
    private readonly initiativeService: InitiativeService,
    @InjectPubSub() private readonly pubSub: PubSubEngine,
  ) {}

  @Query(() => Idea, {
    description: 'An idea never submitted (a draft, or a draft withdrawn) is its proposer’s only.',
  })
  idea(
    @Args('id', { type: () => ID }, UuidPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<Idea> {
    return this.ideaService.findVisible(id, actor);
  }

  @Query(() => IdeaConnection)
  ideas(@Args() args: IdeasArgs, @CurrentActor() actor: Actor): Promise<IdeaConnection> {
    return this.ideaService.list(actor, args.filter, args.sort, args.first, args.after);
  }

  @Mutation(() => IdeaPayload, {
    description: 'Anyone may propose. It starts as a DRAFT only you see.',
  })
  async proposeIdea(
    @Args('input') input: ProposeIdeaInput,
    @CurrentActor() actor: Actor,
  ): Promise<IdeaPayload> {
    return { idea: await this.ideaService.propose(input, actor) };
  }

  @Mutation(() => IdeaPayload, {
    description: 'Publishes your draft for endorsements and pledges.',
  })
  async submitIdea(
    @Args('input') input: IdeaRefInput,
    @CurrentActor() actor: Actor,
  ): Promise<IdeaPayload> {
    return { idea: await this.ideaService.submit(input.ideaId, actor) };
  }

  @Mutation(() => IdeaPayload, {
    description: "Endorses someone else's idea (or takes it back with endorsed: false).",
  })
  async endorseIdea(
    @Args('input') input: EndorseIdeaInput,
    @CurrentActor() actor: Actor,
  ): Promise<IdeaPayload> {
    return { idea: await this.ideaService.endorse(input, actor) };
  }

  @Mutation(() => PledgeToIdeaPayload, {
    description: "Commits your team's credits to a submitted idea. For the team's leads.",
  })
  @Access(Allow.leadOf(arg('input.teamId')))
  pledgeToIdea(
    @Args('input') input: PledgeToIdeaInput,
    @CurrentActor() actor: Actor,
  ): Promise<PledgeToIdeaPayload> {
    return this.ideaService.pledge(input, actor);
  }

  @Mutation(() => ApproveIdeaPayload, {
    description:
      "Turns a FUNDED idea into an initiative. For the sponsor team's leads, except the proposer.",
  })
  approveIdea(
    @Args('input') input: IdeaDecisionInput,
    @CurrentActor() actor: Actor,
  ): Promise<ApproveIdeaPayload> {
    return this.ideaService.approve(input, actor);
  }

  @Mutation(() => CloseIdeaPayload, {
    description: "Turns an idea down and refunds every pledge. For the sponsor team's leads.",
  })
  rejectIdea(
    @Args('input') input: RejectIdeaInput,
    @CurrentActor() actor: Actor,
  ): Promise<CloseIdeaPayload> {
    return this.ideaService.reject(input, actor);
  }

  @Mutation(() => CloseIdeaPayload, {
    description: 'Takes your idea back before approval and refunds every pledge.',
  })
  withdrawIdea(
    @Args('input') input: IdeaDecisionInput,
    @CurrentActor() actor: Actor,
  ): Promise<CloseIdeaPayload> {
    return this.ideaService.withdraw(input, actor);
  }

  @Subscription(() => Idea, {
    description: 'The idea, each time it changes (pledges, endorsements, decisions, comments).',
    resolve(this: IdeaResolver, event: IdeaChangedEvent) {
      return this.ideaService.findById(event.ideaId);
    },
  })
  async ideaChanged(
    @Args('ideaId', { type: () => ID }, UuidPipe) ideaId: string,
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
  ): Promise<AsyncIterableIterator<IdeaChangedEvent>> {
    const mayFollow = async (who: Actor): Promise<void> => {
      await this.ideaService.findVisible(ideaId, who, 'ideaId');
    };
    await mayFollow(actor);
    return authorisedEvents(
      context,
      this.pubSub.asyncIterableIterator<IdeaChangedEvent>(ideaChangedTopic(ideaId)),
      mayFollow,
    );
  }

  @ResolveField(() => Employee)
  async proposer(idea: Idea, _: unknown, { loaders }: GraphQLContext): Promise<Employee> {
    return (await loaders.get(this.employeeService.byId).load(idea.proposerId))!;
  }

  @ResolveField(() => Team)
  async sponsorTeam(idea: Idea, _: unknown, { loaders }: GraphQLContext): Promise<Team> {
    return (await loaders.get(this.teamService.byId).load(idea.sponsorTeamId))!;
  }

  @ResolveField(() => [Skill], { description: atMost(MAX_IDEA_SKILLS) })
  @MaxItems(MAX_IDEA_SKILLS)
  async skillsNeeded(idea: Idea, _: unknown, { loaders }: GraphQLContext): Promise<Skill[]> {
    const ids = await loaders.get(this.ideaService.skillIds).load(idea.id);
    const skills = await loaders.get(this.skillService.byId).loadMany(ids);
    return skills.filter((skill): skill is SkillEntity => !!skill && !(skill instanceof Error));
  }

  @ResolveField(() => Float, { description: 'pledgedTotal ÷ fundingGoal, in percent.' })
  fundedPercent(idea: Idea): number {
    return Math.round((idea.pledgedTotal / idea.fundingGoal) * 1000) / 10;
  }

  @ResolveField(() => CreditsScalar, { description: 'Credits still needed to reach the goal.' })
  remainingToFund(idea: Idea): number {
    return idea.fundingGoal - idea.pledgedTotal;
  }

  @ResolveField(() => [Pledge], { description: atMost(MAX_PLEDGES_PER_IDEA, 'Oldest first.') })
  @MaxItems(MAX_PLEDGES_PER_IDEA)
  pledges(idea: Idea, _: unknown, { loaders }: GraphQLContext): Promise<Pledge[]> {
    return loaders.get(this.ideaService.pledges).load(idea.id);
  }

  @ResolveField(() => Boolean)
  endorsedByMe(
    @Parent() idea: Idea,
    @CurrentActor() actor: Actor,
    @Loaders() loaders: RequestLoaders,
  ): Promise<boolean> {
    return loaders.get(this.ideaService.endorsedBy).load(`${idea.id}:${actor.id}`);
  }

  @ResolveField(() => [SimilarIdea], {
    description: 'Ideas that look alike, most similar first: spot duplicates before funding both.',
  })
  @MaxItems(MAX_SIMILAR_IDEAS)
  similarIdeas(
    @Parent() idea: Idea,
    @Args() args: SimilarIdeasArgs,
    @CurrentActor() actor: Actor,
  ): Promise<SimilarIdea[]> {
    return this.ideaService.similar(idea, actor, args.first);
  }

  @ResolveField(() => Initiative, { nullable: true, description: 'What it became, once approved.' })
  initiative(
    idea: Idea,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Initiative | null> | null {
    return idea.initiativeId
      ? loaders.get(this.initiativeService.byId).load(idea.initiativeId)
      : null;
  }
}

@Resolver(() => SimilarIdea)
export class SimilarIdeaResolver {
  constructor(private readonly ideaService: IdeaService) {}

  @ResolveField(() => Idea)
  async idea(similar: SimilarIdea, _: unknown, { loaders }: GraphQLContext): Promise<Idea> {
    return (await loaders.get(this.ideaService.byId).load(similar.ideaId))!;
  }
}

@Resolver(() => Pledge)
export class PledgeResolver {
  constructor(
    private readonly teamService: TeamService,
    private readonly employeeService: EmployeeService,
  ) {}

  @ResolveField(() => Team)
  async team(pledge: Pledge, _: unknown, { loaders }: GraphQLContext): Promise<Team> {
    return (await loaders.get(this.teamService.byId).load(pledge.teamId))!;
  }

  @ResolveField(() => Employee, { description: 'The lead who pledged.' })
  async pledgedBy(pledge: Pledge, _: unknown, { loaders }: GraphQLContext): Promise<Employee> {
    return (await loaders.get(this.employeeService.byId).load(pledge.pledgedById))!;
  }
}

@Resolver(() => Initiative)
export class InitiativeIdeaResolver {
  constructor(private readonly ideaService: IdeaService) {}

  @ResolveField(() => Idea, { description: 'The idea it was born from.' })
  async idea(initiative: Initiative, _: unknown, { loaders }: GraphQLContext): Promise<Idea> {
    return (await loaders.get(this.ideaService.byInitiative).load(initiative.id))!;
  }
}

/** An IDEA_ESCROW account's idea. */
@Resolver(() => LedgerAccount)
export class IdeaAccountResolver {
  constructor(private readonly ideaService: IdeaService) {}

  @ResolveField(() => Idea, {
    nullable: true,
    description: 'The idea, for an IDEA_ESCROW account (not a draft of someone else).',
  })
  async idea(
    @Parent() account: LedgerAccount,
    @CurrentActor() actor: Actor,
    @Loaders() loaders: RequestLoaders,
  ): Promise<Idea | null> {
    if (account.kind !== AccountKind.IDEA_ESCROW || !account.ownerId) return null;
    const idea = await loaders.get(this.ideaService.byId).load(account.ownerId);
    return idea && isVisibleIdea(idea, actor) ? idea : null;
  }
}
