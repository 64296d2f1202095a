import {
  leadLossRefusal,
  membershipRefusal,
  roleChangeEndsSessions,
} from '../../src/modules/employee/membership-policy.js';
import {
  MAX_LEADS_PER_TEAM,
  MAX_TEAMS_PER_EMPLOYEE,
} from '../../src/modules/employee/employee-limits.js';
import { TeamRole } from '../../src/modules/team/team-role.js';

describe(membershipRefusal.name, () => {
  const room = { role: null, teams: 1, leads: 0 };

  it('lets anyone join a team while both have room', () => {
    expect(membershipRefusal(room, TeamRole.MEMBER)).toBeNull();
    expect(membershipRefusal(room, TeamRole.LEAD)).toBeNull();
  });

  it('refuses a new team to someone already in the most teams, on employeeId', () => {
    const full = { ...room, teams: MAX_TEAMS_PER_EMPLOYEE };
    expect(membershipRefusal(full, TeamRole.MEMBER)?.field).toBe('employeeId');
  });

  it('lets someone in the most teams change their role in one of them', () => {
    const full = { role: TeamRole.MEMBER, teams: MAX_TEAMS_PER_EMPLOYEE, leads: 0 };
    expect(membershipRefusal(full, TeamRole.LEAD)).toBeNull();
  });

  it('refuses another lead to a team that has the most, on teamId', () => {
    const led = { ...room, leads: MAX_LEADS_PER_TEAM };
    expect(membershipRefusal(led, TeamRole.LEAD)?.field).toBe('teamId');
    expect(membershipRefusal(led, TeamRole.MEMBER)).toBeNull();
  });

  it('lets a lead of a full team stay lead', () => {
    const led = { role: TeamRole.LEAD, teams: 2, leads: MAX_LEADS_PER_TEAM };
    expect(membershipRefusal(led, TeamRole.LEAD)).toBeNull();
  });
});

describe(leadLossRefusal.name, () => {
  const lastLead = { role: TeamRole.LEAD, teams: 2, leads: 1 };

  it('refuses taking the last lead from a team with open needs, on the given field', () => {
    expect(leadLossRefusal(lastLead, 1, 'role')?.field).toBe('role');
    expect(leadLossRefusal(lastLead, 3, 'employeeId')?.field).toBe('employeeId');
  });

  it('lets the last lead go when the team has no open needs', () => {
    expect(leadLossRefusal(lastLead, 0, 'role')).toBeNull();
  });

  it('lets a lead go while another stays, and a member at any time', () => {
    expect(leadLossRefusal({ ...lastLead, leads: 2 }, 5, 'role')).toBeNull();
    expect(leadLossRefusal({ ...lastLead, role: TeamRole.MEMBER }, 5, 'role')).toBeNull();
  });
});

describe(roleChangeEndsSessions.name, () => {
  it('ends sessions when a role changes or someone becomes a lead', () => {
    expect(roleChangeEndsSessions(TeamRole.MEMBER, TeamRole.LEAD)).toBe(true);
    expect(roleChangeEndsSessions(TeamRole.LEAD, TeamRole.MEMBER)).toBe(true);
    expect(roleChangeEndsSessions(null, TeamRole.LEAD)).toBe(true);
  });

  it('keeps them when nothing is taken away or granted beyond membership', () => {
    expect(roleChangeEndsSessions(null, TeamRole.MEMBER)).toBe(false);
    expect(roleChangeEndsSessions(TeamRole.MEMBER, TeamRole.MEMBER)).toBe(false);
    expect(roleChangeEndsSessions(TeamRole.LEAD, TeamRole.LEAD)).toBe(false);
  });
});
