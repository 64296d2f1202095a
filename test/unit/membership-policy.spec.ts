import { membershipRefusal } from '../../src/modules/employee/membership-policy.js';
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
