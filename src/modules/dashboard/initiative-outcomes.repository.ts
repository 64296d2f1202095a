import { Injectable } from '@nestjs/common';
import { toConnection, type ConnectionResult } from '../../common/graphql/connection.js';
import type { CursorValue } from '../../common/graphql/cursor.js';
import { SqlParams, cursorCondition, type SortColumn } from '../../database/keyset.js';
import { ReadDb } from '../../database/read-db.js';
import { rows, type Db } from '../../database/sql.js';
import { percentOf, round1 } from './dashboard-figures.js';
import { InitiativeOutcomeSort, type InitiativeOutcomesFilter } from './dto/dashboard.inputs.js';
import type { InitiativeOutcome } from './models/dashboard.models.js';

/** Org-wide sums over the initiatives a filter selects, before they are shaped for display. */
export interface InitiativeTotals {
  count: number;
  funded: number;
  spent: number;
  /** The unrounded mean outcome score; null if no initiative has one. */
  score: number | null;
  active: number;
  completed: number;
  cancelled: number;
}

type TotalsRow = Omit<InitiativeTotals, 'funded' | 'spent'> & Record<'funded' | 'spent', string>;

type OutcomeRow = Omit<
  InitiativeOutcome,
  'seq' | 'budget' | 'spent' | 'remaining' | 'milestoneProgressPercent' | 'memberCount'
> &
  Record<'seq' | 'budget' | 'spent', string>;

const SEQ: SortColumn = { sql: 'i.seq', holds: 'bigint' };

/** The sort columns of each order (all descending, the sequence last) and a row's cursor key. */
const ORDERS: Record<
  InitiativeOutcomeSort,
  [SortColumn[], (outcome: InitiativeOutcome) => CursorValue[]]
> = {
  [InitiativeOutcomeSort.SPENT]: [
    [{ sql: 'i.spent', holds: 'bigint' }, SEQ],
    (o) => [o.spent, o.seq],
  ],
  [InitiativeOutcomeSort.STARTED_AT]: [[SEQ], (o) => [o.seq]],
  [InitiativeOutcomeSort.OUTCOME_SCORE]: [
    [{ sql: 'coalesce(i.outcome_score, -1)', holds: 'double' }, SEQ],
    (o) => [o.scoreKey, o.seq],
  ],
};

/** The one mapper: bigint columns to numbers, and the figures derived from the row. */
function toOutcome(row: OutcomeRow): InitiativeOutcome {
  const budget = Number(row.budget);
  const spent = Number(row.spent);
  return {
    ...row,
    seq: Number(row.seq),
    budget,
    spent,
    remaining: budget - spent,
    memberCount: row.allTimeMemberCount,
    outcomeScore: round1(row.outcomeScore),
    milestoneProgressPercent: percentOf(row.milestonesDone, row.milestonesTotal),
  };
}

/**
 * Initiatives in numbers, read across the initiative, market and employee tables (reads only).
 * Sorting and totals read only columns of `initiative` kept in the writing transactions
 * (budget, spent, outcome_score), so they cost one pass over at most a few thousand rows; the
 * per-initiative details are computed for the page only.
 */
@Injectable()
export class InitiativeOutcomesRepository {
  /** Stale-tolerant reads: the read replica when this request may use it (README). */
  constructor(private readonly reads: ReadDb) {}

  /** Counts, money and the mean score over every initiative the filter selects. */
  async totals(
    filter: InitiativeOutcomesFilter | undefined,
    db: Db = this.reads,
  ): Promise<InitiativeTotals> {
    const params = new SqlParams();
    const [row] = await rows<TotalsRow>(
      db,
      `SELECT count(*)::int AS count, coalesce(sum(i.budget), 0)::text AS funded,
              coalesce(sum(i.spent), 0)::text AS spent, avg(i.outcome_score) AS score,
              count(*) FILTER (WHERE i.status = 'ACTIVE')::int AS active,
              count(*) FILTER (WHERE i.status = 'COMPLETED')::int AS completed,
              count(*) FILTER (WHERE i.status = 'CANCELLED')::int AS cancelled
         FROM initiative i WHERE ${this.where(filter, params)}`,
      params.values,
    );
    return { ...row, funded: Number(row.funded), spent: Number(row.spent) };
  }

  /**
   * A page of the selected initiatives, highest first in the chosen order, after the cursor.
   * `countAll` answers `totalCount` (the caller has the totals already).
   */
  async page(
    filter: InitiativeOutcomesFilter | undefined,
    sort: InitiativeOutcomeSort,
    first: number,
    after: string | undefined,
    countAll: () => Promise<number>,
    db: Db = this.reads,
  ): Promise<ConnectionResult<InitiativeOutcome>> {
    const [orderBy, sortKey] = ORDERS[sort];
    const params = new SqlParams();
    const where = this.where(filter, params);
    const cursor = cursorCondition(orderBy, after, params, true);
    const limit = params.add(first + 1);
    // The page is chosen from `initiative` alone (a top-N over a few thousand narrow rows);
    // the per-initiative aggregates then run for those rows only, not for every initiative.
    const page = await rows<OutcomeRow>(
      db,
      `SELECT i.id AS "initiativeId", i.seq, i.title, i.status, i.created_at AS "startedAt",
              i.sponsor_team_id AS "sponsorTeamId", i.budget, i.spent, i.outcome_score AS "outcomeScore",
              coalesce(i.outcome_score, -1) AS "scoreKey", hours.committed AS "hoursCommittedPerWeek", hours.members AS "currentMemberCount",
              people.members AS "allTimeMemberCount",
              people.teams AS "memberTeamIds", logged.hours AS "hoursLogged",
              milestones.total AS "milestonesTotal", milestones.done AS "milestonesDone"
         FROM (
           SELECT i.* FROM initiative i
            WHERE ${where} AND ${cursor}
            ORDER BY ${orderBy.map((column) => `${column.sql} DESC`).join(', ')}
            LIMIT ${limit}
         ) i
         CROSS JOIN LATERAL (
           SELECT coalesce(sum(hours_per_week), 0)::int AS committed, count(*)::int AS members
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
    );
    return toConnection(page.map(toOutcome), first, sortKey, countAll);
  }

  /** The filter as conditions on `initiative i`; `startedIn` is whole UTC days. */
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
