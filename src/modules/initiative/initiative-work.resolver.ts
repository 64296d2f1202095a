import { Float, Int, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import {
  MAX_INITIATIVE_MEMBERS,
  MAX_METRICS_PER_INITIATIVE,
  MAX_MILESTONES_PER_INITIATIVE,
} from './initiative-limits.js';
import { MembershipRepository } from './membership.repository.js';
import { MetricRepository } from './metric.repository.js';
import { milestoneProgressPercent } from './metric-progress.js';
import { MilestoneRepository } from './milestone.repository.js';
import {
  Initiative,
  INITIATIVE_FIGURES,
  InitiativeMember,
  Milestone,
  OutcomeMetric,
} from './models/initiative.models.js';

/** The work on an initiative: its members, its milestones and its outcome metrics. */
@Resolver(() => Initiative)
export class InitiativeWorkResolver {
  constructor(
    private readonly memberships: MembershipRepository,
    private readonly milestoneRepository: MilestoneRepository,
    private readonly metricRepository: MetricRepository,
  ) {}

  @ResolveField(() => [InitiativeMember], {
    description: atMost(MAX_INITIATIVE_MEMBERS, 'Current members, most hours first.'),
  })
  @MaxItems(MAX_INITIATIVE_MEMBERS)
  members(
    initiative: Initiative,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<InitiativeMember[]> {
    return loaders.get(this.memberships.currentOf).load(initiative.id);
  }

  @ResolveField(() => Int, {
    description: INITIATIVE_FIGURES.currentMemberCount,
    deprecationReason: INITIATIVE_FIGURES.memberCountDeprecation(
      'currentMemberCount (the same figure), or allTimeMemberCount',
    ),
  })
  memberCount(initiative: Initiative, _: unknown, context: GraphQLContext): Promise<number> {
    return this.currentMemberCount(initiative, _, context);
  }

  @ResolveField(() => Int, { description: INITIATIVE_FIGURES.currentMemberCount })
  async currentMemberCount(
    initiative: Initiative,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<number> {
    return (await loaders.get(this.memberships.currentOf).load(initiative.id)).length;
  }

  @ResolveField(() => Int, { description: INITIATIVE_FIGURES.allTimeMemberCount })
  allTimeMemberCount(
    initiative: Initiative,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<number> {
    return loaders.get(this.memberships.allTimeCountOf).load(initiative.id);
  }

  @ResolveField(() => Int, { description: INITIATIVE_FIGURES.hoursCommittedPerWeek })
  async hoursCommittedPerWeek(
    initiative: Initiative,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<number> {
    const members = await loaders.get(this.memberships.currentOf).load(initiative.id);
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
    return loaders.get(this.milestoneRepository.ofInitiative).load(initiative.id);
  }

  @ResolveField(() => Float, {
    nullable: true,
    description: INITIATIVE_FIGURES.milestoneProgressPercent,
  })
  async milestoneProgressPercent(
    initiative: Initiative,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<number | null> {
    return milestoneProgressPercent(
      await loaders.get(this.milestoneRepository.ofInitiative).load(initiative.id),
    );
  }

  @ResolveField(() => [OutcomeMetric], { description: atMost(MAX_METRICS_PER_INITIATIVE) })
  @MaxItems(MAX_METRICS_PER_INITIATIVE)
  metrics(
    initiative: Initiative,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<OutcomeMetric[]> {
    return loaders.get(this.metricRepository.ofInitiative).load(initiative.id);
  }
}
