import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import {
  badInput,
  conflict,
  invalidTransition,
  notFound,
} from '../../common/errors/domain-error.js';
import { isConstraintViolation } from '../../common/errors/postgres-errors.js';
import { UnitOfWork, type Tx } from '../../common/unit-of-work/unit-of-work.js';
import type { Db } from '../../database/sql.js';
import { TeamRole } from '../team/team-role.js';
import { TeamService } from '../team/team.service.js';
import { CapacityService } from './capacity.service.js';
import type { ReactivateEmployeeInput } from './dto/leaver.inputs.js';
import type { MoveEmployeeInput } from './dto/move-employee.input.js';
import type { UpdateEmployeeInput } from './dto/update-employee.input.js';
import type { Employee } from './employee.model.js';
import { EmployeeRepository } from './employee.repository.js';
import { EmployeeService } from './employee.service.js';
import { directoryConflict } from './employee-conflicts.js';
import type { DirectoryIdentity } from './employee.repository.js';
import { membershipRefusal } from './membership-policy.js';
import { TeamMembershipRepository } from './team-membership.repository.js';

type Fields = 'name' | 'email' | 'title' | 'weeklyCapacityHours';
const FIELDS: readonly Fields[] = ['name', 'email', 'title', 'weeklyCapacityHours'];

/** Admin changes to people (issue 14, "joiners and movers"): their details and home team. */
@Injectable()
export class EmployeeAdminService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly employees: EmployeeRepository,
    private readonly memberships: TeamMembershipRepository,
    private readonly capacity: CapacityService,
    private readonly teams: TeamService,
    private readonly sessions: EmployeeService,
  ) {}

  /**
   * A leaver's sign-in ends, in the deactivating unit of work (the leavers module's, which has
   * first ended their work): the row is marked deactivated and every session ends (tokens refused
   * from the next request, WebSockets closed after commit). INVALID_TRANSITION if they already
   * are deactivated; NOT_FOUND if there is no such employee.
   */
  async deactivate(tx: Tx, employeeId: string): Promise<Employee> {
    const employee = await this.employees.deactivate(tx, employeeId);
    if (!employee) {
      if (await this.employees.findById(employeeId, tx)) {
        throw invalidTransition('The employee is deactivated already');
      }
      throw notFound('Employee', 'employeeId');
    }
    await this.sessions.endSessions(tx, employeeId);
    return employee;
  }

  /**
   * The employee, their row locked FOR NO KEY UPDATE until the transaction ends (a directory's
   * read-modify-write of them waits for the one before); NOT_FOUND on employeeId.
   */
  async lock(tx: Tx, employeeId: string): Promise<Employee> {
    const employee = await this.employees.lock(tx, employeeId, 'NO KEY UPDATE');
    if (!employee) throw notFound('Employee', 'employeeId');
    return employee;
  }

  /**
   * The leaver, their row locked FOR UPDATE before anything else: every unit of work of theirs
   * holds it FOR KEY SHARE (the ActorGate), so this waits for those under way, which the
   * deactivation then sees, and those to come wait for it and are refused. NOT_FOUND on
   * employeeId; INVALID_TRANSITION if they are deactivated already.
   */
  async lockActive(tx: Tx, employeeId: string): Promise<Employee> {
    const employee = await this.employees.lock(tx, employeeId, 'UPDATE');
    if (!employee) throw notFound('Employee', 'employeeId');
    if (employee.deactivatedAt) throw invalidTransition('The employee is deactivated already');
    return employee;
  }

  /**
   * A successor to hand work to: an active employee, held FOR SHARE so that nobody deactivates
   * them before the transaction ends. NOT_FOUND, or BAD_USER_INPUT on `field` when deactivated.
   */
  async holdActive(tx: Tx, employeeId: string, field: string): Promise<Employee> {
    const employee = await this.employees.share(tx, employeeId);
    if (!employee) throw notFound('Employee', field);
    if (employee.deactivatedAt) throw badInput(field, `${field}: that employee is deactivated`);
    return employee;
  }

  /**
   * The employee, their row held FOR SHARE until the transaction ends: whether they are
   * deactivated stays as read (a deactivation waits). Undefined if there is no such employee.
   */
  hold(tx: Tx, employeeId: string): Promise<Employee | undefined> {
    return this.employees.share(tx, employeeId);
  }

  /** An active lead of the team other than `exceptId`; undefined if there is none. */
  activeLeadOf(db: Db, teamId: string, exceptId: string): Promise<string | undefined> {
    return this.employees.activeLeadOf(db, teamId, exceptId);
  }

  /**
   * Sets the directory's ids of an employee (SCIM userName when it is not the e-mail, and
   * externalId); CONFLICT when someone else holds one. Audited when they change.
   */
  async setDirectoryIdentity(
    tx: Tx,
    employeeId: string,
    identity: DirectoryIdentity,
  ): Promise<void> {
    const before = await this.employees.directoryIdentityOf(tx, employeeId);
    if (!before) throw notFound('Employee', 'employeeId');
    const after = { userName: identity.userName ?? null, externalId: identity.externalId ?? null };
    if (before.userName === after.userName && before.externalId === after.externalId) return;
    try {
      await this.employees.setDirectoryIdentity(tx, employeeId, after);
    } catch (error) {
      throw directoryConflict(error, after) ?? error;
    }
    await tx.record({
      action: 'employee.setDirectoryIdentity',
      subjectType: 'Employee',
      subjectId: employeeId,
      payload: { from: before, to: after },
    });
  }

  /**
   * Lets a deactivated employee sign in again (nothing else comes back: bids, engagements,
   * memberships and initiatives stay as deactivation left them). Audited; a no-op for an active one.
   */
  async reactivate(input: ReactivateEmployeeInput, actor: Pick<Actor, 'id'>): Promise<Employee> {
    return this.unitOfWork.run({ actor }, (tx) => this.reactivateIn(tx, input));
  }

  /** reactivate, in the caller's unit of work (provisioning runs several in one). */
  async reactivateIn(tx: Tx, input: ReactivateEmployeeInput): Promise<Employee> {
    const before = await this.employees.lock(tx, input.employeeId, 'NO KEY UPDATE');
    if (!before) throw notFound('Employee', 'employeeId');
    if (!before.deactivatedAt) return before;
    const after = (await this.employees.reactivate(tx, input.employeeId))!;
    await tx.record({
      action: 'employee.reactivate',
      subjectType: 'Employee',
      subjectId: after.id,
      payload: { deactivatedAt: before.deactivatedAt },
    });
    return after;
  }

  /**
   * Changes an employee's name, e-mail, title or weekly capacity (those given). The row is
   * locked FOR UPDATE first, so the capacity is weighed against committed hours no acceptance
   * or join can change meanwhile. Audited with each changed field's from and to.
   */
  async update(input: UpdateEmployeeInput, actor: Pick<Actor, 'id'>): Promise<Employee> {
    return this.unitOfWork.run({ actor }, (tx) => this.updateIn(tx, input));
  }

  /** update, in the caller's unit of work (provisioning runs several in one). */
  async updateIn(tx: Tx, input: UpdateEmployeeInput): Promise<Employee> {
    const before = await this.employees.lock(tx, input.employeeId, 'UPDATE');
    if (!before) throw notFound('Employee', 'employeeId');
    if (input.weeklyCapacityHours != null) {
      this.capacity.assertCapacityCovers(before, input.weeklyCapacityHours, 'weeklyCapacityHours');
    }
    let after: Employee | undefined;
    try {
      after = await this.employees.update(tx, input.employeeId, input);
    } catch (error) {
      if (isConstraintViolation(error, 'employee_email_key')) {
        throw conflict(`Someone already uses ${input.email}`, 'email');
      }
      throw error;
    }
    if (!after) throw notFound('Employee', 'employeeId');
    const changes: Partial<Record<Fields, { from: unknown; to: unknown }>> = {};
    for (const field of FIELDS) {
      if (before[field] !== after[field])
        changes[field] = { from: before[field], to: after[field] };
    }
    if (Object.keys(changes).length > 0) {
      await tx.record({
        action: 'employee.update',
        subjectType: 'Employee',
        subjectId: after.id,
        payload: changes,
      });
    }
    return after;
  }

  /**
   * Moves an employee to another home team, making them a MEMBER of it unless they are in it
   * already (within the most teams anyone may be in). Pay for hours logged from now on goes to
   * the new team; hours logged before keep the payee recorded with them (time_log.payee_team_id),
   * so they are still paid to the old team. The employee stays a member of the old team (an
   * admin may remove them with removeTeamMember). Moving someone to their own home team changes
   * nothing.
   */
  async move(input: MoveEmployeeInput, actor: Pick<Actor, 'id'>): Promise<Employee> {
    return this.unitOfWork.run({ actor }, (tx) => this.moveIn(tx, input));
  }

  /** move, in the caller's unit of work (provisioning runs several in one). */
  async moveIn(tx: Tx, input: MoveEmployeeInput): Promise<Employee> {
    await this.teams.lockActive(tx, input.homeTeamId, 'homeTeamId');
    const before = await this.employees.lock(tx, input.employeeId, 'NO KEY UPDATE');
    if (!before) throw notFound('Employee', 'employeeId');
    if (before.homeTeamId === input.homeTeamId) return before;
    const standing = await this.memberships.standing(tx, input.homeTeamId, input.employeeId);
    if (standing.role === null) {
      const refusal = membershipRefusal(standing, TeamRole.MEMBER);
      if (refusal) throw conflict(refusal.message, 'employeeId');
      await this.memberships.insertMember(tx, input.homeTeamId, input.employeeId);
    }
    const after = (await this.employees.setHomeTeam(tx, input.employeeId, input.homeTeamId))!;
    await tx.record({
      action: 'employee.move',
      subjectType: 'Employee',
      subjectId: after.id,
      payload: {
        homeTeamId: { from: before.homeTeamId, to: after.homeTeamId },
        joinedTeam: standing.role === null,
      },
    });
    return after;
  }
}
