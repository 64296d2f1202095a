import { DomainError } from '../../src/common/errors/domain-error.js';
import { ErrorCode } from '../../src/common/errors/error-code.js';
import {
  addPnl,
  latestWeeks,
  MAX_PNL_WEEKS,
  pnlOf,
  pnlWeeksOf,
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
      allocated: 1000,
      earned: 250,
      spent: 300,
      pledged: 200,
      refunded: 80,
      net: 1000 + 250 - 300 - 200 + 80,
    });
  });

  it('ignores movements that are not the team’s (escrow funding an initiative)', () => {
    expect(pnlOf({ [TransferKind.INITIATIVE_FUNDING]: { in: 500, out: 500 } })).toEqual(ZERO_PNL);
  });
});

describe(addPnl.name, () => {
  it('adds two P&Ls figure by figure', () => {
    const a = pnlOf({ [TransferKind.ALLOCATION]: { in: 10, out: 0 } });
    const b = pnlOf({ [TransferKind.PLEDGE]: { in: 0, out: 4 } });
    expect(addPnl(a, b)).toEqual({ ...ZERO_PNL, allocated: 10, pledged: 4, net: 6 });
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
