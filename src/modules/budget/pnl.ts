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

/**
 * A team's hours in the market over a period, by the ISO week (Monday to Sunday, UTC) of the
 * day worked, and where their review stands now. Worked hours are its workers' (the team that
 * was their home team when they logged them: the team paid for them); bought hours are logged
 * on the needs the team buys itself.
 */
export interface TeamHours {
  /** Logged, waiting for the buyer's review. */
  pending: number;
  /** Held back by the buyer, until the worker concedes or an admin decides. */
  disputed: number;
  /** Approved (by the buyer, the end of the review window or an admin): paid. */
  paid: number;
  /** Disputed and given back to the buyer: never paid. */
  refunded: number;
  /** Bought: hours on the team's own needs still pending or disputed. */
  boughtUnderReview: number;
}

export const ZERO_HOURS: TeamHours = {
  pending: 0,
  disputed: 0,
  paid: 0,
  refunded: 0,
  boughtUnderReview: 0,
};

/** A budget's movements: the team P&L of issue #5 and DESIGN.md's money flows, and its hours. */
export interface Pnl {
  allocated: number;
  earned: number;
  spent: number;
  pledged: number;
  refunded: number;
  net: number;
  hoursPending: number;
  hoursDisputed: number;
  hoursPaid: number;
  hoursRefunded: number;
  hoursBoughtUnderReview: number;
}

/**
 * allocated + earned − spent − pledged + refunded = net change of the balance, where earned is
 * only what approved hours paid (TIME_PAYMENT: hours under review or disputed earn nothing
 * yet), spent is escrow deposited for needs minus escrow given back (returned when a need
 * closes or ends, and refunded for disputed hours: TIME_REFUND), and refunded covers pledges
 * given back and initiative budgets returned. The hours are by week worked, the credits by
 * week moved: an hour worked in one week may be paid in the next.
 */
export function pnlOf(flows: FlowByKind, hours: TeamHours = ZERO_HOURS): Pnl {
  const into = (kind: TransferKind) => flows[kind]?.in ?? 0;
  const outOf = (kind: TransferKind) => flows[kind]?.out ?? 0;
  // Credits an admin moved between teams count as allocated (negative for the paying team).
  const allocated =
    into(TransferKind.ALLOCATION) +
    into(TransferKind.ADMIN_TRANSFER) -
    outOf(TransferKind.ADMIN_TRANSFER);
  const earned = into(TransferKind.TIME_PAYMENT);
  const spent =
    outOf(TransferKind.ESCROW_DEPOSIT) -
    into(TransferKind.ESCROW_RETURN) -
    into(TransferKind.TIME_REFUND);
  const pledged = outOf(TransferKind.PLEDGE);
  const refunded = into(TransferKind.PLEDGE_REFUND) + into(TransferKind.INITIATIVE_REFUND);
  return {
    allocated,
    earned,
    spent,
    pledged,
    refunded,
    net: allocated + earned - spent - pledged + refunded,
    hoursPending: hours.pending,
    hoursDisputed: hours.disputed,
    hoursPaid: hours.paid,
    hoursRefunded: hours.refunded,
    hoursBoughtUnderReview: hours.boughtUnderReview,
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
    hoursPending: a.hoursPending + b.hoursPending,
    hoursDisputed: a.hoursDisputed + b.hoursDisputed,
    hoursPaid: a.hoursPaid + b.hoursPaid,
    hoursRefunded: a.hoursRefunded + b.hoursRefunded,
    hoursBoughtUnderReview: a.hoursBoughtUnderReview + b.hoursBoughtUnderReview,
  };
}

export const ZERO_PNL: Pnl = pnlOf({});

/** A week's hours (by week worked), named by its Monday. */
export interface HoursWeek {
  week: string;
  hours: TeamHours;
}

/** One week of a P&L series. */
export interface PnlWeekFigures extends Pnl {
  week: string;
}

/**
 * The weekly P&L series from the weekly money flows (by week moved) and the weekly hours (by
 * week worked), both named by Monday with quiet weeks left out: every week either has, in
 * order, the latest MAX_PNL_WEEKS of them.
 */
export function weeklyPnl(
  flows: readonly { week: string; flows: FlowByKind }[],
  hours: readonly HoursWeek[],
): PnlWeekFigures[] {
  const weeks = new Map<string, { flows: FlowByKind; hours: TeamHours }>();
  for (const w of flows) weeks.set(w.week, { flows: w.flows, hours: ZERO_HOURS });
  for (const w of hours)
    weeks.set(w.week, { flows: weeks.get(w.week)?.flows ?? {}, hours: w.hours });
  return latestWeeks(
    [...weeks.keys()].sort().map((week) => {
      const w = weeks.get(week)!;
      return { week, ...pnlOf(w.flows, w.hours) };
    }),
  );
}
