import type { Actor } from '../../src/common/auth/actor.js';
import { canReadAccountBalance, canReadTeamBooks } from '../../src/modules/budget/books-policy.js';
import { booksTotalsOf } from '../../src/modules/budget/ledger-totals.js';
import { AccountKind } from '../../src/modules/ledger/ledger.enums.js';

const TEAM = 'team-a';
const OTHER = 'team-b';

const actor = (overrides: Partial<Actor> = {}): Actor => ({
  id: 'employee-1',
  isAdmin: false,
  homeTeamId: OTHER,
  leadOf: new Set(),
  memberOf: new Set([OTHER]),
  ownsInitiatives: new Set(),
  memberOfInitiatives: new Set(),
  ...overrides,
});

describe(canReadTeamBooks.name, () => {
  it('opens every team’s books to admins', () => {
    expect(canReadTeamBooks(actor({ isAdmin: true }), TEAM)).toBe(true);
  });

  it('opens every team’s books to any team lead, even of another team', () => {
    expect(canReadTeamBooks(actor({ leadOf: new Set([OTHER]) }), TEAM)).toBe(true);
  });

  it('opens a team’s books to its members', () => {
    expect(canReadTeamBooks(actor({ memberOf: new Set([OTHER, TEAM]) }), TEAM)).toBe(true);
  });

  it('keeps a team’s books from a plain member of another team', () => {
    expect(canReadTeamBooks(actor(), TEAM)).toBe(false);
  });
});

describe(canReadAccountBalance.name, () => {
  const account = (kind: AccountKind, ownerId: string | null = 'owner-1') => ({ kind, ownerId });

  it('shows every account’s balance to admins, ISSUANCE included', () => {
    for (const kind of Object.values(AccountKind)) {
      expect(canReadAccountBalance(actor({ isAdmin: true }), account(kind))).toBe(true);
    }
  });

  it('shows a team account’s balance to whoever may read the team’s books, and no one else', () => {
    expect(canReadAccountBalance(actor(), account(AccountKind.TEAM, OTHER))).toBe(true);
    expect(
      canReadAccountBalance(actor({ leadOf: new Set([OTHER]) }), account(AccountKind.TEAM, TEAM)),
    ).toBe(true);
    expect(canReadAccountBalance(actor(), account(AccountKind.TEAM, TEAM))).toBe(false);
  });

  it('shows escrow and initiative balances to everyone, as their owners do', () => {
    for (const kind of [AccountKind.IDEA_ESCROW, AccountKind.NEED_ESCROW, AccountKind.INITIATIVE]) {
      expect(canReadAccountBalance(actor(), account(kind))).toBe(true);
    }
  });

  it('keeps what was issued (the ISSUANCE balance) to admins, even from leads', () => {
    expect(
      canReadAccountBalance(
        actor({ leadOf: new Set([OTHER]) }),
        account(AccountKind.ISSUANCE, null),
      ),
    ).toBe(false);
  });
});

describe(booksTotalsOf.name, () => {
  it('lists every kind, ISSUANCE first, and sums to 0 when what is held was issued', () => {
    const totals = booksTotalsOf([
      { kind: AccountKind.TEAM, accountCount: 2, balance: 700 },
      { kind: AccountKind.ISSUANCE, accountCount: 1, balance: -1_000 },
      { kind: AccountKind.NEED_ESCROW, accountCount: 1, balance: 300 },
    ]);
    expect(totals.byKind.map((k) => k.kind)).toEqual(Object.values(AccountKind));
    expect(totals.byKind.find((k) => k.kind === AccountKind.INITIATIVE)).toEqual({
      kind: AccountKind.INITIATIVE,
      accountCount: 0,
      balance: 0,
    });
    expect(totals).toMatchObject({ issued: 1_000, held: 1_000, sum: 0 });
  });

  it('shows a sum other than 0 when the books do not balance', () => {
    const totals = booksTotalsOf([
      { kind: AccountKind.ISSUANCE, accountCount: 1, balance: -1_000 },
      { kind: AccountKind.TEAM, accountCount: 1, balance: 999 },
    ]);
    expect(totals).toMatchObject({ issued: 1_000, held: 999, sum: -1 });
  });
});
