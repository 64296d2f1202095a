import { Args, Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor.js';
import { DateRange } from '../../common/graphql/date-range.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import { FirstPagesChild, MaxItems } from '../../common/graphql/list-limits.js';
import { MAX_PNL_WEEKS, pnlWeeksOf } from '../budget/pnl.js';
import {
  IdeaFunnelArgs,
  InitiativeOutcomesArgs,
  MarketStatsArgs,
  MAX_MARKET_STATS_SKILLS,
} from './dto/dashboard.inputs.js';
import { IdeaFunnelService } from './idea-funnel.service.js';
import { InitiativeOutcomesService } from './initiative-outcomes.service.js';
import { MarketStatsService } from './market-stats.service.js';
import {
  IdeaFunnel,
  InitiativeOutcomes,
  MarketStats,
  TeamPnlReport,
} from './models/dashboard.models.js';
import { TeamPnlService } from './team-pnl.service.js';

const PERIOD = {
  type: () => DateRange,
  nullable: true,
  description: `Counted by whole weeks (Monday to Sunday, UTC), at most ${MAX_PNL_WEEKS} of them; all time if omitted.`,
} as const;

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
      'Initiatives in numbers, best outcome score first by default, with org-wide totals. Page the initiatives on the connection: initiatives(first, after).',
  })
  @FirstPagesChild('initiatives')
  async initiativeOutcomes(@Args() args: InitiativeOutcomesArgs): Promise<InitiativeOutcomes> {
    return {
      totals: await this.outcomes.totals(args.filter),
      filter: args.filter,
      sort: args.sort,
      deprecatedPage: { first: args.first, after: args.after },
    };
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
