import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { toConnection, type ConnectionResult } from '../../common/graphql/connection.js';
import { decodeCursor } from '../../common/graphql/cursor.js';
import { sundayOf, weeksOf, type DateRange } from '../../common/graphql/date-range.js';
import { addPnl, pnlOf, ZERO_PNL } from '../budget/pnl.js';
import { TeamHoursService } from '../budget/team-hours.service.js';
import { AccountFlowService } from '../ledger/account-flow.service.js';
import { pnlTeamsVisibleTo } from './dashboard-policy.js';
import type { TeamPnl, TeamPnlReport } from './models/dashboard.models.js';
import { TeamPnlRepository } from './team-pnl.repository.js';

/** Team names are unique: a name alone orders the report and marks a place in it. */
const byName = (a: TeamPnl, b: TeamPnl): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Every team's P&L over a period, from the weekly flow summary (account_flow): one pass over
 * a few rows per team and week, whatever the number of transfers (12 weeks of 500 teams is
 * about 17 000 rows, summed two ways at once), and one pass over the period's logged hours
 * for their review states (TeamHoursService). Open books (dashboard-policy.ts):
 * admins and team leads see every team, members their own teams.
 */
@Injectable()
export class TeamPnlService {
  constructor(
    private readonly repository: TeamPnlRepository,
    private readonly flows: AccountFlowService,
    private readonly hours: TeamHoursService,
  ) {}

  async report(actor: Actor, period: DateRange | undefined): Promise<TeamPnlReport> {
    const weeks = weeksOf(period);
    const visible = pnlTeamsVisibleTo(actor);
    const accounts = await this.repository.teamAccounts(visible);
    // Every team's totals and the weekly series in one pass over the weekly flow summary.
    const [flows, hours] = await Promise.all([
      this.flows.report(
        accounts.map((team) => team.accountId),
        weeks,
      ),
      // The same for their hours by review state, by the week worked (every team's summary
      // rows by week alone when the reader sees every team).
      this.hours.report(visible && accounts.map((team) => team.teamId), weeks),
    ]);
    const teams: TeamPnl[] = accounts.map((team) => ({
      ...team,
      weeks,
      ...pnlOf(flows.perAccount.get(team.accountId) ?? {}, hours.perTeam.get(team.teamId)),
    }));
    return {
      period: { from: weeks.from, to: weeks.to ? sundayOf(weeks.to) : null },
      totals: teams.reduce((sum, team) => addPnl(sum, team), ZERO_PNL),
      teams,
      combinedWeekly: flows.combinedWeekly,
      combinedHoursWeekly: hours.combinedWeekly,
    };
  }

  /**
   * A page of a report's teams, by name: the report holds every team the reader may see, and
   * the cursor is the last name seen (compared the same way the page is sorted).
   */
  teamsPage(report: TeamPnlReport, first: number, after?: string): ConnectionResult<TeamPnl> {
    const sorted = [...report.teams].sort(byName);
    const [afterName] = after ? decodeCursor(after, ['text']) : [];
    const rest =
      afterName === undefined ? sorted : sorted.filter((t) => t.name > String(afterName));
    return toConnection(
      rest.slice(0, first + 1),
      first,
      (team) => [team.name],
      async () => report.teams.length,
    );
  }
}
