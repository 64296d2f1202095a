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
import { LedgerService } from '../ledger/ledger.service.js';
import { InitiativeService } from '../initiative/initiative.service.js';
import { Skill } from '../skill/skill.model.js';
import { SkillService } from '../skill/skill.service.js';
import { Team } from '../team/team.model.js';
import { TeamService } from '../team/team.service.js';
import {
  EndorseIdeaInput,
  IdeaRefInput,
  IdeasArgs,
  ProposeIdeaInput,
  SimilarIdeasArgs,
} from './dto/idea.inputs.js';
import { MAX_IDEA_SKILLS, MAX_PLEDGES_PER_IDEA, MAX_SIMILAR_IDEAS } from './idea-limits.js';
import { ideaChangedTopic, type IdeaChangedEvent } from './idea-events.js';
import { IdeaRepository } from './idea.repository.js';
import { IdeaService } from './idea.service.js';
import { Idea, IdeaConnection, Pledge, SimilarIdea } from './models/idea.models.js';
import { IdeaPayload } from './models/idea.payloads.js';
import { PledgeRepository } from './pledge.repository.js';

@Resolver(() => Idea)
export class IdeaResolver {
  constructor(
    private readonly ideaService: IdeaService,
    private readonly ideaRepository: IdeaRepository,
    private readonly pledgeRepository: PledgeRepository,
    private readonly employeeService: EmployeeService,
    private readonly teamService: TeamService,
    private readonly skillService: SkillService,
    private readonly initiativeService: InitiativeService,
    private readonly ledgerService: LedgerService,
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
  proposer(idea: Idea, _: unknown, { loaders }: GraphQLContext): Promise<Employee> {
    return loaders.loadRequired(this.employeeService.byId, idea.proposerId, 'Employee');
  }

  @ResolveField(() => Team)
  sponsorTeam(idea: Idea, _: unknown, { loaders }: GraphQLContext): Promise<Team> {
    return loaders.loadRequired(this.teamService.byId, idea.sponsorTeamId, 'Team');
  }

  @ResolveField(() => [Skill], { description: atMost(MAX_IDEA_SKILLS) })
  @MaxItems(MAX_IDEA_SKILLS)
  async skillsNeeded(idea: Idea, _: unknown, { loaders }: GraphQLContext): Promise<Skill[]> {
    const ids = await loaders.get(this.ideaRepository.skillIds).load(idea.id);
    const skills = await loaders.get(this.skillService.byId).loadMany(ids);
    return skills.flatMap((skill) => (skill && !(skill instanceof Error) ? [skill] : []));
  }

  @ResolveField(() => Float, {
    description: 'pledgedTotal ÷ fundingGoal, in percent, rounded to one decimal place.',
  })
  fundedPercent(idea: Idea): number {
    return Math.round((idea.pledgedTotal / idea.fundingGoal) * 1000) / 10;
  }

  @ResolveField(() => CreditsScalar, {
    description:
      'Credits its escrow account holds now: pledged and not yet passed to its initiative (on approval) or refunded (on rejection or withdrawal). Unlike pledgedTotal, it is 0 once the idea is decided.',
  })
  async escrowBalance(idea: Idea, _: unknown, { loaders }: GraphQLContext): Promise<number> {
    return (
      (await loaders.get(this.ledgerService.accountById).load(idea.escrowAccountId))?.balance ?? 0
    );
  }

  @ResolveField(() => CreditsScalar, { description: 'Credits still needed to reach the goal.' })
  remainingToFund(idea: Idea): number {
    return idea.fundingGoal - idea.pledgedTotal;
  }

  @ResolveField(() => [Pledge], { description: atMost(MAX_PLEDGES_PER_IDEA, 'Oldest first.') })
  @MaxItems(MAX_PLEDGES_PER_IDEA)
  pledges(idea: Idea, _: unknown, { loaders }: GraphQLContext): Promise<Pledge[]> {
    return loaders.get(this.pledgeRepository.byIdea).load(idea.id);
  }

  @ResolveField(() => Boolean)
  endorsedByMe(
    @Parent() idea: Idea,
    @CurrentActor() actor: Actor,
    @Loaders() loaders: RequestLoaders,
  ): Promise<boolean> {
    return loaders.get(this.ideaRepository.endorsedBy).load(`${idea.id}:${actor.id}`);
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
