import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isAnyLead, type Actor } from '../../common/auth/actor.js';
import { toConnection, type ConnectionResult } from '../../common/graphql/connection.js';
import { decodeCursor } from '../../common/graphql/cursor.js';
import { sundayOf, weeksOf, type DateRange } from '../../common/graphql/date-range.js';
import { SqlParams } from '../../database/keyset.js';
import { addPnl, pnlOf, ZERO_PNL } from '../budget/pnl.js';
import { AccountFlowService } from '../ledger/account-flow.service.js';
import type { TeamPnl, TeamPnlReport } from './models/dashboard.models.js';

/** Team names are unique: a name alone orders the report and marks a place in it. */
const byName = (a: TeamPnl, b: TeamPnl): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Every team's P&L over a period, from the weekly flow summary (account_flow): one pass over
 * a few rows per team and week, whatever the number of transfers (12 weeks of 500 teams is
 * about 17 000 rows, summed two ways at once). Open books: admins and team
 * leads see every team, members their own teams.
 */
@Injectable()
export class TeamPnlService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly flows: AccountFlowService,
  ) {}

  async report(actor: Actor, period: DateRange | undefined): Promise<TeamPnlReport> {
    const weeks = weeksOf(period);
    const everyTeam = actor.isAdmin || isAnyLead(actor);
    const params = new SqlParams();
    const visible = everyTeam ? 'TRUE' : `t.id = ANY(${params.add([...actor.memberOf])}::uuid[])`;
    const rows = (await this.dataSource.query(
      `SELECT t.id AS "teamId", t.name, a.id AS "accountId", a.balance::text AS balance
         FROM team t JOIN account a ON a.kind = 'TEAM' AND a.owner_id = t.id
        WHERE ${visible}
        ORDER BY t.name`,
      params.values,
    )) as { teamId: string; name: string; accountId: string; balance: string }[];
    // Every team's totals and the weekly series in one pass over the weekly flow summary.
    const flows = await this.flows.report(
      rows.map((row) => row.accountId),
      weeks,
    );
    const teams: TeamPnl[] = rows.map((row) => ({
      teamId: row.teamId,
      name: row.name,
      accountId: row.accountId,
      weeks,
      balance: Number(row.balance),
      ...pnlOf(flows.perAccount.get(row.accountId) ?? {}),
    }));
    return {
      period: { from: weeks.from, to: weeks.to ? sundayOf(weeks.to) : null },
      totals: teams.reduce((sum, team) => addPnl(sum, team), ZERO_PNL),
      teams,
      combinedWeekly: flows.combinedWeekly,
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
