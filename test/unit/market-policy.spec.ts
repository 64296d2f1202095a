import type { Actor } from '../../src/common/auth/actor.js';
import { SqlParams } from '../../src/database/keyset.js';
import { actsForBuyerCondition } from '../../src/modules/market/bid.repository.js';
import {
  actsForBuyer,
  buyerScope,
  exceedsMarketMaximum,
  exceedsNeedRate,
  isOnBuyingSide,
  mayAcceptBid,
  mayLogTime,
  maySeeEngagement,
  maySeeMarketActivityOf,
  mayWithdraw,
  raisesNeedRate,
  remainingHoursPerWeek,
} from '../../src/modules/market/market-policy.js';
import { BuyerKind } from '../../src/modules/market/market.enums.js';

const TEAM = 'team-1';
const OTHER_TEAM = 'team-2';
const INITIATIVE = 'initiative-1';

function actor(overrides: Partial<Actor> = {}): Actor {
  return {
    id: 'me',
    isAdmin: false,
    homeTeamId: OTHER_TEAM,
    leadOf: new Set(),
    memberOf: new Set([OTHER_TEAM]),
    ownsInitiatives: new Set(),
    memberOfInitiatives: new Set(),
    ...overrides,
  };
}

const teamNeed = { buyerKind: BuyerKind.TEAM, buyerId: TEAM };
const initiativeNeed = { buyerKind: BuyerKind.INITIATIVE, buyerId: INITIATIVE };

describe(actsForBuyer.name, () => {
  it("lets a lead of the buying team act for the team's need", () => {
    expect(actsForBuyer(actor({ leadOf: new Set([TEAM]) }), teamNeed)).toBe(true);
  });

  it('refuses a plain member of the buying team', () => {
    expect(actsForBuyer(actor({ memberOf: new Set([TEAM]) }), teamNeed)).toBe(false);
  });

  it("lets the initiative's owner act for its need, not its members", () => {
    expect(actsForBuyer(actor({ ownsInitiatives: new Set([INITIATIVE]) }), initiativeNeed)).toBe(
      true,
    );
    expect(
      actsForBuyer(actor({ memberOfInitiatives: new Set([INITIATIVE]) }), initiativeNeed),
    ).toBe(false);
  });

  it('never mixes a team and an initiative with the same id', () => {
    const lead = actor({ leadOf: new Set([INITIATIVE]) });
    expect(actsForBuyer(lead, initiativeNeed)).toBe(false);
  });
});

describe(buyerScope.name, () => {
  it('lists the teams the actor leads and the initiatives they own', () => {
    const scope = buyerScope(
      actor({ leadOf: new Set([TEAM]), ownsInitiatives: new Set([INITIATIVE]) }),
    );
    expect(scope).toEqual({ teamIds: [TEAM], initiativeIds: [INITIATIVE] });
  });

  it('is empty for someone who acts for no buyer', () => {
    expect(buyerScope(actor())).toEqual({ teamIds: [], initiativeIds: [] });
  });
});

describe(actsForBuyerCondition.name, () => {
  it("passes the scope's ids as parameters, never as SQL text", () => {
    const params = new SqlParams();
    params.add('already there');
    const sql = actsForBuyerCondition({ teamIds: [TEAM], initiativeIds: [INITIATIVE] }, params);
    expect(params.values).toEqual(['already there', [TEAM], [INITIATIVE]]);
    expect(sql).toContain('$2::uuid[]');
    expect(sql).toContain('$3::uuid[]');
    expect(sql).not.toContain(TEAM);
  });
});

describe(isOnBuyingSide.name, () => {
  it('puts every member of the buying team on its side, leads or not', () => {
    expect(isOnBuyingSide(actor({ memberOf: new Set([TEAM]) }), teamNeed)).toBe(true);
    expect(isOnBuyingSide(actor(), teamNeed)).toBe(false);
  });

  it("puts an initiative's owner and its members on its side", () => {
    expect(isOnBuyingSide(actor({ ownsInitiatives: new Set([INITIATIVE]) }), initiativeNeed)).toBe(
      true,
    );
    expect(
      isOnBuyingSide(actor({ memberOfInitiatives: new Set([INITIATIVE]) }), initiativeNeed),
    ).toBe(true);
    expect(isOnBuyingSide(actor({ memberOf: new Set([INITIATIVE]) }), initiativeNeed)).toBe(false);
  });
});

describe(mayWithdraw.name, () => {
  it('lets only the bidder withdraw a bid', () => {
    expect(mayWithdraw(actor(), { bidderId: 'me' })).toBe(true);
    expect(mayWithdraw(actor({ leadOf: new Set([TEAM]) }), { bidderId: 'someone' })).toBe(false);
  });
});

describe(mayLogTime.name, () => {
  it('lets only the engaged employee log time', () => {
    expect(mayLogTime(actor(), { employeeId: 'me' })).toBe(true);
    expect(mayLogTime(actor({ leadOf: new Set([TEAM]) }), { employeeId: 'someone' })).toBe(false);
  });
});

describe(maySeeEngagement.name, () => {
  it("shows an engagement to the engaged employee and the buyer's leads only", () => {
    const theirs = { employeeId: 'someone' };
    expect(maySeeEngagement(actor(), { employeeId: 'me' }, teamNeed)).toBe(true);
    expect(maySeeEngagement(actor({ leadOf: new Set([TEAM]) }), theirs, teamNeed)).toBe(true);
    expect(maySeeEngagement(actor({ memberOf: new Set([TEAM]) }), theirs, teamNeed)).toBe(false);
  });
});

describe(maySeeMarketActivityOf.name, () => {
  it("keeps a person's bids and engagements to that person", () => {
    expect(maySeeMarketActivityOf(actor(), 'me')).toBe(true);
    expect(maySeeMarketActivityOf(actor({ isAdmin: true }), 'someone')).toBe(false);
  });
});

describe(remainingHoursPerWeek.name, () => {
  it('is what the need wants less what it has accepted', () => {
    expect(remainingHoursPerWeek({ hoursPerWeek: 20, acceptedHoursPerWeek: 12 })).toBe(8);
    expect(remainingHoursPerWeek({ hoursPerWeek: 20, acceptedHoursPerWeek: 20 })).toBe(0);
  });
});

describe(exceedsNeedRate.name, () => {
  const need = { ratePerHour: 10 };

  it("takes a bid at the need's rate or below", () => {
    expect(exceedsNeedRate(10, need)).toBe(false);
    expect(exceedsNeedRate(1, need)).toBe(false);
  });

  it("refuses a bid asking more than the need's rate, by as little as one credit", () => {
    expect(exceedsNeedRate(11, need)).toBe(true);
    expect(exceedsNeedRate(10_000, need)).toBe(true);
  });
});

describe(raisesNeedRate.name, () => {
  it('counts only a higher rate as a raise', () => {
    expect(raisesNeedRate({ ratePerHour: 10 }, 11)).toBe(true);
    expect(raisesNeedRate({ ratePerHour: 10 }, 10)).toBe(false);
    expect(raisesNeedRate({ ratePerHour: 10 }, 9)).toBe(false);
  });
});

describe(exceedsMarketMaximum.name, () => {
  const settings = { maxRatePerHour: 500 };

  it('allows any rate up to the maximum, the maximum included', () => {
    expect(exceedsMarketMaximum(500, settings)).toBe(false);
    expect(exceedsMarketMaximum(1, settings)).toBe(false);
  });

  it('refuses a rate above the maximum', () => {
    expect(exceedsMarketMaximum(501, settings)).toBe(true);
  });
});

describe('mayAcceptBid', () => {
  it('lets the buyer’s leads accept bids, but never their own', () => {
    const lead = actor({ leadOf: new Set([TEAM]), memberOf: new Set([TEAM]) });
    expect(mayAcceptBid(lead, teamNeed, { bidderId: 'someone' })).toBe(true);
    expect(mayAcceptBid(lead, teamNeed, { bidderId: 'me' })).toBe(false);
    expect(mayAcceptBid(actor(), teamNeed, { bidderId: 'someone' })).toBe(false);
  });
});
