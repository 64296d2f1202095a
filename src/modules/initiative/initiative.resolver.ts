import {
  Args,
  Context,
  Float,
  ID,
  Int,
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
import { CurrentActor } from '../../common/graphql/decorators.js';
import { authorisedEvents } from '../../common/graphql/authorised-events.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import { InjectPubSub } from '../../common/pubsub/pubsub.module.js';
import { UuidPipe } from '../../common/validation/uuid.pipe.js';
import { Employee } from '../employee/employee.model.js';
import { EmployeeService } from '../employee/employee.service.js';
import { MAX_PLEDGES_PER_IDEA } from '../idea/idea-limits.js';
import { AccountKind } from '../ledger/ledger.enums.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { LedgerAccount } from '../ledger/models/ledger.models.js';
import { Team } from '../team/team.model.js';
import { TeamService } from '../team/team.service.js';
import {
  AddMilestoneInput,
  CompleteMilestoneInput,
  DefineOutcomeMetricInput,
  FinishInitiativeInput,
  InitiativeRefInput,
  InitiativesArgs,
  JoinInitiativeInput,
  MeasurementsArgs,
  RecordMeasurementInput,
} from './dto/initiative.inputs.js';
import {
  MAX_INITIATIVE_MEMBERS,
  MAX_METRICS_PER_INITIATIVE,
  MAX_MILESTONES_PER_INITIATIVE,
} from './initiative-limits.js';
import { InitiativeStatus } from './initiative.enums.js';
import {
  initiativeChangedTopic,
  InitiativeService,
  type InitiativeChangedEvent,
} from './initiative.service.js';
import { metricProgressPercent } from './metric-progress.js';
import {
  Initiative,
  InitiativeConnection,
  InitiativeFunder,
  InitiativeMember,
  Measurement,
  MeasurementConnection,
  Milestone,
  OutcomeMetric,
} from './models/initiative.models.js';
import {
  FinishInitiativePayload,
  InitiativePayload,
  JoinInitiativePayload,
  MilestonePayload,
  OutcomeMetricPayload,
  RecordMeasurementPayload,
} from './models/initiative.payloads.js';

@Resolver(() => Initiative)
export class InitiativeResolver {
  constructor(
    private readonly initiativeService: InitiativeService,
    private readonly employeeService: EmployeeService,
    private readonly teamService: TeamService,
    private readonly ledgerService: LedgerService,
    @InjectPubSub() private readonly pubSub: PubSubEngine,
  ) {}

  @Query(() => Initiative)
  initiative(@Args('id', { type: () => ID }, UuidPipe) id: string): Promise<Initiative> {
    return this.initiativeService.findById(id);
  }

  @Query(() => InitiativeConnection, { description: 'Newest first.' })
  initiatives(@Args() args: InitiativesArgs): Promise<InitiativeConnection> {
    return this.initiativeService.list(args.filter, args.first, args.after);
  }

  @Mutation(() => JoinInitiativePayload, {
    description:
      'Joins an active initiative with some hours a week, or changes them. Anyone may join.',
  })
  async joinInitiative(
    @Args('input') input: JoinInitiativeInput,
    @CurrentActor() actor: Actor,
  ): Promise<JoinInitiativePayload> {
    return { membership: await this.initiativeService.join(input, actor) };
  }

  @Mutation(() => InitiativePayload, { description: 'Leaves an initiative, freeing your hours.' })
  async leaveInitiative(
    @Args('input') input: InitiativeRefInput,
    @CurrentActor() actor: Actor,
  ): Promise<InitiativePayload> {
    return { initiative: await this.initiativeService.leave(input.initiativeId, actor) };
  }

  @Mutation(() => MilestonePayload, { description: "For the initiative's owner and members." })
  async addMilestone(
    @Args('input') input: AddMilestoneInput,
    @CurrentActor() actor: Actor,
  ): Promise<MilestonePayload> {
    return { milestone: await this.initiativeService.addMilestone(input, actor) };
  }

  @Mutation(() => MilestonePayload, { description: "For the initiative's owner and members." })
  async completeMilestone(
    @Args('input') input: CompleteMilestoneInput,
    @CurrentActor() actor: Actor,
  ): Promise<MilestonePayload> {
    return { milestone: await this.initiativeService.completeMilestone(input.milestoneId, actor) };
  }

  @Mutation(() => OutcomeMetricPayload, { description: "For the initiative's owner." })
  async defineOutcomeMetric(
    @Args('input') input: DefineOutcomeMetricInput,
    @CurrentActor() actor: Actor,
  ): Promise<OutcomeMetricPayload> {
    return { metric: await this.initiativeService.defineMetric(input, actor) };
  }

  @Mutation(() => RecordMeasurementPayload, {
    description: "For the initiative's owner and members.",
  })
  async recordMeasurement(
    @Args('input') input: RecordMeasurementInput,
    @CurrentActor() actor: Actor,
  ): Promise<RecordMeasurementPayload> {
    return { measurement: await this.initiativeService.recordMeasurement(input, actor) };
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
  async owner(initiative: Initiative, _: unknown, { loaders }: GraphQLContext): Promise<Employee> {
    return (await loaders.get(this.employeeService.byId).load(initiative.ownerId))!;
  }

  @ResolveField(() => Team)
  async sponsorTeam(
    initiative: Initiative,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Team> {
    return (await loaders.get(this.teamService.byId).load(initiative.sponsorTeamId))!;
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
    return loaders.get(this.initiativeService.funders).load(initiative.id);
  }

  @ResolveField(() => [InitiativeMember], {
    description: atMost(MAX_INITIATIVE_MEMBERS, 'Current members, most hours first.'),
  })
  @MaxItems(MAX_INITIATIVE_MEMBERS)
  members(
    initiative: Initiative,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<InitiativeMember[]> {
    return loaders.get(this.initiativeService.members).load(initiative.id);
  }

  @ResolveField(() => Int)
  async memberCount(
    initiative: Initiative,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<number> {
    return (await loaders.get(this.initiativeService.members).load(initiative.id)).length;
  }

  @ResolveField(() => Int, { description: 'Hours a week its members give it.' })
  async hoursCommittedPerWeek(
    initiative: Initiative,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<number> {
    const members = await loaders.get(this.initiativeService.members).load(initiative.id);
    return members.reduce((sum, m) => sum + m.hoursPerWeek, 0);
  }

  @ResolveField(() => [Milestone], {
    description: atMost(MAX_MILESTONES_PER_INITIATIVE, 'In the order they were added.'),
  })
  @MaxItems(MAX_MILESTONES_PER_INITIATIVE)
  milestones(
    initiative: Initiative,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Milestone[]> {
    return loaders.get(this.initiativeService.milestones).load(initiative.id);
  }

  @ResolveField(() => Float, {
    nullable: true,
    description: 'Milestones done ÷ milestones, in percent; null without any.',
  })
  async milestoneProgressPercent(
    initiative: Initiative,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<number | null> {
    const milestones = await loaders.get(this.initiativeService.milestones).load(initiative.id);
    if (milestones.length === 0) return null;
    const done = milestones.filter((m) => m.completedAt).length;
    return Math.round((done / milestones.length) * 1000) / 10;
  }

  @ResolveField(() => [OutcomeMetric], { description: atMost(MAX_METRICS_PER_INITIATIVE) })
  @MaxItems(MAX_METRICS_PER_INITIATIVE)
  metrics(
    initiative: Initiative,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<OutcomeMetric[]> {
    return loaders.get(this.initiativeService.metrics).load(initiative.id);
  }
}

@Resolver(() => InitiativeMember)
export class InitiativeMemberResolver {
  constructor(private readonly employeeService: EmployeeService) {}

  @ResolveField(() => Employee)
  async employee(
    member: InitiativeMember,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Employee> {
    return (await loaders.get(this.employeeService.byId).load(member.employeeId))!;
  }
}

@Resolver(() => InitiativeFunder)
export class InitiativeFunderResolver {
  constructor(private readonly teamService: TeamService) {}

  @ResolveField(() => Team)
  async team(funder: InitiativeFunder, _: unknown, { loaders }: GraphQLContext): Promise<Team> {
    return (await loaders.get(this.teamService.byId).load(funder.teamId))!;
  }
}

@Resolver(() => Milestone)
export class MilestoneResolver {
  constructor(private readonly employeeService: EmployeeService) {}

  @ResolveField(() => Employee, { nullable: true })
  completedBy(
    milestone: Milestone,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Employee | null> | null {
    return milestone.completedById
      ? loaders.get(this.employeeService.byId).load(milestone.completedById)
      : null;
  }
}

@Resolver(() => OutcomeMetric)
export class OutcomeMetricResolver {
  constructor(private readonly initiativeService: InitiativeService) {}

  @ResolveField(() => Measurement, {
    nullable: true,
    description: 'The most recent reading (by when it was true).',
  })
  latest(
    metric: OutcomeMetric,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Measurement | null> {
    return loaders.get(this.initiativeService.latestMeasurement).load(metric.id);
  }

  @ResolveField(() => Float, {
    nullable: true,
    description:
      'How far the latest value has come from the baseline to the target, 0–100 whichever way is better; ' +
      'null before the first measurement.',
  })
  progressPercent(metric: OutcomeMetric): number | null {
    return metricProgressPercent(metric, metric.latestValue);
  }

  @ResolveField(() => MeasurementConnection, { description: 'The time series, oldest first.' })
  measurements(
    @Parent() metric: OutcomeMetric,
    @Args() args: MeasurementsArgs,
  ): Promise<MeasurementConnection> {
    return this.initiativeService.measurements(metric.id, args.first, args.after, args.since);
  }
}

@Resolver(() => Measurement)
export class MeasurementResolver {
  constructor(private readonly employeeService: EmployeeService) {}

  @ResolveField(() => Employee)
  async recordedBy(
    measurement: Measurement,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Employee> {
    return (await loaders.get(this.employeeService.byId).load(measurement.recordedById))!;
  }
}

/** An INITIATIVE account's initiative. */
@Resolver(() => LedgerAccount)
export class InitiativeAccountResolver {
  constructor(private readonly initiativeService: InitiativeService) {}

  @ResolveField(() => Initiative, {
    nullable: true,
    description: 'The initiative, for an INITIATIVE account.',
  })
  initiative(
    account: LedgerAccount,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Initiative | null> | null {
    return account.kind === AccountKind.INITIATIVE && account.ownerId
      ? loaders.get(this.initiativeService.byId).load(account.ownerId)
      : null;
  }
}
