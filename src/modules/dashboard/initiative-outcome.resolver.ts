import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Loaders } from '../../common/graphql/decorators.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import type { RequestLoaders } from '../../common/graphql/request-loaders.js';
import { MAX_METRICS_PER_INITIATIVE } from '../initiative/initiative-limits.js';
import { InitiativeService } from '../initiative/initiative.service.js';
import { metricProgressPercent } from '../initiative/metric-progress.js';
import { Initiative } from '../initiative/models/initiative.models.js';
import { Team } from '../team/team.model.js';
import { TeamService } from '../team/team.service.js';
import { MemberTeamsArgs } from './dto/dashboard.inputs.js';
import { InitiativeOutcome, MetricOutcome } from './models/dashboard.models.js';

/** An initiative's outcome row: the initiative, its teams and its metrics, through loaders. */
@Resolver(() => InitiativeOutcome)
export class InitiativeOutcomeResolver {
  constructor(
    private readonly initiativeService: InitiativeService,
    private readonly teamService: TeamService,
  ) {}

  @ResolveField(() => Initiative)
  initiative(
    outcome: InitiativeOutcome,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Initiative> {
    return loaders.loadRequired(this.initiativeService.byId, outcome.initiativeId, 'Initiative');
  }

  @ResolveField(() => Team)
  sponsorTeam(outcome: InitiativeOutcome, _: unknown, { loaders }: GraphQLContext): Promise<Team> {
    return loaders.loadRequired(this.teamService.byId, outcome.sponsorTeamId, 'Team');
  }

  // The people who have ever been members are not bounded, so neither are their teams: a
  // client asks for as many as it shows (all but the largest initiatives fit in a page).
  @ResolveField(() => [Team], {
    description:
      'The home teams of the people who have ever been members (those allTimeMemberCount counts).',
  })
  async memberTeams(
    @Parent() outcome: InitiativeOutcome,
    @Args() args: MemberTeamsArgs,
    @Loaders() loaders: RequestLoaders,
  ): Promise<Team[]> {
    const teams = await loaders.get(this.teamService.byId).loadMany(outcome.memberTeamIds);
    return teams
      .filter((team): team is Team => !!team && !(team instanceof Error))
      .sort((a, b) => a.name.localeCompare(b.name))
      .slice(0, args.first);
  }

  @ResolveField(() => [MetricOutcome], { description: atMost(MAX_METRICS_PER_INITIATIVE) })
  @MaxItems(MAX_METRICS_PER_INITIATIVE)
  async metrics(
    outcome: InitiativeOutcome,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<MetricOutcome[]> {
    const metrics = await loaders.get(this.initiativeService.metrics).load(outcome.initiativeId);
    const series = await loaders
      .get(this.initiativeService.recentValues)
      .loadMany(metrics.map((m) => m.id));
    return metrics.map((metric, i) => ({
      metricId: metric.id,
      name: metric.name,
      unit: metric.unit,
      direction: metric.direction,
      baseline: metric.baseline,
      target: metric.target,
      latestValue: metric.latestValue,
      latest: metric.latestValue,
      progressPercent: metricProgressPercent(metric, metric.latestValue),
      series: series[i] instanceof Error ? [] : (series[i] as number[]),
    }));
  }
}
