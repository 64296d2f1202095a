import {
  Args,
  Context,
  ID,
  Mutation,
  Query,
  ResolveField,
  Resolver,
  Subscription,
} from '@nestjs/graphql';
import type { PubSubEngine } from 'graphql-subscriptions';
import type { Actor } from '../../common/auth/actor.js';
import { authorisedEvents } from '../../common/graphql/authorised-events.js';
import { CreditsScalar } from '../../common/graphql/credits.scalar.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import { InjectPubSub } from '../../common/pubsub/pubsub.module.js';
import { UuidPipe } from '../../common/validation/uuid.pipe.js';
import { Employee } from '../employee/employee.model.js';
import { EmployeeService } from '../employee/employee.service.js';
import { MAX_PLEDGES_PER_IDEA } from '../idea/idea-limits.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { Team } from '../team/team.model.js';
import { TeamService } from '../team/team.service.js';
import { FinishInitiativeInput, InitiativesArgs } from './dto/initiative.inputs.js';
import { initiativeChangedTopic, type InitiativeChangedEvent } from './initiative-events.js';
import { InitiativeStatus } from './initiative.enums.js';
import { InitiativeRepository } from './initiative.repository.js';
import { InitiativeService } from './initiative.service.js';
import { Initiative, InitiativeConnection, InitiativeFunder } from './models/initiative.models.js';
import { FinishInitiativePayload } from './models/initiative.payloads.js';

/** Initiatives: reading them, following them, ending them; who owns, sponsors and funds them. */
@Resolver(() => Initiative)
export class InitiativeResolver {
  constructor(
    private readonly initiativeService: InitiativeService,
    private readonly initiativeRepository: InitiativeRepository,
    private readonly employeeService: EmployeeService,
    private readonly teamService: TeamService,
    private readonly ledgerService: LedgerService,
    @InjectPubSub() private readonly pubSub: PubSubEngine,
  ) {}

  @Query(() => Initiative)
  initiative(@Args('id', { type: () => ID }, UuidPipe) id: string): Promise<Initiative> {
    return this.initiativeService.findWithOwner(id);
  }

  @Query(() => InitiativeConnection, { description: 'Newest first.' })
  initiatives(@Args() args: InitiativesArgs): Promise<InitiativeConnection> {
    return this.initiativeService.list(args.filter, args.first, args.after);
  }

  @Mutation(() => FinishInitiativePayload, {
    description:
      "For the owner. Closes its needs, frees members' hours and refunds the unspent budget pro rata.",
  })
  completeInitiative(
    @Args('input') input: FinishInitiativeInput,
    @CurrentActor() actor: Actor,
  ): Promise<FinishInitiativePayload> {
    return this.initiativeService.finish(input, actor, InitiativeStatus.COMPLETED);
  }

  @Mutation(() => FinishInitiativePayload, {
    description:
      "For the owner or the sponsor team's leads. Like completing, but it ends CANCELLED.",
  })
  cancelInitiative(
    @Args('input') input: FinishInitiativeInput,
    @CurrentActor() actor: Actor,
  ): Promise<FinishInitiativePayload> {
    return this.initiativeService.finish(input, actor, InitiativeStatus.CANCELLED);
  }

  @Subscription(() => Initiative, {
    description: 'The initiative, each time something about it changes.',
    resolve(this: InitiativeResolver, event: InitiativeChangedEvent) {
      return this.initiativeService.findById(event.initiativeId);
    },
  })
  async initiativeChanged(
    @Args('initiativeId', { type: () => ID }, UuidPipe) initiativeId: string,
    @Context() context: GraphQLContext,
  ): Promise<AsyncIterableIterator<InitiativeChangedEvent>> {
    await this.initiativeService.findById(initiativeId, 'initiativeId');
    // Initiatives are open to every employee: each event only needs a subscriber still signed in.
    return authorisedEvents(
      context,
      this.pubSub.asyncIterableIterator<InitiativeChangedEvent>(
        initiativeChangedTopic(initiativeId),
      ),
      () => undefined,
    );
  }

  @ResolveField(() => Employee)
  owner(initiative: Initiative, _: unknown, { loaders }: GraphQLContext): Promise<Employee> {
    // Read with the initiative by `initiative(id)`.
    if (initiative.owner) return Promise.resolve(initiative.owner);
    return loaders.loadRequired(this.employeeService.byId, initiative.ownerId, 'Employee');
  }

  @ResolveField(() => Team)
  sponsorTeam(initiative: Initiative, _: unknown, { loaders }: GraphQLContext): Promise<Team> {
    return loaders.loadRequired(this.teamService.byId, initiative.sponsorTeamId, 'Team');
  }

  @ResolveField(() => CreditsScalar, {
    description: 'Credits left in its account (not counting needs’ escrow).',
  })
  async balance(initiative: Initiative, _: unknown, { loaders }: GraphQLContext): Promise<number> {
    return (
      (await loaders.get(this.ledgerService.accountById).load(initiative.accountId))?.balance ?? 0
    );
  }

  // One per team that pledged to its idea.
  @ResolveField(() => [InitiativeFunder], {
    description: atMost(MAX_PLEDGES_PER_IDEA, 'The teams that funded it, largest first.'),
  })
  @MaxItems(MAX_PLEDGES_PER_IDEA)
  funders(
    initiative: Initiative,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<InitiativeFunder[]> {
    return loaders.get(this.initiativeRepository.funders).load(initiative.id);
  }
}
