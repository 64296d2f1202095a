import { Injectable } from '@nestjs/common';
import type { WeekRange } from '../../common/graphql/date-range.js';
import { BatchLoader } from '../../common/graphql/request-loaders.js';
import { AccountFlowRepository } from './account-flow.repository.js';
import type { TransferKind } from './ledger.enums.js';

/** Credits in and out of one account, by kind of transfer. */
export type FlowByKind = Partial<Record<TransferKind, { in: number; out: number }>>;

export interface FlowWeek {
  week: string;
  flows: FlowByKind;
}

/** Per-account totals and the combined weekly series of a set of accounts. */
export interface FlowReport {
  perAccount: Map<string, FlowByKind>;
  combinedWeekly: FlowWeek[];
}

export interface FlowKey {
  accountId: string;
  weeks: WeekRange;
}

const keyOf = (key: FlowKey): string =>
  `${key.accountId}:${key.weeks.from ?? ''}:${key.weeks.to ?? ''}`;
const rangeKey = (weeks: WeekRange): string => `${weeks.from ?? ''}:${weeks.to ?? ''}`;

/**
 * Reads the weekly flow summary (account_flow): what came into and went out of accounts, by
 * kind of transfer, over a range of weeks. A few rows per account and week, whatever the
 * number of transfers.
 */
@Injectable()
export class AccountFlowService {
  constructor(private readonly repository: AccountFlowRepository) {}

  /** Totals over the range, per account. */
  readonly totals = new BatchLoader<FlowKey, FlowByKind, string>(
    async (keys) => {
      const results = new Map<string, FlowByKind>();
      for (const [weeks, accountIds] of groupByRange(keys)) {
        const lines = await this.repository.sums(accountIds, weeks, false);
        for (const row of lines) {
          const flows = results.get(`${row.accountId}:${rangeKey(weeks)}`) ?? {};
          flows[row.kind] = { in: row.in, out: row.out };
          results.set(`${row.accountId}:${rangeKey(weeks)}`, flows);
        }
      }
      return keys.map((key) => results.get(keyOf(key)) ?? {});
    },
    { cacheKeyFn: keyOf },
  );

  /** Week by week over the range, per account (weeks without movement are left out). */
  readonly weekly = new BatchLoader<FlowKey, FlowWeek[], string>(
    async (keys) => {
      const results = new Map<string, FlowWeek[]>();
      for (const [weeks, accountIds] of groupByRange(keys)) {
        const lines = await this.repository.sums(accountIds, weeks, true);
        for (const row of lines) {
          const key = `${row.accountId}:${rangeKey(weeks)}`;
          const series = results.get(key) ?? [];
          let week = series.at(-1);
          if (!week || week.week !== row.week) {
            week = { week: row.week!, flows: {} };
            series.push(week);
          }
          week.flows[row.kind] = { in: row.in, out: row.out };
          results.set(key, series);
        }
      }
      return keys.map((key) => results.get(keyOf(key)) ?? []);
    },
    { cacheKeyFn: keyOf },
  );

  /**
   * For a report over many accounts, in one pass over their flows (GROUPING SETS): each
   * account's totals over the range, and all of them added together week by week.
   */
  async report(accountIds: string[], weeks: WeekRange): Promise<FlowReport> {
    const report: FlowReport = { perAccount: new Map(), combinedWeekly: [] };
    if (accountIds.length === 0) return report;
    const lines = await this.repository.perAccountAndCombinedWeekly(accountIds, weeks);
    for (const row of lines) {
      const flow = { in: row.in, out: row.out };
      if (row.week === null || row.week === undefined) {
        const flows = report.perAccount.get(row.accountId) ?? {};
        flows[row.kind] = flow;
        report.perAccount.set(row.accountId, flows);
      } else {
        const series = report.combinedWeekly;
        if (series.at(-1)?.week !== row.week) series.push({ week: row.week, flows: {} });
        series.at(-1)!.flows[row.kind] = flow;
      }
    }
    return report;
  }
}

function groupByRange(keys: readonly FlowKey[]): Map<WeekRange, string[]> {
  const byRange = new Map<string, { weeks: WeekRange; accountIds: string[] }>();
  for (const key of keys) {
    const group = byRange.get(rangeKey(key.weeks)) ?? { weeks: key.weeks, accountIds: [] };
    group.accountIds.push(key.accountId);
    byRange.set(rangeKey(key.weeks), group);
  }
  return new Map([...byRange.values()].map((g) => [g.weeks, g.accountIds]));
}
