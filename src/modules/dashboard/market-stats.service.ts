import { Injectable } from '@nestjs/common';
import { weeksOf } from '../../common/graphql/date-range.js';
import { normalizeSkillName } from '../skill/skill-name.js';
import type { MarketStatsFilter } from './dto/dashboard.inputs.js';
import { MarketStatsRepository } from './market-stats.repository.js';
import type { MarketStats } from './models/dashboard.models.js';
import { SummaryRefreshRepository } from './summary-refresh.repository.js';
import { MARKET_VIEWS } from './summary-refresh.service.js';

/**
 * The skills market from the materialized views (refreshed every minute): demand and supply
 * now, and over the chosen weeks what was posted, how much of it filled and how fast, the
 * rates accepted, and the hours worked by where their review stands.
 */
@Injectable()
export class MarketStatsService {
  constructor(
    private readonly repository: MarketStatsRepository,
    private readonly refreshes: SummaryRefreshRepository,
  ) {}

  async stats(filter: MarketStatsFilter | undefined, first: number): Promise<MarketStats> {
    const weeks = weeksOf(filter?.period);
    const skills = await this.repository.skills(
      {
        skillId: filter?.skillId,
        normalizedName: filter?.skill ? normalizeSkillName(filter.skill) : undefined,
        weeks,
      },
      first,
    );
    const hours = await this.repository.hours(weeks);
    const asOf = await this.refreshes.oldestRefresh(MARKET_VIEWS);
    return {
      asOf,
      hours,
      skills: skills.map(({ p25, median, p75, ...skill }) => ({
        ...skill,
        fillRatePercent:
          skill.needsPosted > 0
            ? Math.round((skill.needsFilled / skill.needsPosted) * 1000) / 10
            : null,
        acceptedRate: median === null ? null : { p25: p25!, median, p75: p75! },
      })),
    };
  }
}
