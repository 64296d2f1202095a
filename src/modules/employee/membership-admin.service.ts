import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { badInput, conflict, notFound } from '../../common/errors/domain-error.js';
import { UnitOfWork, type Tx } from '../../common/unit-of-work/unit-of-work.js';
import type { Db } from '../../database/sql.js';
import { TeamRole } from '../team/team-role.js';
import { TeamService } from '../team/team.service.js';
import type { RemoveTeamMemberInput } from './dto/remove-team-member.input.js';
import type { SetTeamMemberRoleInput } from './dto/set-team-member-role.input.js';
import type { Employee, TeamMembership } from './employee.model.js';
import { EmployeeRepository } from './employee.repository.js';
import { EmployeeService } from './employee.service.js';
import { leadLossRefusal, membershipRefusal } from './membership-policy.js';
import { TeamMembershipRepository } from './team-membership.repository.js';

/**
 * Admins' changes to existing memberships: a member's role, and leaving a team. Admin only,
 * promotions included: a lead spends the team's budget and decides on its needs, so who leads
 * is the budget holder's (the admin's) decision, not one a lead hands on. Each change locks the
 * team, then the employee (ARCHITECTURE.md, lock order), so leads are counted one change at a
 * time.
 */
@Injectable()
export class MembershipAdminService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly employees: EmployeeRepository,
    private readonly memberships: TeamMembershipRepository,
    private readonly teams: TeamService,
    private readonly employeeService: EmployeeService,
  ) {}

  /**
   * Makes a member a LEAD or a lead a MEMBER. Refuses a lead past the most a team may have
   * (CONFLICT on teamId) and demoting the last lead of a team with OPEN needs (CONFLICT on
   * role). Setting the role someone has already changes nothing.
   */
  async setRole(input: SetTeamMemberRoleInput, actor: Pick<Actor, 'id'>): Promise<TeamMembership> {
    return this.unitOfWork.run({ actor }, (tx) => this.setRoleIn(tx, input));
  }

  /** setRole, in the caller's unit of work (provisioning runs several in one). */
  async setRoleIn(tx: Tx, input: SetTeamMemberRoleInput): Promise<TeamMembership> {
    await this.teams.lock(tx, input.teamId);
    await this.lockEmployee(tx, input.employeeId);
    const now = await this.memberships.standing(tx, input.teamId, input.employeeId);
    if (now.role === null) throw notFound('Team membership', 'employeeId');
    const refusal =
      input.role === TeamRole.LEAD
        ? membershipRefusal(now, input.role)
        : leadLossRefusal(now, await this.memberships.openNeedsOf(tx, input.teamId), 'role');
    if (refusal) throw conflict(refusal.message, refusal.field);
    const membership = (await this.memberships.setRole(
      tx,
      input.teamId,
      input.employeeId,
      input.role,
    ))!;
    if (now.role !== input.role) {
      await tx.record({
        action: 'team.setMemberRole',
        subjectType: 'Team',
        subjectId: input.teamId,
        payload: { employeeId: input.employeeId, role: { from: now.role, to: input.role } },
      });
      await this.rolesChanged(tx, input.employeeId);
    }
    return membership;
  }

  /**
   * Takes an employee out of a team that is not their home team (BAD_USER_INPUT on teamId:
   * move them first). Refuses taking the last lead from a team with OPEN needs (CONFLICT on
   * employeeId). What they decided for the team (bids accepted, hours reviewed, pledges) stays
   * as it was, attributed to them; the removal is audited with the role they had.
   */
  async remove(input: RemoveTeamMemberInput, actor: Pick<Actor, 'id'>): Promise<Employee> {
    return this.unitOfWork.run({ actor }, (tx) => this.removeIn(tx, input));
  }

  /** remove, in the caller's unit of work (provisioning runs several in one). */
  async removeIn(tx: Tx, input: RemoveTeamMemberInput): Promise<Employee> {
    await this.teams.lock(tx, input.teamId);
    const employee = await this.lockEmployee(tx, input.employeeId);
    if (employee.homeTeamId === input.teamId) {
      throw badInput('teamId', "This is the employee's home team: move them to another first");
    }
    const now = await this.memberships.standing(tx, input.teamId, input.employeeId);
    if (now.role === null) throw notFound('Team membership', 'employeeId');
    const openNeeds = await this.memberships.openNeedsOf(tx, input.teamId);
    const refusal = leadLossRefusal(now, openNeeds, 'employeeId');
    if (refusal) throw conflict(refusal.message, refusal.field);
    await this.memberships.remove(tx, input.teamId, input.employeeId);
    await tx.record({
      action: 'team.removeMember',
      subjectType: 'Team',
      subjectId: input.teamId,
      payload: { employeeId: input.employeeId, role: now.role },
    });
    await this.rolesChanged(tx, input.employeeId);
    return employee;
  }

  private async lockEmployee(tx: Db, employeeId: string): Promise<Employee> {
    const employee = await this.employees.lock(tx, employeeId, 'NO KEY UPDATE');
    if (!employee) throw notFound('Employee', 'employeeId');
    return employee;
  }

  /**
   * A role taken or given: every token the employee holds carried the old roles, so their
   * sessions end (the next request, and the next subscription event, see the new roles).
   */
  private async rolesChanged(tx: Tx, employeeId: string): Promise<void> {
    await this.employeeService.endSessions(tx, employeeId);
  }
}
