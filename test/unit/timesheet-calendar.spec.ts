import type { Actor } from '../../src/common/auth/actor.js';
import {
  mayAnswerDispute,
  mayDecideDispute,
  mayReviewTimesheets,
} from '../../src/modules/market/market-policy.js';
import { BuyerKind } from '../../src/modules/market/market.enums.js';
import {
  addDays,
  endsOn,
  isCalendarOver,
  reviewEndsAt,
  weekStartOf,
  whyDayIsNotLoggable,
} from '../../src/modules/market/timesheet-calendar.js';

describe('the engagement calendar', () => {
  it('finds the Monday of a day’s ISO week, Sundays included', () => {
    expect(weekStartOf('2026-03-02')).toBe('2026-03-02'); // Monday
    expect(weekStartOf('2026-03-04')).toBe('2026-03-02');
    expect(weekStartOf('2026-03-08')).toBe('2026-03-02'); // Sunday
    expect(weekStartOf('2026-03-09')).toBe('2026-03-09');
    expect(weekStartOf('2027-01-01')).toBe('2026-12-28'); // across a year
    expect(weekStartOf(new Date('2026-03-08T23:59:59Z'))).toBe('2026-03-02');
  });

  it('ends the review window whole days after the week', () => {
    expect(reviewEndsAt('2026-03-02', 5).toISOString()).toBe('2026-03-14T00:00:00.000Z');
    expect(reviewEndsAt('2026-03-02', 0).toISOString()).toBe('2026-03-09T00:00:00.000Z');
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
  });

  const twoWeeks = { startsOn: '2026-03-02', weeks: 2 };

  it('accepts a day of its weeks until the Monday after, and a few minutes of clock skew', () => {
    expect(endsOn(twoWeeks)).toBe('2026-03-16');
    const at = (iso: string) => new Date(iso);
    expect(whyDayIsNotLoggable(twoWeeks, '2026-03-02', at('2026-03-02T00:00:00Z'))).toBeUndefined();
    expect(whyDayIsNotLoggable(twoWeeks, '2026-03-08', at('2026-03-09T23:59:59Z'))).toBeUndefined();
    expect(whyDayIsNotLoggable(twoWeeks, '2026-03-03', at('2026-03-02T23:56:00Z'))).toBeUndefined();
    expect(whyDayIsNotLoggable(twoWeeks, '2026-03-15', at('2026-03-16T12:00:00Z'))).toBeUndefined();
  });

  it('refuses the future, days outside its weeks and weeks closed to logging', () => {
    const at = (iso: string) => new Date(iso);
    expect(whyDayIsNotLoggable(twoWeeks, '2026-03-03', at('2026-03-02T23:50:00Z'))).toMatch(
      /future/,
    );
    expect(whyDayIsNotLoggable(twoWeeks, '2026-03-01', at('2026-03-04T12:00:00Z'))).toMatch(
      /runs from 2026-03-02 to 2026-03-15/,
    );
    expect(whyDayIsNotLoggable(twoWeeks, '2026-03-16', at('2026-03-16T12:00:00Z'))).toMatch(
      /runs from/,
    );
    expect(whyDayIsNotLoggable(twoWeeks, '2026-03-08', at('2026-03-10T00:00:00Z'))).toMatch(
      /closed to logging/,
    );
  });

  it('is over once its last week is closed to logging', () => {
    expect(isCalendarOver(twoWeeks, new Date('2026-03-16T23:59:59Z'))).toBe(false);
    expect(isCalendarOver(twoWeeks, new Date('2026-03-17T00:00:00Z'))).toBe(true);
  });
});

describe('who reviews, answers and decides', () => {
  const actor = (overrides: Partial<Actor> = {}): Actor => ({
    id: 'me',
    isAdmin: false,
    homeTeamId: 'home',
    leadOf: new Set(),
    memberOf: new Set(['home']),
    ownsInitiatives: new Set(),
    memberOfInitiatives: new Set(),
    ...overrides,
  });
  const need = { buyerKind: BuyerKind.TEAM, buyerId: 'buyer' };
  const mine = { employeeId: 'me' };
  const theirs = { employeeId: 'worker' };

  it('lets the buying team’s leads review, and nobody else', () => {
    expect(mayReviewTimesheets(actor({ leadOf: new Set(['buyer']) }), need, theirs)).toBe(true);
    expect(mayReviewTimesheets(actor({ memberOf: new Set(['buyer']) }), need, theirs)).toBe(false);
    expect(mayReviewTimesheets(actor({ isAdmin: true }), need, theirs)).toBe(false);
  });

  it('never lets the worker review their own hours, even as a lead of the buying team', () => {
    expect(mayReviewTimesheets(actor({ leadOf: new Set(['buyer']) }), need, mine)).toBe(false);
  });

  it('lets the worker alone answer a dispute', () => {
    expect(mayAnswerDispute(actor(), mine)).toBe(true);
    expect(mayAnswerDispute(actor({ leadOf: new Set(['buyer']) }), theirs)).toBe(false);
  });

  it('lets an admin who is neither side decide', () => {
    const payees = ['workers-team'];
    expect(mayDecideDispute(actor({ isAdmin: true }), theirs, need, payees)).toBe(true);
    expect(mayDecideDispute(actor(), theirs, need, payees)).toBe(false);
    expect(mayDecideDispute(actor({ isAdmin: true }), mine, need, payees)).toBe(false);
    expect(
      mayDecideDispute(actor({ isAdmin: true, leadOf: new Set(['buyer']) }), theirs, need, payees),
    ).toBe(false);
  });

  it('counts a lead of the team the hours would be paid to as the worker’s side', () => {
    const payeeLead = actor({ isAdmin: true, leadOf: new Set(['workers-team']) });
    expect(mayDecideDispute(payeeLead, theirs, need, ['workers-team'])).toBe(false);
    expect(mayDecideDispute(payeeLead, theirs, need, ['another-team'])).toBe(true);
  });
});
