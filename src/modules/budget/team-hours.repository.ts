import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReadDb } from '../../database/read-db.js';
import type { WeekRange } from '../../common/graphql/date-range.js';
import { SqlParams } from '../../database/keyset.js';
import { rows, type Db } from '../../database/sql.js';
import type { TeamHours } from './pnl.js';

/** A team's hours by review state, over a range or (with `week`) in one week of it. */
export interface HoursLine extends TeamHours {
  /** Null on the combined weekly lines of a report. */
  teamId: string | null;
  /** The Monday of the ISO week worked (YYYY-MM-DD); null or absent on totals. */
  week?: string | null;
}

/**
 * The ISO week (Monday, UTC) of a work date. The cast to timestamp keeps the session's time
 * zone out of it: date_trunc on a date would go through timestamptz.
 */
const WEEK_OF_WORK = `date_trunc('week', l.work_date::timestamp)::date`;

/**
 * Hours logged in the market, read for the teams' P&L across the market's tables
 * (team_hours_week, time_log, engagement, need; reads only). Worked hours belong to the team
 * each log pays (`payee_team_id`, the worker's home team when they logged them) and come from
 * the weekly summary a trigger keeps (TeamHoursWeekEntity): a few rows per team and week
 * whatever the number of logs. Bought hours belong to the team buying the need (team buyers
 * only: an initiative's needs are its own budget's); only those still under review are read,
 * from the logs themselves (few at any time, through their partial index).
 */
@Injectable()
export class TeamHoursRepository {
  constructor(
    private readonly dataSource: DataSource,
    /** Stale-tolerant reads: the read replica when this request may use it (README). */
    private readonly reads: ReadDb,
  ) {}

  /** The teams' hours over the range, by team, and also by week when `byWeek` (in week order). */
  sums(teamIds: string[], weeks: WeekRange, byWeek: boolean): Promise<HoursLine[]> {
    const by = byWeek ? 'team_id, week' : 'team_id';
    return this.query(this.dataSource, teamIds, weeks, by, by);
  }

  /**
   * In one pass (GROUPING SETS): lines per team over the range (week null), and lines per
   * week over all the teams together (teamId null), in week order; `null` for every team,
   * which reads the summary by week alone (no list of every team's id to match). For the
   * teamPnl dashboard: may come from the read replica.
   */
  perTeamAndCombinedWeekly(teamIds: string[] | null, weeks: WeekRange): Promise<HoursLine[]> {
    return this.query(
      this.reads,
      teamIds,
      weeks,
      'GROUPING SETS ((team_id), (week))',
      'week, team_id',
    );
  }

  private query(
    db: Db,
    teamIds: string[] | null,
    weeks: WeekRange,
    groupBy: string,
    orderBy: string,
  ): Promise<HoursLine[]> {
    if (teamIds?.length === 0) return Promise.resolve([]);
    const params = new SqlParams();
    const teams = teamIds && params.add(teamIds);
    /** The teams' condition on a team id column; none for every team. */
    const ofTeams = (column: string): string =>
      teams ? `${column} = ANY(${teams}::uuid[])` : 'TRUE';
    const from = weeks.from ? params.add(weeks.from) : undefined;
    const to = weeks.to ? params.add(weeks.to) : undefined;
    /** The period's condition on a date column (a week's Monday or a day of work). */
    const within = (column: string): string =>
      [
        from ? `${column} >= ${from}::date` : 'TRUE',
        to ? `${column} < ${to}::date + 7` : 'TRUE',
      ].join(' AND ');
    const weekColumn = groupBy.includes('week') ? `to_char(week, 'YYYY-MM-DD')` : 'NULL';
    return rows<HoursLine>(
      db,
      `WITH lines AS (
         SELECT h.team_id, h.week,
                sum(h.hours) FILTER (WHERE h.status = 'PENDING') AS pending,
                sum(h.hours) FILTER (WHERE h.status = 'DISPUTED') AS disputed,
                sum(h.hours) FILTER (WHERE h.status = 'APPROVED') AS paid,
                sum(h.hours) FILTER (WHERE h.status = 'REFUNDED') AS refunded,
                NULL::bigint AS bought
           FROM team_hours_week h
          WHERE ${ofTeams('h.team_id')} AND ${within('h.week')}
          GROUP BY 1, 2
         UNION ALL
         SELECT n.buyer_id, ${WEEK_OF_WORK}, NULL, NULL, NULL, NULL, sum(l.hours)
           FROM need n
           JOIN engagement g ON g.need_id = n.id
           JOIN time_log l ON l.engagement_id = g.id
          WHERE n.buyer_kind = 'TEAM' AND ${ofTeams('n.buyer_id')}
            AND l.status IN ('PENDING', 'DISPUTED') AND ${within('l.work_date')}
          GROUP BY 1, 2
       )
       SELECT team_id AS "teamId", ${weekColumn} AS week,
              coalesce(sum(pending), 0)::int AS pending, coalesce(sum(disputed), 0)::int AS disputed,
              coalesce(sum(paid), 0)::int AS paid, coalesce(sum(refunded), 0)::int AS refunded,
              coalesce(sum(bought), 0)::int AS "boughtUnderReview"
         FROM lines
        GROUP BY ${groupBy}
        ORDER BY ${orderBy}`,
      params.values,
    );
  }
}
