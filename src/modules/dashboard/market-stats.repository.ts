import { Injectable } from '@nestjs/common';
import type { WeekRange } from '../../common/graphql/date-range.js';
import { SqlParams } from '../../database/keyset.js';
import { ReadDb } from '../../database/read-db.js';
import { rows, type Db } from '../../database/sql.js';
import type { MarketHours, SkillMarketStats } from './models/dashboard.models.js';

/** Which skills, over which weeks (named by their Mondays). */
export interface MarketSkillsFilter {
  skillId?: string;
  /** A skill's name as `normalizeSkillName` gives it. */
  normalizedName?: string;
  weeks: WeekRange;
}

/** One skill's market figures as the views hold them, percentiles not yet paired up. */
export type SkillMarketFigures = Omit<SkillMarketStats, 'acceptedRate' | 'fillRatePercent'> & {
  p25: number | null;
  median: number | null;
  p75: number | null;
};

/**
 * The skills market from the dashboard's materialized views (market_need_week,
 * market_rate_week, market_fill_time_week, market_skill_now, market_hours_week; see
 * SummaryRefreshService).
 * Percentiles come from per-week histograms of whole-credit rates and whole hours, so they
 * are exact (discrete: the smallest value with at least that share of the observations at or
 * below it) and cost a few thousand rows whatever the number of bids.
 */
@Injectable()
export class MarketStatsRepository {
  /** Stale-tolerant reads: the read replica when this request may use it (README). */
  constructor(private readonly reads: ReadDb) {}

  /** The first `first` chosen skills, most open demand first, then most needs posted. */
  async skills(
    filter: MarketSkillsFilter,
    first: number,
    db: Db = this.reads,
  ): Promise<SkillMarketFigures[]> {
    const params = new SqlParams();
    const skills: string[] = [];
    if (filter.skillId) skills.push(`id = ${params.add(filter.skillId)}`);
    if (filter.normalizedName !== undefined)
      skills.push(`normalized_name = ${params.add(filter.normalizedName)}`);
    const inWeeks: string[] = ['TRUE'];
    if (filter.weeks.from) inWeeks.push(`week >= ${params.add(filter.weeks.from)}::date`);
    if (filter.weeks.to) inWeeks.push(`week <= ${params.add(filter.weeks.to)}::date`);
    const period = inWeeks.join(' AND ');
    const chosen = skills.length
      ? `skill_id IN (SELECT id FROM skill WHERE ${skills.join(' AND ')})`
      : 'TRUE';
    return rows<SkillMarketFigures>(
      db,
      `WITH needs AS (
         SELECT skill_id, sum(needs_posted)::int AS posted, sum(needs_filled)::int AS filled
           FROM market_need_week WHERE ${chosen} AND ${period} GROUP BY skill_id
       ),
       rates AS (
         SELECT skill_id, rate, sum(bids) AS n,
                sum(sum(bids)) OVER (PARTITION BY skill_id ORDER BY rate) AS below,
                sum(sum(bids)) OVER (PARTITION BY skill_id) AS total
           FROM market_rate_week WHERE ${chosen} AND ${period} GROUP BY skill_id, rate
       ),
       rate_percentiles AS (
         SELECT skill_id, max(total)::int AS accepted,
                min(rate) FILTER (WHERE below >= 0.25 * total) AS p25,
                min(rate) FILTER (WHERE below >= 0.5 * total) AS median,
                min(rate) FILTER (WHERE below >= 0.75 * total) AS p75
           FROM rates GROUP BY skill_id
       ),
       fill_times AS (
         SELECT skill_id, hours_to_fill,
                sum(sum(needs)) OVER (PARTITION BY skill_id ORDER BY hours_to_fill) AS below,
                sum(sum(needs)) OVER (PARTITION BY skill_id) AS total
           FROM market_fill_time_week WHERE ${chosen} AND ${period} GROUP BY skill_id, hours_to_fill
       ),
       fill_median AS (
         SELECT skill_id, min(hours_to_fill) FILTER (WHERE below >= 0.5 * total) AS median FROM fill_times GROUP BY skill_id
       )
       SELECT s.skill_id AS "skillId", s.open_needs AS "openNeeds", s.open_demand_hours AS "openDemandHoursPerWeek",
              s.holders, s.supply_hours AS "supplyHoursPerWeek",
              coalesce(n.posted, 0) AS "needsPosted", coalesce(n.filled, 0) AS "needsFilled",
              coalesce(r.accepted, 0) AS "acceptedBids", r.p25, r.median, r.p75,
              f.median AS "medianHoursToFill"
         FROM market_skill_now s
         LEFT JOIN needs n USING (skill_id)
         LEFT JOIN rate_percentiles r USING (skill_id)
         LEFT JOIN fill_median f USING (skill_id)
        WHERE ${chosen}
        ORDER BY s.open_demand_hours DESC, coalesce(n.posted, 0) DESC, s.skill_id
        LIMIT ${params.add(first)}`,
      params.values,
    );
  }

  /**
   * The market's logged hours in these weeks (by the ISO week worked), by where their review
   * stands now, and what they are worth at their engagements' rates.
   */
  async hours(weeks: WeekRange, db: Db = this.reads): Promise<MarketHours> {
    const params = new SqlParams();
    const inWeeks: string[] = ['TRUE'];
    if (weeks.from) inWeeks.push(`week >= ${params.add(weeks.from)}::date`);
    if (weeks.to) inWeeks.push(`week <= ${params.add(weeks.to)}::date`);
    const sum = (what: 'hours' | 'credits', status: string) =>
      `coalesce(sum(${what}) FILTER (WHERE status = '${status}'), 0)::text`;
    const [row] = await rows<Record<keyof MarketHours, string>>(
      db,
      `SELECT ${sum('hours', 'PENDING')} AS "hoursPending", ${sum('hours', 'DISPUTED')} AS "hoursDisputed",
              ${sum('hours', 'APPROVED')} AS "hoursPaid", ${sum('hours', 'REFUNDED')} AS "hoursRefunded",
              ${sum('credits', 'PENDING')} AS "creditsPending", ${sum('credits', 'DISPUTED')} AS "creditsDisputed",
              ${sum('credits', 'APPROVED')} AS "creditsPaid", ${sum('credits', 'REFUNDED')} AS "creditsRefunded"
         FROM market_hours_week WHERE ${inWeeks.join(' AND ')}`,
      params.values,
    );
    return {
      hoursPending: Number(row.hoursPending),
      hoursDisputed: Number(row.hoursDisputed),
      hoursPaid: Number(row.hoursPaid),
      hoursRefunded: Number(row.hoursRefunded),
      creditsPending: Number(row.creditsPending),
      creditsDisputed: Number(row.creditsDisputed),
      creditsPaid: Number(row.creditsPaid),
      creditsRefunded: Number(row.creditsRefunded),
    };
  }
}
