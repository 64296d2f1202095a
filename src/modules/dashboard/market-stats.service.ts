import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { weeksOf } from '../../common/graphql/date-range.js';
import { SqlParams } from '../../database/keyset.js';
import { normalizeSkillName } from '../skill/skill-name.js';
import type { MarketStatsFilter } from './dto/dashboard.inputs.js';
import type { MarketStats, SkillMarketStats } from './models/dashboard.models.js';
import { MARKET_VIEWS } from './summary-refresh.service.js';

/**
 * The skills market from the materialized views (refreshed every minute): demand and supply
 * now, and over the chosen weeks what was posted, how much of it filled and how fast, and the
 * rates accepted. Percentiles come from per-week histograms of whole-credit rates and whole
 * hours, so they are exact (discrete: the smallest value with at least that share of the
 * observations at or below it) and cost a few thousand rows whatever the number of bids.
 */
@Injectable()
export class MarketStatsService {
  constructor(private readonly dataSource: DataSource) {}

  async stats(filter: MarketStatsFilter | undefined, first: number): Promise<MarketStats> {
    const params = new SqlParams();
    const skills: string[] = [];
    if (filter?.skillId) skills.push(`id = ${params.add(filter.skillId)}`);
    if (filter?.skill)
      skills.push(`normalized_name = ${params.add(normalizeSkillName(filter.skill))}`);
    const weeks = weeksOf(filter?.period);
    const inWeeks: string[] = ['TRUE'];
    if (weeks.from) inWeeks.push(`week >= ${params.add(weeks.from)}::date`);
    if (weeks.to) inWeeks.push(`week <= ${params.add(weeks.to)}::date`);
    const period = inWeeks.join(' AND ');
    const chosen = skills.length
      ? `skill_id IN (SELECT id FROM skill WHERE ${skills.join(' AND ')})`
      : 'TRUE';

    const rows = (await this.dataSource.query(
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
    )) as (Omit<SkillMarketStats, 'acceptedRate' | 'fillRatePercent'> & {
      p25: number | null;
      median: number | null;
      p75: number | null;
    })[];
    const [{ asOf }] = (await this.dataSource.query(
      `SELECT coalesce(min(refreshed_at), now()) AS "asOf" FROM summary_refresh WHERE name = ANY($1)`,
      [MARKET_VIEWS],
    )) as { asOf: Date }[];
    return {
      asOf,
      skills: rows.map(({ p25, median, p75, ...row }) => ({
        ...row,
        fillRatePercent:
          row.needsPosted > 0 ? Math.round((row.needsFilled / row.needsPosted) * 1000) / 10 : null,
        acceptedRate: median === null ? null : { p25: p25!, median, p75: p75! },
      })),
    };
  }
}
