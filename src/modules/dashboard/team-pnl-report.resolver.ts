import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ConnectionArgs, type ConnectionResult } from '../../common/graphql/connection.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import { PnlWeek } from '../budget/budget.models.js';
import { MAX_PNL_WEEKS, weeklyPnl } from '../budget/pnl.js';
import { TeamPnl, TeamPnlConnection, TeamPnlReport } from './models/dashboard.models.js';
import { TeamPnlService } from './team-pnl.service.js';

/** The P&L report: its teams a page at a time, and all of them together week by week. */
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
    return weeklyPnl(report.combinedWeekly, report.combinedHoursWeekly);
  }
}
