import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isAnyLead, type Actor } from '../../common/auth/actor.js';
import { sundayOf, weeksOf, type DateRange } from '../../common/graphql/date-range.js';
import { SqlParams } from '../../common/graphql/keyset.js';
import { addPnl, pnlOf, ZERO_PNL } from '../budget/pnl.js';
import type { FlowByKind } from '../ledger/account-flow.service.js';
import type { TransferKind } from '../ledger/ledger.enums.js';
import type { TeamPnl, TeamPnlReport } from './models/dashboard.models.js';

/**
 * Every team's P&L over a period, from the weekly flow summary (account_flow): one pass over
 * a few rows per team and week, whatever the number of transfers. Open books: admins and team
 * leads see every team, members their own teams.
 */
@Injectable()
export class TeamPnlService {
  constructor(private readonly dataSource: DataSource) {}

  async report(actor: Actor, period: DateRange | undefined): Promise<TeamPnlReport> {
    const weeks = weeksOf(period);
    const everyTeam = actor.isAdmin || isAnyLead(actor);
    const params = new SqlParams();
    const visible = everyTeam ? 'TRUE' : `t.id = ANY(${params.add([...actor.memberOf])}::uuid[])`;
    const inWeeks = ['TRUE'];
    if (weeks.from) inWeeks.push(`f.week >= ${params.add(weeks.from)}::date`);
    if (weeks.to) inWeeks.push(`f.week <= ${params.add(weeks.to)}::date`);
    const rows = (await this.dataSource.query(
      `SELECT t.id AS "teamId", t.name, a.id AS "accountId", a.balance::text AS balance,
              coalesce(flows.by_kind, '{}') AS "byKind"
         FROM team t
         JOIN account a ON a.kind = 'TEAM' AND a.owner_id = t.id
         LEFT JOIN LATERAL (
           SELECT jsonb_object_agg(kind, jsonb_build_object('in', amount_in, 'out', amount_out)) AS by_kind
             FROM (SELECT f.kind, sum(f.amount_in) AS amount_in, sum(f.amount_out) AS amount_out
                     FROM account_flow f WHERE f.account_id = a.id AND ${inWeeks.join(' AND ')}
                    GROUP BY f.kind) per_kind
         ) flows ON TRUE
        WHERE ${visible}
        ORDER BY t.name`,
      params.values,
    )) as {
      teamId: string;
      name: string;
      accountId: string;
      balance: string;
      byKind: FlowByKind;
    }[];
    const teams: TeamPnl[] = rows.map((row) => ({
      teamId: row.teamId,
      name: row.name,
      accountId: row.accountId,
      weeks,
      balance: Number(row.balance),
      ...pnlOf(numbers(row.byKind)),
    }));
    return {
      period: { from: weeks.from, to: weeks.to ? sundayOf(weeks.to) : null },
      totals: teams.reduce((sum, team) => addPnl(sum, team), ZERO_PNL),
      teams,
      accountIds: teams.map((team) => team.accountId),
      weeks,
    };
  }
}

/** jsonb numbers arrive as numbers, bigint sums as strings: make them numbers. */
function numbers(byKind: FlowByKind): FlowByKind {
  const result: FlowByKind = {};
  for (const [kind, flow] of Object.entries(byKind) as [
    TransferKind,
    { in: number; out: number },
  ][]) {
    result[kind] = { in: Number(flow.in), out: Number(flow.out) };
  }
  return result;
}
