import { TeamRole } from '../team/team-role.js';
import { MAX_LEADS_PER_TEAM, MAX_TEAMS_PER_EMPLOYEE } from './employee-limits.js';

/** Where a membership change stands before it is made. */
export interface MembershipCounts {
  /** The employee's role in the team now; null if not a member. */
  role: TeamRole | null;
  /** How many teams the employee is in. */
  teams: number;
  /** How many leads the team has. */
  leads: number;
}

/** Why a membership change would break a limit: what to say, and on which input field. */
export interface MembershipRefusal {
  message: string;
  field: 'employeeId' | 'teamId' | 'role';
}

/**
 * Whether putting the employee in the team as `role` would take them past the most teams
 * anyone may be in, or the team past the most leads it may have; null if it may be made.
 */
export function membershipRefusal(now: MembershipCounts, role: TeamRole): MembershipRefusal | null {
  if (now.role === null && now.teams >= MAX_TEAMS_PER_EMPLOYEE) {
    return {
      message: `The employee is in ${MAX_TEAMS_PER_EMPLOYEE} teams already, the most anyone may be in`,
      field: 'employeeId',
    };
  }
  if (role === TeamRole.LEAD && now.role !== TeamRole.LEAD && now.leads >= MAX_LEADS_PER_TEAM) {
    return {
      message: `The team has ${MAX_LEADS_PER_TEAM} leads already, the most a team may have`,
      field: 'teamId',
    };
  }
  return null;
}

/**
 * Whether taking a lead away from the team (demoting them to MEMBER, or removing them) would
 * leave its OPEN needs without anyone to accept bids on them and review the hours worked; null
 * if it may be done. `now` is the employee's standing, `openNeeds` the team's OPEN needs, both
 * read under the team's row lock.
 */
export function leadLossRefusal(
  now: MembershipCounts,
  openNeeds: number,
  field: MembershipRefusal['field'],
): MembershipRefusal | null {
  if (now.role === TeamRole.LEAD && now.leads <= 1 && openNeeds > 0) {
    return {
      message: `The team's last lead cannot go while it has ${openNeeds} open need(s): make someone else a lead, or close them, first`,
      field,
    };
  }
  return null;
}

/**
 * Whether putting the employee in a team as `role` (from `before`, null if not a member)
 * changes their rights enough to end their sessions: any change of an existing role, or a new
 * lead. Joining as a plain member takes nothing away.
 */
export const roleChangeEndsSessions = (before: TeamRole | null, role: TeamRole): boolean =>
  before !== role && (before !== null || role === TeamRole.LEAD);
