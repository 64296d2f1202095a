import { Injectable } from '@nestjs/common';
import type { WeekRange } from '../../common/graphql/date-range.js';
import { BatchLoader } from '../../common/graphql/request-loaders.js';
import type { HoursWeek, TeamHours } from './pnl.js';
import { TeamHoursRepository, type HoursLine } from './team-hours.repository.js';

export interface TeamHoursKey {
  teamId: string;
  weeks: WeekRange;
}

/** Per-team totals and the combined weekly series of a set of teams' hours. */
export interface HoursReport {
  perTeam: Map<string, TeamHours>;
  combinedWeekly: HoursWeek[];
}

const rangeKey = (weeks: WeekRange): string => `${weeks.from ?? ''}:${weeks.to ?? ''}`;
const keyOf = (key: TeamHoursKey): string => `${key.teamId}:${rangeKey(key.weeks)}`;

const hoursOf = ({
  pending,
  disputed,
  paid,
  refunded,
  boughtUnderReview,
}: HoursLine): TeamHours => ({
  pending,
  disputed,
  paid,
  refunded,
  boughtUnderReview,
});

/**
 * Teams' hours in the market by review state (pending, disputed, paid, refunded) and ISO week
 * worked, for their P&L: batched per request like the money flows (AccountFlowService).
 */
@Injectable()
export class TeamHoursService {
  constructor(private readonly repository: TeamHoursRepository) {}

  /** Totals over the range, per team. */
  readonly totals = new BatchLoader<TeamHoursKey, TeamHours | undefined, string>(
    async (keys) => {
      const results = new Map<string, TeamHours>();
      for (const [weeks, teamIds] of groupByRange(keys)) {
        for (const line of await this.repository.sums(teamIds, weeks, false))
          results.set(`${line.teamId}:${rangeKey(weeks)}`, hoursOf(line));
      }
      return keys.map((key) => results.get(keyOf(key)));
    },
    { cacheKeyFn: keyOf },
  );

  /** Week by week over the range, per team (weeks without hours left out). */
  readonly weekly = new BatchLoader<TeamHoursKey, HoursWeek[], string>(
    async (keys) => {
      const results = new Map<string, HoursWeek[]>();
      for (const [weeks, teamIds] of groupByRange(keys)) {
        for (const line of await this.repository.sums(teamIds, weeks, true)) {
          const key = `${line.teamId}:${rangeKey(weeks)}`;
          results.set(key, [
            ...(results.get(key) ?? []),
            { week: line.week!, hours: hoursOf(line) },
          ]);
        }
      }
      return keys.map((key) => results.get(keyOf(key)) ?? []);
    },
    { cacheKeyFn: keyOf },
  );

  /**
   * For a report over many teams (null: every team), in one pass: each team's totals, and all
   * together by week.
   */
  async report(teamIds: string[] | null, weeks: WeekRange): Promise<HoursReport> {
    const report: HoursReport = { perTeam: new Map(), combinedWeekly: [] };
    for (const line of await this.repository.perTeamAndCombinedWeekly(teamIds, weeks)) {
      if (line.week) report.combinedWeekly.push({ week: line.week, hours: hoursOf(line) });
      else if (line.teamId) report.perTeam.set(line.teamId, hoursOf(line));
    }
    return report;
  }
}

function groupByRange(keys: readonly TeamHoursKey[]): Map<WeekRange, string[]> {
  const byRange = new Map<string, { weeks: WeekRange; teamIds: string[] }>();
  for (const key of keys) {
    const group = byRange.get(rangeKey(key.weeks)) ?? { weeks: key.weeks, teamIds: [] };
    group.teamIds.push(key.teamId);
    byRange.set(rangeKey(key.weeks), group);
  }
  return new Map([...byRange.values()].map((g) => [g.weeks, g.teamIds]));
}
