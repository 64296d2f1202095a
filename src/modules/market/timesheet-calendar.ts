import { CLOCK_SKEW_ALLOWANCE_MS } from '../../common/clock/clock.js';

/**
 * The engagement calendar, as pure functions of dates (UTC, `YYYY-MM-DD`). An engagement runs
 * `weeks` whole ISO weeks (Monday to Sunday) from the week it was accepted in; its hours are
 * reviewed a week at a time.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long after a week ends its hours may still be logged (late entries on Monday). */
export const LATE_LOGGING_MS = DAY_MS;

const toDay = (date: Date): string => date.toISOString().slice(0, 10);
const parseDay = (day: string): Date => new Date(`${day}T00:00:00.000Z`);

/** Adds whole days to a calendar day. */
export function addDays(day: string, days: number): string {
  return toDay(new Date(parseDay(day).getTime() + days * DAY_MS));
}

/** The Monday of the ISO week a day (or moment) falls in. */
export function weekStartOf(day: string | Date): string {
  const date = typeof day === 'string' ? parseDay(day) : parseDay(toDay(day));
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  return addDays(toDay(date), -sinceMonday);
}

/** The moment a week (given by its Monday) ends: the next Monday at 00:00 UTC. */
export function weekEndsAt(weekStart: string): Date {
  return parseDay(addDays(weekStart, 7));
}

/** When the buyer's review of a week's hours ends: `reviewDays` after the week ends. */
export function reviewEndsAt(weekStart: string, reviewDays: number): Date {
  return new Date(weekEndsAt(weekStart).getTime() + reviewDays * DAY_MS);
}

export interface EngagementCalendar {
  /** The Monday of the week the engagement was accepted in. */
  startsOn: string;
  weeks: number;
}

/** The day after the engagement's last week: no work is dated on or after it. */
export function endsOn(engagement: EngagementCalendar): string {
  return addDays(engagement.startsOn, 7 * engagement.weeks);
}

/** Why a day of work cannot be logged on an engagement now, or undefined if it can. */
export function whyDayIsNotLoggable(
  engagement: EngagementCalendar,
  day: string,
  now: Date,
): string | undefined {
  const latestDay = toDay(new Date(now.getTime() + CLOCK_SKEW_ALLOWANCE_MS));
  if (day > latestDay) return 'work cannot be logged for a future day';
  const last = addDays(endsOn(engagement), -1);
  if (day < engagement.startsOn || day > last) {
    return `the engagement runs from ${engagement.startsOn} to ${last}`;
  }
  if (weekEndsAt(weekStartOf(day)).getTime() + LATE_LOGGING_MS <= now.getTime()) {
    return `the week of ${weekStartOf(day)} is closed to logging: hours are logged by the Monday after the week`;
  }
  return undefined;
}

/** Whether an engagement's calendar is over: its last week is closed to logging. */
export function isCalendarOver(engagement: EngagementCalendar, now: Date): boolean {
  return parseDay(endsOn(engagement)).getTime() + LATE_LOGGING_MS <= now.getTime();
}
