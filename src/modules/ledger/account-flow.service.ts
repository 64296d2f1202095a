import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WeekRange } from '../../common/graphql/date-range.js';
import { SqlParams } from '../../database/keyset.js';
import { BatchLoader } from '../../common/graphql/request-loaders.js';
import { TransferKind } from './ledger.enums.js';

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

interface FlowRow {
  accountId: string;
  week?: string | null;
  kind: TransferKind;
  amountIn: string;
  amountOut: string;
}

/**
 * Reads the weekly flow summary (account_flow): what came into and went out of accounts, by
 * kind of transfer, over a range of weeks. A few rows per account and week, whatever the
 * number of transfers.
 */
@Injectable()
export class AccountFlowService {
  constructor(private readonly dataSource: DataSource) {}

  /** Totals over the range, per account. */
  readonly totals = new BatchLoader<FlowKey, FlowByKind, string>(
    async (keys) => {
      const results = new Map<string, FlowByKind>();
      for (const [weeks, accountIds] of groupByRange(keys)) {
        const rows = await this.query(accountIds, weeks, false);
        for (const row of rows) {
          const flows = results.get(`${row.accountId}:${rangeKey(weeks)}`) ?? {};
          flows[row.kind] = { in: Number(row.amountIn), out: Number(row.amountOut) };
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
        const rows = await this.query(accountIds, weeks, true);
        for (const row of rows) {
          const key = `${row.accountId}:${rangeKey(weeks)}`;
          const series = results.get(key) ?? [];
          let week = series.at(-1);
          if (!week || week.week !== row.week) {
            week = { week: row.week!, flows: {} };
            series.push(week);
          }
          week.flows[row.kind] = { in: Number(row.amountIn), out: Number(row.amountOut) };
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
    const params = new SqlParams();
    const where = [
      `account_id = ANY(${params.add(accountIds)}::uuid[])`,
      ...weekConditions(weeks, params),
    ];
    const rows = (await this.dataSource.query(
      `SELECT account_id AS "accountId", to_char(week, 'YYYY-MM-DD') AS week, kind,
              sum(amount_in)::text AS "amountIn", sum(amount_out)::text AS "amountOut"
         FROM account_flow WHERE ${where.join(' AND ')}
        GROUP BY GROUPING SETS ((account_id, kind), (week, kind))
        ORDER BY week`,
      params.values,
    )) as FlowRow[];
    for (const row of rows) {
      const flow = { in: Number(row.amountIn), out: Number(row.amountOut) };
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

  private query(accountIds: string[], weeks: WeekRange, byWeek: boolean): Promise<FlowRow[]> {
    const params = new SqlParams();
    const where = [
      `account_id = ANY(${params.add(accountIds)}::uuid[])`,
      ...weekConditions(weeks, params),
    ];
    const week = byWeek ? `to_char(week, 'YYYY-MM-DD') AS week,` : '';
    return this.dataSource.query(
      `SELECT account_id AS "accountId", ${week} kind,
              sum(amount_in)::text AS "amountIn", sum(amount_out)::text AS "amountOut"
         FROM account_flow WHERE ${where.join(' AND ')}
        GROUP BY account_id, ${byWeek ? 'week, ' : ''}kind
        ORDER BY account_id${byWeek ? ', week' : ''}`,
      params.values,
    ) as Promise<FlowRow[]>;
  }
}

function weekConditions(weeks: WeekRange, params: SqlParams): string[] {
  const conditions: string[] = [];
  if (weeks.from) conditions.push(`week >= ${params.add(weeks.from)}::date`);
  if (weeks.to) conditions.push(`week <= ${params.add(weeks.to)}::date`);
  return conditions;
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
