import type { Actor } from '../../src/common/auth/actor.js';
import {
  acceptsMeasurements,
  canCancel,
  canFinish,
  isActive,
  isOwner,
  isParticipant,
} from '../../src/modules/initiative/initiative-policy.js';
import { InitiativeStatus } from '../../src/modules/initiative/initiative.enums.js';

const SPONSOR = 'team-sponsor';
const initiative = { id: 'initiative-1', ownerId: 'owner', sponsorTeamId: SPONSOR };

function actor(
  id: string,
  {
    leadOf = [],
    memberOfInitiatives = [],
  }: { leadOf?: string[]; memberOfInitiatives?: string[] } = {},
): Actor {
  return {
    id,
    isAdmin: false,
    homeTeamId: 'team-home',
    leadOf: new Set(leadOf),
    memberOf: new Set(['team-home', ...leadOf]),
    ownsInitiatives: new Set(),
    memberOfInitiatives: new Set(memberOfInitiatives),
  };
}

const owner = actor('owner');
const member = actor('member', { memberOfInitiatives: [initiative.id] });
const memberElsewhere = actor('member-elsewhere', { memberOfInitiatives: ['initiative-2'] });
const sponsorLead = actor('lead', { leadOf: [SPONSOR] });
const otherLead = actor('other-lead', { leadOf: ['team-other'] });
const stranger = actor('stranger');

describe(isOwner.name, () => {
  it('lets only the owner steer the initiative', () => {
    expect(isOwner(owner, initiative)).toBe(true);
    for (const someone of [member, sponsorLead, stranger]) {
      expect(isOwner(someone, initiative)).toBe(false);
    }
  });
});

describe(isParticipant.name, () => {
  it('counts the owner and current members, not members of other initiatives', () => {
    expect(isParticipant(owner, initiative)).toBe(true);
    expect(isParticipant(member, initiative)).toBe(true);
    expect(isParticipant(memberElsewhere, initiative)).toBe(false);
  });

  it("does not count the sponsor team's leads as members", () => {
    expect(isParticipant(sponsorLead, initiative)).toBe(false);
  });
});

describe(canCancel.name, () => {
  it("lets the owner and the sponsor team's leads cancel", () => {
    expect(canCancel(owner, initiative)).toBe(true);
    expect(canCancel(sponsorLead, initiative)).toBe(true);
  });

  it("refuses members and other teams' leads", () => {
    expect(canCancel(member, initiative)).toBe(false);
    expect(canCancel(otherLead, initiative)).toBe(false);
  });
});

describe(canFinish.name, () => {
  it('lets only the owner complete', () => {
    expect(canFinish(owner, initiative, InitiativeStatus.COMPLETED)).toBe(true);
    expect(canFinish(sponsorLead, initiative, InitiativeStatus.COMPLETED)).toBe(false);
    expect(canFinish(member, initiative, InitiativeStatus.COMPLETED)).toBe(false);
  });

  it('cancels by the same rule as canCancel', () => {
    for (const someone of [owner, member, sponsorLead, otherLead, stranger]) {
      expect(canFinish(someone, initiative, InitiativeStatus.CANCELLED)).toBe(
        canCancel(someone, initiative),
      );
    }
  });
});

describe(isActive.name, () => {
  it('holds only for ACTIVE initiatives', () => {
    expect(isActive({ status: InitiativeStatus.ACTIVE })).toBe(true);
    expect(isActive({ status: InitiativeStatus.COMPLETED })).toBe(false);
    expect(isActive({ status: InitiativeStatus.CANCELLED })).toBe(false);
  });
});

describe(acceptsMeasurements.name, () => {
  it('keeps measuring after completion, but not after cancellation', () => {
    expect(acceptsMeasurements({ status: InitiativeStatus.ACTIVE })).toBe(true);
    expect(acceptsMeasurements({ status: InitiativeStatus.COMPLETED })).toBe(true);
    expect(acceptsMeasurements({ status: InitiativeStatus.CANCELLED })).toBe(false);
  });
});
