import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReadDb } from '../../database/read-db.js';
import type { WeekRange } from '../../common/graphql/date-range.js';
import { SqlParams } from '../../database/keyset.js';
import { rows } from '../../database/sql.js';
import type { TransferKind } from './ledger.enums.js';

/** Credits into and out of an account (or several) for one kind of transfer. */
export interface FlowLine {
  accountId: string;
  /** The Monday of the week (YYYY-MM-DD), when the lines are by week; otherwise absent or null. */
  week?: string | null;
  kind: TransferKind;
  in: number;
  out: number;
}

interface FlowRow {
  accountId: string;
  week?: string | null;
  kind: TransferKind;
  amountIn: string;
  amountOut: string;
}

const toFlowLine = ({ amountIn, amountOut, ...row }: FlowRow): FlowLine => ({
  ...row,
  in: Number(amountIn),
  out: Number(amountOut),
});

/**
 * Reads the weekly flow summary (account_flow, kept by TransferRepository.insert): what came
 * into and went out of accounts, by kind of transfer. A few rows per account and week,
 * whatever the number of transfers.
 */
@Injectable()
export class AccountFlowRepository {
  constructor(
    private readonly dataSource: DataSource,
    /** Stale-tolerant reads: the read replica when this request may use it (README). */
    private readonly reads: ReadDb,
  ) {}

  /**
   * The accounts' flows over the range, by account and kind, and also by week when `byWeek`
   * (ordered by account, then week).
   */
  async sums(accountIds: string[], weeks: WeekRange, byWeek: boolean): Promise<FlowLine[]> {
    const params = new SqlParams();
    const where = [
      `account_id = ANY(${params.add(accountIds)}::uuid[])`,
      ...weekConditions(weeks, params),
    ];
    const week = byWeek ? `to_char(week, 'YYYY-MM-DD') AS week,` : '';
    const found = await rows<FlowRow>(
      this.dataSource,
      `SELECT account_id AS "accountId", ${week} kind,
              sum(amount_in)::text AS "amountIn", sum(amount_out)::text AS "amountOut"
         FROM account_flow WHERE ${where.join(' AND ')}
        GROUP BY account_id, ${byWeek ? 'week, ' : ''}kind
        ORDER BY account_id${byWeek ? ', week' : ''}`,
      params.values,
    );
    return found.map(toFlowLine);
  }

  /**
   * In one pass over the accounts' flows (GROUPING SETS): lines per account and kind (week
   * null), and lines per week and kind over all of them together (accountId null), by week.
   * For the teamPnl dashboard: may come from the read replica.
   */
  async perAccountAndCombinedWeekly(accountIds: string[], weeks: WeekRange): Promise<FlowLine[]> {
    const params = new SqlParams();
    const where = [
      `account_id = ANY(${params.add(accountIds)}::uuid[])`,
      ...weekConditions(weeks, params),
    ];
    const found = await rows<FlowRow>(
      this.reads,
      `SELECT account_id AS "accountId", to_char(week, 'YYYY-MM-DD') AS week, kind,
              sum(amount_in)::text AS "amountIn", sum(amount_out)::text AS "amountOut"
         FROM account_flow WHERE ${where.join(' AND ')}
        GROUP BY GROUPING SETS ((account_id, kind), (week, kind))
        ORDER BY week`,
      params.values,
    );
    return found.map(toFlowLine);
  }
}

function weekConditions(weeks: WeekRange, params: SqlParams): string[] {
  const conditions: string[] = [];
  if (weeks.from) conditions.push(`week >= ${params.add(weeks.from)}::date`);
  if (weeks.to) conditions.push(`week <= ${params.add(weeks.to)}::date`);
  return conditions;
}
