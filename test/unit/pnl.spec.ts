import { DomainError } from '../../src/common/errors/domain-error.js';
import { ErrorCode } from '../../src/common/errors/error-code.js';
import {
  addPnl,
  latestWeeks,
  MAX_PNL_WEEKS,
  pnlOf,
  pnlWeeksOf,
  weeklyPnl,
  ZERO_HOURS,
  ZERO_PNL,
} from '../../src/modules/budget/pnl.js';
import { TransferKind } from '../../src/modules/ledger/ledger.enums.js';

describe(pnlOf.name, () => {
  it('is zero for a team whose credits never moved', () => {
    expect(pnlOf({})).toEqual(ZERO_PNL);
  });

  it('counts spending as escrow deposited net of escrow returned', () => {
    const pnl = pnlOf({
      [TransferKind.ESCROW_DEPOSIT]: { in: 0, out: 300 },
      [TransferKind.ESCROW_RETURN]: { in: 120, out: 0 },
    });
    expect(pnl.spent).toBe(180);
    expect(pnl.net).toBe(-180);
  });

  it('adds up to the change of balance: allocated + earned − spent − pledged + refunded', () => {
    const pnl = pnlOf({
      [TransferKind.ALLOCATION]: { in: 1000, out: 0 },
      [TransferKind.TIME_PAYMENT]: { in: 250, out: 0 },
      [TransferKind.ESCROW_DEPOSIT]: { in: 0, out: 400 },
      [TransferKind.ESCROW_RETURN]: { in: 100, out: 0 },
      [TransferKind.PLEDGE]: { in: 0, out: 200 },
      [TransferKind.PLEDGE_REFUND]: { in: 50, out: 0 },
      [TransferKind.INITIATIVE_REFUND]: { in: 30, out: 0 },
    });
    expect(pnl).toEqual({
      ...ZERO_PNL,
      allocated: 1000,
      earned: 250,
      spent: 300,
      pledged: 200,
      refunded: 80,
      net: 1000 + 250 - 300 - 200 + 80,
    });
  });

  it('counts disputed hours refunded to the buyer (TIME_REFUND) as escrow given back, so net is still the change of balance', () => {
    // A buyer deposited 200 for a need; 40 came back for refunded hours, 50 when it closed:
    // its balance fell by 200 − 40 − 50 = 110.
    const pnl = pnlOf({
      [TransferKind.ESCROW_DEPOSIT]: { in: 0, out: 200 },
      [TransferKind.TIME_REFUND]: { in: 40, out: 0 },
      [TransferKind.ESCROW_RETURN]: { in: 50, out: 0 },
    });
    expect([pnl.spent, pnl.earned, pnl.refunded, pnl.net]).toEqual([110, 0, 0, -110]);
  });

  it('earns only approved payments: hours under review or refunded are hours, not credits', () => {
    const pnl = pnlOf(
      { [TransferKind.TIME_PAYMENT]: { in: 70, out: 0 } },
      { pending: 3, disputed: 4, paid: 7, refunded: 2, boughtUnderReview: 5 },
    );
    expect(pnl).toEqual({
      ...ZERO_PNL,
      earned: 70,
      net: 70,
      hoursPending: 3,
      hoursDisputed: 4,
      hoursPaid: 7,
      hoursRefunded: 2,
      hoursBoughtUnderReview: 5,
    });
  });

  it('ignores movements that are not the team’s (escrow funding an initiative)', () => {
    expect(pnlOf({ [TransferKind.INITIATIVE_FUNDING]: { in: 500, out: 500 } })).toEqual(ZERO_PNL);
  });
});

describe('pnlOf with credits an admin moved between teams', () => {
  it('counts them as allocated: in for the receiving team, out for the paying one', () => {
    const paying = pnlOf({
      [TransferKind.ALLOCATION]: { in: 100, out: 0 },
      [TransferKind.ADMIN_TRANSFER]: { in: 0, out: 60 },
    });
    expect(paying).toEqual({ ...ZERO_PNL, allocated: 40, net: 40 });
    const receiving = pnlOf({ [TransferKind.ADMIN_TRANSFER]: { in: 60, out: 0 } });
    expect(receiving).toEqual({ ...ZERO_PNL, allocated: 60, net: 60 });
  });
});

describe(addPnl.name, () => {
  it('adds two P&Ls figure by figure', () => {
    const a = pnlOf({ [TransferKind.ALLOCATION]: { in: 10, out: 0 } });
    const b = pnlOf({ [TransferKind.PLEDGE]: { in: 0, out: 4 } });
    expect(addPnl(a, b)).toEqual({ ...ZERO_PNL, allocated: 10, pledged: 4, net: 6 });
  });

  it('adds the hours too', () => {
    const a = pnlOf({}, { ...ZERO_HOURS, pending: 2, paid: 5 });
    const b = pnlOf({}, { ...ZERO_HOURS, pending: 1, disputed: 3, boughtUnderReview: 4 });
    expect(addPnl(a, b)).toEqual({
      ...ZERO_PNL,
      hoursPending: 3,
      hoursDisputed: 3,
      hoursPaid: 5,
      hoursBoughtUnderReview: 4,
    });
  });
});

describe(weeklyPnl.name, () => {
  it('joins the weeks credits moved and the weeks hours were worked, in order', () => {
    const series = weeklyPnl(
      [
        { week: '2026-03-09', flows: { [TransferKind.TIME_PAYMENT]: { in: 70, out: 0 } } },
        { week: '2026-03-16', flows: { [TransferKind.ALLOCATION]: { in: 5, out: 0 } } },
      ],
      [
        { week: '2026-03-02', hours: { ...ZERO_HOURS, paid: 7 } },
        { week: '2026-03-09', hours: { ...ZERO_HOURS, pending: 4 } },
      ],
    );
    expect(series).toEqual([
      { week: '2026-03-02', ...ZERO_PNL, hoursPaid: 7 },
      { week: '2026-03-09', ...ZERO_PNL, earned: 70, net: 70, hoursPending: 4 },
      { week: '2026-03-16', ...ZERO_PNL, allocated: 5, net: 5 },
    ]);
  });

  it(`keeps the latest ${MAX_PNL_WEEKS} weeks`, () => {
    const hours = Array.from({ length: MAX_PNL_WEEKS + 2 }, (_, i) => ({
      week: new Date(Date.UTC(2020, 0, 6 + 7 * i)).toISOString().slice(0, 10),
      hours: { ...ZERO_HOURS, paid: i },
    }));
    const series = weeklyPnl([], hours);
    expect(series).toHaveLength(MAX_PNL_WEEKS);
    expect(series[0].hoursPaid).toBe(2);
  });
});

describe(pnlWeeksOf.name, () => {
  it('counts whole weeks, Monday to Monday', () => {
    expect(pnlWeeksOf({ from: '2025-01-01', to: '2025-01-12' })).toEqual({
      from: '2024-12-30',
      to: '2025-01-06',
    });
  });

  it('is all time when the period has no start', () => {
    expect(pnlWeeksOf(undefined)).toEqual({ from: null, to: null });
  });

  it('accepts any two calendar years and refuses more, as BAD_USER_INPUT on the period', () => {
    expect(() => pnlWeeksOf({ from: '2023-01-01', to: '2024-12-31' })).not.toThrow();
    let refusal: unknown;
    try {
      pnlWeeksOf({ from: '2022-01-01', to: '2024-12-31' }, 'input.period');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({
      code: ErrorCode.BAD_USER_INPUT,
      details: { field: 'input.period' },
    });
  });
});

describe(latestWeeks.name, () => {
  it(`keeps the latest ${MAX_PNL_WEEKS} weeks of a longer series`, () => {
    const series = Array.from({ length: MAX_PNL_WEEKS + 5 }, (_, i) => i);
    expect(latestWeeks(series)).toEqual(series.slice(5));
  });
});
