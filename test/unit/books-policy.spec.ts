import type { Actor } from '../../src/common/auth/actor.js';
import { canReadTeamBooks } from '../../src/modules/budget/books-policy.js';

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
