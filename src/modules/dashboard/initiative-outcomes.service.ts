import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { toConnection } from '../../common/graphql/connection.js';
import { SqlParams, cursorCondition, type SortColumn } from '../../database/keyset.js';
import { InitiativeStatus } from '../initiative/initiative.enums.js';
import { InitiativeOutcomeSort, type InitiativeOutcomesFilter } from './dto/dashboard.inputs.js';
import type {
  InitiativeOutcome,
  InitiativeOutcomes,
  OutcomeTotals,
} from './models/dashboard.models.js';

const round1 = (value: number | null): number | null =>
  value === null ? null : Math.round(value * 10) / 10;

/**
 * Initiatives in numbers. Sorting and totals read only columns of `initiative` kept in the
 * writing transactions (budget, spent, outcome_score), so they cost one pass over at most a
 * few thousand rows; the per-initiative details are computed for the page only.
 */
@Injectable()
export class InitiativeOutcomesService {
  constructor(private readonly dataSource: DataSource) {}

  async outcomes(
    filter: InitiativeOutcomesFilter | undefined,
    sort: InitiativeOutcomeSort,
    first: number,
    after?: string,
  ): Promise<InitiativeOutcomes> {
    const filterParams = new SqlParams();
    const where = this.where(filter, filterParams);
    const totals = await this.totals(where, filterParams.values);

    const seq: SortColumn = { sql: 'i.seq', holds: 'bigint' };
    const [orderBy, sortKey]: [SortColumn[], (row: InitiativeOutcome) => (string | number)[]] =
      sort === InitiativeOutcomeSort.SPENT
        ? [[{ sql: 'i.spent', holds: 'bigint' }, seq], (row) => [row.spent, row.seq]]
        : sort === InitiativeOutcomeSort.STARTED_AT
          ? [[seq], (row) => [row.seq]]
          : [
              [{ sql: 'coalesce(i.outcome_score, -1)', holds: 'double' }, seq],
              (row) => [row.scoreKey, row.seq],
            ];
    const params = new SqlParams();
    const pageWhere = this.where(filter, params);
    const cursor = cursorCondition(orderBy, after, params, true);
    const limit = params.add(first + 1);
    // The page is chosen from `initiative` alone (a top-N over a few thousand narrow rows);
    // the per-initiative aggregates then run for those rows only, not for every initiative.
    const rows = (await this.dataSource.query(
      `SELECT i.id AS "initiativeId", i.seq, i.title, i.status, i.created_at AS "startedAt",
              i.sponsor_team_id AS "sponsorTeamId", i.budget, i.spent, i.outcome_score AS "outcomeScore",
              coalesce(i.outcome_score, -1) AS "scoreKey", hours.committed AS "hoursCommittedPerWeek", people.members AS "memberCount",
              people.teams AS "memberTeamIds", logged.hours AS "hoursLogged",
              milestones.total AS "milestonesTotal", milestones.done AS "milestonesDone"
         FROM (
           SELECT i.* FROM initiative i
            WHERE ${pageWhere} AND ${cursor}
            ORDER BY ${orderBy.map((column) => `${column.sql} DESC`).join(', ')}
            LIMIT ${limit}
         ) i
         CROSS JOIN LATERAL (
           SELECT coalesce(sum(hours_per_week), 0)::int AS committed
             FROM initiative_member WHERE initiative_id = i.id AND left_at IS NULL
         ) hours
         CROSS JOIN LATERAL (
           SELECT count(DISTINCT m.employee_id)::int AS members,
                  coalesce(array_agg(DISTINCT e.home_team_id) FILTER (WHERE e.id IS NOT NULL), '{}') AS teams
             FROM initiative_member m JOIN employee e ON e.id = m.employee_id WHERE m.initiative_id = i.id
         ) people
         CROSS JOIN LATERAL (
           SELECT coalesce(sum(g.logged_hours), 0)::int AS hours
             FROM need n JOIN engagement g ON g.need_id = n.id
            WHERE n.buyer_kind = 'INITIATIVE' AND n.buyer_id = i.id
         ) logged
         CROSS JOIN LATERAL (
           SELECT count(*)::int AS total, count(completed_at)::int AS done FROM milestone WHERE initiative_id = i.id
         ) milestones
        ORDER BY ${orderBy.map((column) => `${column.sql} DESC`).join(', ')}`,
      params.values,
    )) as (Omit<InitiativeOutcome, 'seq' | 'budget' | 'spent'> &
      Record<'seq' | 'budget' | 'spent', string>)[];
    const outcomes: InitiativeOutcome[] = rows.map((row) => {
      const budget = Number(row.budget);
      const spent = Number(row.spent);
      return {
        ...row,
        seq: Number(row.seq),
        budget,
        spent,
        remaining: budget - spent,
        outcomeScore: round1(row.outcomeScore),
        milestoneProgressPercent:
          row.milestonesTotal > 0 ? round1((row.milestonesDone / row.milestonesTotal) * 100) : null,
      };
    });
    return {
      totals,
      initiatives: toConnection(outcomes, first, sortKey, async () => totals.initiativeCount),
    };
  }

  private async totals(where: string, params: unknown[]): Promise<OutcomeTotals> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS count, coalesce(sum(i.budget), 0)::text AS funded,
              coalesce(sum(i.spent), 0)::text AS spent, avg(i.outcome_score) AS score,
              count(*) FILTER (WHERE i.status = 'ACTIVE')::int AS active,
              count(*) FILTER (WHERE i.status = 'COMPLETED')::int AS completed,
              count(*) FILTER (WHERE i.status = 'CANCELLED')::int AS cancelled
         FROM initiative i WHERE ${where}`,
      params,
    )) as {
      count: number;
      funded: string;
      spent: string;
      score: number | null;
      active: number;
      completed: number;
      cancelled: number;
    }[];
    return {
      initiativeCount: row.count,
      funded: Number(row.funded),
      spent: Number(row.spent),
      averageOutcomeScore: round1(row.score),
      byStatus: [
        { status: InitiativeStatus.ACTIVE, count: row.active },
        { status: InitiativeStatus.COMPLETED, count: row.completed },
        { status: InitiativeStatus.CANCELLED, count: row.cancelled },
      ],
    };
  }

  private where(filter: InitiativeOutcomesFilter | undefined, params: SqlParams): string {
    const conditions = ['TRUE'];
    if (filter?.status) conditions.push(`i.status = ${params.add(filter.status)}`);
    if (filter?.sponsorTeamId)
      conditions.push(`i.sponsor_team_id = ${params.add(filter.sponsorTeamId)}`);
    if (filter?.fundedByTeamId) {
      conditions.push(
        `EXISTS (SELECT 1 FROM initiative_funder f WHERE f.initiative_id = i.id AND f.team_id = ${params.add(filter.fundedByTeamId)})`,
      );
    }
    if (filter?.startedIn?.from) {
      conditions.push(
        `i.created_at >= ${params.add(filter.startedIn.from)}::date::timestamp AT TIME ZONE 'UTC'`,
      );
    }
    if (filter?.startedIn?.to) {
      conditions.push(
        `i.created_at < (${params.add(filter.startedIn.to)}::date + 1)::timestamp AT TIME ZONE 'UTC'`,
      );
    }
    return conditions.join(' AND ');
  }
}
