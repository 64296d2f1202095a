import { badInput } from '../../common/errors/domain-error.js';
import {
  mondayOf,
  weeksOf,
  type DateRange,
  type WeekRange,
} from '../../common/graphql/date-range.js';
import type { FlowByKind } from '../ledger/account-flow.service.js';
import { TransferKind } from '../ledger/ledger.enums.js';

/**
 * The most weeks a P&L's weekly series holds: any two calendar years (731 days touch at most
 * 106 Monday-to-Sunday weeks). A longer period is refused; over all time (no start) the series
 * keeps its latest weeks, while the totals still cover everything.
 */
export const MAX_PNL_WEEKS = 106;

const WEEK_MS = 7 * 86_400_000;

/** The whole weeks a P&L period covers; BAD_USER_INPUT on `field` past MAX_PNL_WEEKS. */
export function pnlWeeksOf(period: DateRange | undefined, field = 'period'): WeekRange {
  const weeks = weeksOf(period);
  if (weeks.from) {
    const last = weeks.to ?? mondayOf(new Date().toISOString().slice(0, 10));
    const count = (Date.parse(last) - Date.parse(weeks.from)) / WEEK_MS + 1;
    if (count > MAX_PNL_WEEKS) {
      throw badInput(
        field,
        `${field} covers ${count} weeks; at most ${MAX_PNL_WEEKS} (leave out its start for all time)`,
      );
    }
  }
  return weeks;
}

/** The latest weeks of a weekly series, as many as it may hold. */
export const latestWeeks = <T>(series: readonly T[]): T[] => series.slice(-MAX_PNL_WEEKS);

/** A budget's movements: the team P&L of issue #5 and DESIGN.md's money flows. */
export interface Pnl {
  allocated: number;
  earned: number;
  spent: number;
  pledged: number;
  refunded: number;
  net: number;
}

/**
 * allocated + earned − spent − pledged + refunded = net change of the balance, where spent is
 * escrow deposited for needs minus escrow returned, and refunded covers pledges given back
 * and initiative budgets returned.
 */
export function pnlOf(flows: FlowByKind): Pnl {
  const into = (kind: TransferKind) => flows[kind]?.in ?? 0;
  const outOf = (kind: TransferKind) => flows[kind]?.out ?? 0;
  const allocated = into(TransferKind.ALLOCATION);
  const earned = into(TransferKind.TIME_PAYMENT);
  const spent = outOf(TransferKind.ESCROW_DEPOSIT) - into(TransferKind.ESCROW_RETURN);
  const pledged = outOf(TransferKind.PLEDGE);
  const refunded = into(TransferKind.PLEDGE_REFUND) + into(TransferKind.INITIATIVE_REFUND);
  return {
    allocated,
    earned,
    spent,
    pledged,
    refunded,
    net: allocated + earned - spent - pledged + refunded,
  };
}

export function addPnl(a: Pnl, b: Pnl): Pnl {
  return {
    allocated: a.allocated + b.allocated,
    earned: a.earned + b.earned,
    spent: a.spent + b.spent,
    pledged: a.pledged + b.pledged,
    refunded: a.refunded + b.refunded,
    net: a.net + b.net,
  };
}

export const ZERO_PNL: Pnl = { allocated: 0, earned: 0, spent: 0, pledged: 0, refunded: 0, net: 0 };
