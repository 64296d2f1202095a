import type { Actor } from '../../src/common/auth/actor.js';
import {
  acceptsMeasurements,
  canCancel,
  canCompleteMilestone,
  canFinish,
  canReport,
  givesEnoughHours,
  isActive,
  isOwner,
  isParticipant,
  mayBeHandedWork,
} from '../../src/modules/initiative/initiative-policy.js';
import { MIN_MEMBER_HOURS_PER_WEEK } from '../../src/modules/initiative/initiative-limits.js';
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

describe(givesEnoughHours.name, () => {
  it('wants at least an hour a week from a member: joining is giving time', () => {
    expect(MIN_MEMBER_HOURS_PER_WEEK).toBe(1);
    expect(givesEnoughHours(0)).toBe(false);
    expect(givesEnoughHours(1)).toBe(true);
    expect(givesEnoughHours(40)).toBe(true);
  });
});

describe(canReport.name, () => {
  const reportedByMember = { reporterId: member.id };

  it("lets the metric's reporter and the owner record its readings", () => {
    expect(canReport(member, initiative, reportedByMember)).toBe(true);
    expect(canReport(owner, initiative, reportedByMember)).toBe(true);
    expect(canReport(owner, initiative, { reporterId: owner.id })).toBe(true);
  });

  it('refuses other members, the sponsor team’s leads and outsiders', () => {
    const other = actor('other-member', { memberOfInitiatives: [initiative.id] });
    for (const someone of [other, sponsorLead, otherLead, stranger]) {
      expect(canReport(someone, initiative, reportedByMember)).toBe(false);
    }
    expect(canReport(member, initiative, { reporterId: owner.id })).toBe(false);
  });
});

describe(canCompleteMilestone.name, () => {
  it('lets the owner complete any milestone, assigned or not', () => {
    expect(canCompleteMilestone(owner, initiative, { assigneeId: null })).toBe(true);
    expect(canCompleteMilestone(owner, initiative, { assigneeId: member.id })).toBe(true);
  });

  it('lets a member complete only the milestone assigned to them', () => {
    expect(canCompleteMilestone(member, initiative, { assigneeId: member.id })).toBe(true);
    expect(canCompleteMilestone(member, initiative, { assigneeId: null })).toBe(false);
    expect(canCompleteMilestone(member, initiative, { assigneeId: owner.id })).toBe(false);
  });

  it('refuses leads and outsiders', () => {
    for (const someone of [sponsorLead, stranger]) {
      expect(canCompleteMilestone(someone, initiative, { assigneeId: null })).toBe(false);
    }
  });
});

describe(mayBeHandedWork.name, () => {
  it('hands metrics and milestones to the owner or a current member only', () => {
    expect(mayBeHandedWork(initiative, owner.id, false)).toBe(true);
    expect(mayBeHandedWork(initiative, member.id, true)).toBe(true);
    expect(mayBeHandedWork(initiative, stranger.id, false)).toBe(false);
  });
});
