import type { Actor } from '../../src/common/auth/actor.js';
import { percentOf, round1 } from '../../src/modules/dashboard/dashboard-figures.js';
import {
  pnlTeamsVisibleTo,
  seesEveryTeamPnl,
} from '../../src/modules/dashboard/dashboard-policy.js';

const anActor = (overrides: Partial<Actor> = {}): Actor => ({
  id: 'employee',
  isAdmin: false,
  homeTeamId: 'home',
  leadOf: new Set(),
  memberOf: new Set(['home', 'guild']),
  ownsInitiatives: new Set(),
  memberOfInitiatives: new Set(),
  ...overrides,
});

describe(seesEveryTeamPnl.name, () => {
  it("opens every team's books to admins and to the lead of any team", () => {
    expect(seesEveryTeamPnl(anActor({ isAdmin: true }))).toBe(true);
    expect(seesEveryTeamPnl(anActor({ leadOf: new Set(['elsewhere']) }))).toBe(true);
  });

  it('keeps a plain member to their own teams', () => {
    expect(seesEveryTeamPnl(anActor())).toBe(false);
  });
});

describe(pnlTeamsVisibleTo.name, () => {
  it('names no teams (all of them) for a lead or an admin', () => {
    expect(pnlTeamsVisibleTo(anActor({ isAdmin: true }))).toBeNull();
    expect(pnlTeamsVisibleTo(anActor({ leadOf: new Set(['home']) }))).toBeNull();
  });

  it("names a member's teams, the home team included", () => {
    expect(pnlTeamsVisibleTo(anActor())).toEqual(['home', 'guild']);
  });

  it('names none for someone in no team, rather than every team', () => {
    expect(pnlTeamsVisibleTo(anActor({ memberOf: new Set() }))).toEqual([]);
  });
});

describe(round1.name, () => {
  it('rounds to one decimal and leaves a missing figure missing', () => {
    expect(round1(66.66)).toBe(66.7);
    expect(round1(2.25)).toBe(2.3);
    expect(round1(null)).toBeNull();
  });
});

describe(percentOf.name, () => {
  it('gives a share of the whole in percent, to one decimal', () => {
    expect(percentOf(2, 3)).toBe(66.7);
    expect(percentOf(3, 3)).toBe(100);
  });

  it('has no rate of nothing: a zero or missing whole gives null', () => {
    expect(percentOf(0, 0)).toBeNull();
    expect(percentOf(5, null)).toBeNull();
  });
});
