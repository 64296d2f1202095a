import { ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import { PnlWeek } from '../budget/budget.models.js';
import { MAX_PNL_WEEKS, weeklyPnl } from '../budget/pnl.js';
import { TeamHoursService } from '../budget/team-hours.service.js';
import { AccountFlowService } from '../ledger/account-flow.service.js';
import { Team } from '../team/team.model.js';
import { TeamService } from '../team/team.service.js';
import { TeamPnl } from './models/dashboard.models.js';

const WEEKLY = atMost(
  MAX_PNL_WEEKS,
  'Week by week over the period (weeks without credits moved or hours worked left out); over all time, the latest weeks.',
);

/** One team's line of the P&L report: the team, and its weekly series through loaders. */
@Resolver(() => TeamPnl)
export class TeamPnlResolver {
  constructor(
    private readonly teamService: TeamService,
    private readonly flows: AccountFlowService,
    private readonly hours: TeamHoursService,
  ) {}

  @ResolveField(() => Team)
  team(pnl: TeamPnl, _: unknown, { loaders }: GraphQLContext): Promise<Team> {
    return loaders.loadRequired(this.teamService.byId, pnl.teamId, 'Team');
  }

  @ResolveField(() => [PnlWeek], { description: WEEKLY })
  @MaxItems(MAX_PNL_WEEKS)
  async weekly(pnl: TeamPnl, _: unknown, { loaders }: GraphQLContext): Promise<PnlWeek[]> {
    const [flows, hours] = await Promise.all([
      loaders.get(this.flows.weekly).load({ accountId: pnl.accountId, weeks: pnl.weeks }),
      loaders.get(this.hours.weekly).load({ teamId: pnl.teamId, weeks: pnl.weeks }),
    ]);
    return weeklyPnl(flows, hours);
  }
}
