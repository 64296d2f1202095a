import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor.js';
import { ConnectionArgs, type ConnectionResult } from '../../common/graphql/connection.js';
import { DateRange } from '../../common/graphql/date-range.js';
import { CurrentActor, Loaders } from '../../common/graphql/decorators.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import type { RequestLoaders } from '../../common/graphql/request-loaders.js';
import { PnlWeek } from '../budget/budget.models.js';
import { latestWeeks, MAX_PNL_WEEKS, pnlOf, pnlWeeksOf } from '../budget/pnl.js';
import { MAX_METRICS_PER_INITIATIVE } from '../initiative/initiative-limits.js';
import { InitiativeService } from '../initiative/initiative.service.js';
import { metricProgressPercent } from '../initiative/metric-progress.js';
import { Initiative } from '../initiative/models/initiative.models.js';
import { AccountFlowService } from '../ledger/account-flow.service.js';
import { Skill } from '../skill/skill.model.js';
import { SkillService } from '../skill/skill.service.js';
import { Team } from '../team/team.model.js';
import { TeamService } from '../team/team.service.js';
import {
  IdeaFunnelArgs,
  InitiativeOutcomesArgs,
  MarketStatsArgs,
  MAX_MARKET_STATS_SKILLS,
  MemberTeamsArgs,
} from './dto/dashboard.inputs.js';
import { IdeaFunnelService } from './idea-funnel.service.js';
import { InitiativeOutcomesService } from './initiative-outcomes.service.js';
import { MarketStatsService } from './market-stats.service.js';
import {
  IdeaFunnel,
  InitiativeOutcome,
  InitiativeOutcomes,
  MarketStats,
  MetricOutcome,
  SkillMarketStats,
  TeamPnl,
  TeamPnlConnection,
  TeamPnlReport,
} from './models/dashboard.models.js';
import { TeamPnlService } from './team-pnl.service.js';

const PERIOD = {
  type: () => DateRange,
  nullable: true,
  description: `Counted by whole weeks (Monday to Sunday, UTC), at most ${MAX_PNL_WEEKS} of them; all time if omitted.`,
} as const;

const WEEKLY = atMost(
  MAX_PNL_WEEKS,
  'Week by week over the period (quiet weeks left out); over all time, the latest weeks.',
);

/** The dashboard queries: outcomes, market, funnel and P&L. */
@Resolver()
export class DashboardResolver {
  constructor(
    private readonly outcomes: InitiativeOutcomesService,
    private readonly market: MarketStatsService,
    private readonly funnel: IdeaFunnelService,
    private readonly pnl: TeamPnlService,
  ) {}

  @Query(() => InitiativeOutcomes, {
    description:
      'Initiatives in numbers, best outcome score first by default, with org-wide totals.',
  })
  initiativeOutcomes(@Args() args: InitiativeOutcomesArgs): Promise<InitiativeOutcomes> {
    return this.outcomes.outcomes(args.filter, args.sort, args.first, args.after);
  }

  @Query(() => MarketStats, {
    description: 'The skills market: demand, supply, clearing prices, fill rates.',
  })
  @MaxItems(MAX_MARKET_STATS_SKILLS)
  marketStats(@Args() args: MarketStatsArgs): Promise<MarketStats> {
    return this.market.stats(args.filter, args.first);
  }

  @Query(() => IdeaFunnel, {
    description:
      'How many ideas reach each stage, and how long they stay. Drafts are private: an idea counts once submitted.',
  })
  ideaFunnel(@Args() args: IdeaFunnelArgs): Promise<IdeaFunnel> {
    return this.funnel.funnel(args.filter);
  }

  @Query(() => TeamPnlReport, {
    description:
      "Every team's P&L over a period. Admins and team leads see all teams, members their own.",
  })
  teamPnl(
    @CurrentActor() actor: Actor,
    // Optional, not `DateRange | undefined`: a union's design type is Object, and the
    // validation pipe would then check nothing.
    @Args('period', PERIOD) period?: DateRange,
  ): Promise<TeamPnlReport> {
    pnlWeeksOf(period); // refuses a period longer than a weekly series holds
    return this.pnl.report(actor, period);
  }
}

@Resolver(() => InitiativeOutcome)
export class InitiativeOutcomeResolver {
  constructor(
    private readonly initiativeService: InitiativeService,
    private readonly teamService: TeamService,
  ) {}

  @ResolveField(() => Initiative)
  async initiative(
    outcome: InitiativeOutcome,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Initiative> {
    return (await loaders.get(this.initiativeService.byId).load(outcome.initiativeId))!;
  }

  @ResolveField(() => Team)
  async sponsorTeam(
    outcome: InitiativeOutcome,
    _: unknown,
    { loaders }: GraphQLContext,
  ): Promise<Team> {
    return (await loaders.get(this.teamService.byId).load(outcome.sponsorTeamId))!;
  }

  // The people who have ever been members are not bounded, so neither are their teams: a
  // client asks for as many as it shows (all but the largest initiatives fit in a page).
  @ResolveField(() => [Team], {
    description: 'The home teams of the people who have been members.',
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
      latest: metric.latestValue,
      progressPercent: metricProgressPercent(metric, metric.latestValue),
      series: series[i] instanceof Error ? [] : (series[i] as number[]),
    }));
  }
}

@Resolver(() => SkillMarketStats)
export class SkillMarketStatsResolver {
  constructor(private readonly skillService: SkillService) {}

  @ResolveField(() => Skill)
  async skill(stats: SkillMarketStats, _: unknown, { loaders }: GraphQLContext): Promise<Skill> {
    return (await loaders.get(this.skillService.byId).load(stats.skillId))!;
  }
}

@Resolver(() => TeamPnl)
export class TeamPnlResolver {
  constructor(
    private readonly teamService: TeamService,
    private readonly flows: AccountFlowService,
  ) {}

  @ResolveField(() => Team)
  async team(pnl: TeamPnl, _: unknown, { loaders }: GraphQLContext): Promise<Team> {
    return (await loaders.get(this.teamService.byId).load(pnl.teamId))!;
  }

  @ResolveField(() => [PnlWeek], { description: WEEKLY })
  @MaxItems(MAX_PNL_WEEKS)
  async weekly(pnl: TeamPnl, _: unknown, { loaders }: GraphQLContext): Promise<PnlWeek[]> {
    const weeks = await loaders
      .get(this.flows.weekly)
      .load({ accountId: pnl.accountId, weeks: pnl.weeks });
    return latestWeeks(weeks).map((w) => ({ week: w.week, ...pnlOf(w.flows) }));
  }
}

@Resolver(() => TeamPnlReport)
export class TeamPnlReportResolver {
  constructor(private readonly pnl: TeamPnlService) {}

  // A company's teams are not bounded: a page of them at a time, by name.
  @ResolveField(() => TeamPnlConnection, {
    description: 'By team name. Leads and admins see every team; members their own.',
  })
  teams(@Parent() report: TeamPnlReport, @Args() page: ConnectionArgs): ConnectionResult<TeamPnl> {
    return this.pnl.teamsPage(report, page.first, page.after);
  }

  @ResolveField(() => [PnlWeek], {
    description: atMost(
      MAX_PNL_WEEKS,
      'All the teams in the report together, week by week; over all time, the latest weeks.',
    ),
  })
  @MaxItems(MAX_PNL_WEEKS)
  weekly(report: TeamPnlReport): PnlWeek[] {
    return latestWeeks(report.combinedWeekly).map((w) => ({ week: w.week, ...pnlOf(w.flows) }));
  }
}
