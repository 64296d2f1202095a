import { Injectable } from '@nestjs/common';
import { hashPassword } from '../../common/auth/passwords.js';
import { badInput, conflict, notFound } from '../../common/errors/domain-error.js';
import { directoryConflict, homeTeamMissing } from './employee-conflicts.js';
import { isConstraintViolation } from '../../common/errors/postgres-errors.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import type { PubSubEngine } from 'graphql-subscriptions';
import { SESSIONS_ENDED_TOPIC, type SessionsEndedEvent } from '../../common/auth/sessions-ended.js';
import { InjectPubSub } from '../../common/pubsub/pubsub.module.js';
import { UnitOfWork, type Tx } from '../../common/unit-of-work/unit-of-work.js';
import type { Db } from '../../database/sql.js';
import { normalizeSkillName } from '../skill/skill-name.js';
import { SkillService } from '../skill/skill.service.js';
import { TeamService } from '../team/team.service.js';
import type { AddTeamMemberInput } from './dto/add-team-member.input.js';
import type { CreateEmployeeInput } from './dto/create-employee.input.js';
import type { EmployeeFilter } from './dto/employees.args.js';
import type { SkillLevelInput } from './dto/skill-level.input.js';
import { EmployeeSkillRepository } from './employee-skill.repository.js';
import type { Employee, TeamMembership } from './employee.model.js';
import {
  EmployeeRepository,
  type ActorSession,
  type Credentials,
  type DirectoryIdentity,
} from './employee.repository.js';
import { membershipRefusal, roleChangeEndsSessions } from './membership-policy.js';
import { TeamMembershipRepository } from './team-membership.repository.js';

export type { MembersPage } from './team-membership.repository.js';
export type { ActorSession, Credentials, DirectoryIdentity } from './employee.repository.js';

/** A new employee as provisioning creates one: the password hashed already, or none. */
export type NewPerson = Omit<CreateEmployeeInput, 'password'> &
  DirectoryIdentity & { passwordHash: string | null };

/** The system's own work (seeding) has no actor. */
const actorOf = (actorId: string | null) => (actorId ? { id: actorId } : null);

@Injectable()
export class EmployeeService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly employees: EmployeeRepository,
    private readonly employeeSkills: EmployeeSkillRepository,
    private readonly memberships: TeamMembershipRepository,
    private readonly skills: SkillService,
    private readonly teams: TeamService,
    @InjectPubSub() private readonly pubSub: PubSubEngine,
  ) {}

  /** A new employee, a member of their home team, with their skills. */
  async create(input: CreateEmployeeInput, actorId: string | null): Promise<Employee> {
    const passwordHash = await hashPassword(input.password);
    return this.unitOfWork.run({ actor: actorOf(actorId) }, (tx) =>
      this.createIn(tx, { ...input, passwordHash }),
    );
  }

  /**
   * create, in the caller's unit of work, with the password already hashed (or none: people
   * provisioned from a directory sign in through SSO). The directory's ids, when given, are kept
   * with the row (CONFLICT on `userName` or `externalId` when someone else has them).
   */
  async createIn(tx: Tx, input: NewPerson): Promise<Employee> {
    await this.teams.lockActive(tx, input.homeTeamId, 'homeTeamId', 'SHARE');
    let employee: Employee;
    try {
      employee = await this.employees.insert(tx, input);
    } catch (error) {
      throw directoryConflict(error, input) ?? homeTeamMissing(error) ?? error;
    }
    await this.memberships.insertMember(tx, employee.homeTeamId, employee.id);
    const skills = await this.replaceSkills(tx, employee.id, input.skills, 'skills');
    await tx.record({
      action: 'employee.create',
      subjectType: 'Employee',
      subjectId: employee.id,
      payload: {
        name: employee.name,
        email: employee.email,
        title: employee.title,
        homeTeamId: employee.homeTeamId,
        weeklyCapacityHours: employee.weeklyCapacityHours,
        isAdmin: employee.isAdmin,
        skills,
        ...(input.userName || input.externalId
          ? { userName: input.userName ?? null, externalId: input.externalId ?? null }
          : {}),
      },
    });
    return employee;
  }

  /**
   * Puts an employee in a team, or changes their role there. The team's row, then the
   * employee's, are locked before counting (each in its own statement, so the count sees
   * whatever the previous holder committed): neither a team's leads nor a person's teams can
   * pass their maximum, however many additions race.
   */
  async addTeamMember(input: AddTeamMemberInput, actorId: string | null): Promise<TeamMembership> {
    return this.unitOfWork.run({ actor: actorOf(actorId) }, (tx) =>
      this.addTeamMemberIn(tx, input),
    );
  }

  /** addTeamMember, in the caller's unit of work (provisioning runs several in one). */
  async addTeamMemberIn(tx: Tx, input: AddTeamMemberInput): Promise<TeamMembership> {
    await this.teams.lockActive(tx, input.teamId);
    const employee = await this.employees.lock(tx, input.employeeId, 'NO KEY UPDATE');
    if (!employee) throw notFound('Employee', 'employeeId');
    if (employee.deactivatedAt) throw conflict('The employee is deactivated', 'employeeId');
    const now = await this.memberships.standing(tx, input.teamId, input.employeeId);
    const refusal = membershipRefusal(now, input.role);
    if (refusal) throw conflict(refusal.message, refusal.field);
    let membership: TeamMembership;
    try {
      membership = await this.memberships.upsert(tx, input.teamId, input.employeeId, input.role);
    } catch (error) {
      if (isConstraintViolation(error, 'team_membership_team_id_fkey'))
        throw notFound('Team', 'teamId');
      if (isConstraintViolation(error, 'team_membership_employee_id_fkey')) {
        throw notFound('Employee', 'employeeId');
      }
      throw error;
    }
    // Tokens issued under the old rights stop working.
    if (roleChangeEndsSessions(now.role, input.role)) {
      await this.endSessions(tx, input.employeeId);
    }
    await tx.record({
      action: 'team.addMember',
      subjectType: 'Team',
      subjectId: input.teamId,
      payload: { employeeId: input.employeeId, role: input.role },
    });
    return membership;
  }

  /** Replaces an employee's whole set of skills. */
  async setSkills(
    employeeId: string,
    skills: SkillLevelInput[],
    actorId: string | null,
  ): Promise<Employee> {
    return this.unitOfWork.run({ actor: actorOf(actorId) }, async (tx) => {
      // The row lock orders concurrent replacements of one employee's skills.
      const employee = await this.employees.lock(tx, employeeId, 'UPDATE');
      if (!employee) throw notFound('Employee', 'employeeId');
      const saved = await this.replaceSkills(tx, employeeId, skills, 'skills');
      await tx.record({
        action: 'employee.setSkills',
        subjectType: 'Employee',
        subjectId: employeeId,
        payload: { skills: saved },
      });
      return employee;
    });
  }

  private async replaceSkills(
    tx: Db,
    employeeId: string,
    skills: SkillLevelInput[],
    field: string,
  ): Promise<{ name: string; level: number }[]> {
    const seen = new Set<string>();
    skills.forEach((skill, index) => {
      const key = normalizeSkillName(skill.name);
      const entry = `${field}.${index}.name`;
      if (seen.has(key)) throw badInput(entry, `${entry}: "${skill.name}" is listed twice`);
      seen.add(key);
    });
    await this.employeeSkills.removeAll(tx, employeeId);
    if (skills.length === 0) return [];
    const byName = await this.skills.ensureSkills(
      tx,
      skills.map((s) => s.name),
    );
    const held = skills.map((s) => ({
      skill: byName.get(normalizeSkillName(s.name))!,
      level: s.level,
    }));
    await this.employeeSkills.add(
      tx,
      employeeId,
      held.map((h) => h.skill.id),
      held.map((h) => h.level),
    );
    return held.map((h) => ({ name: h.skill.name, level: h.level }));
  }

  async findById(id: string, field = 'id'): Promise<Employee> {
    const employee = await this.employees.findById(id);
    if (!employee) throw notFound('Employee', field);
    return employee;
  }

  /** How many employees have the team as their home team. */
  countHomedIn(db: Db, teamId: string): Promise<number> {
    return this.employees.countHomedIn(db, teamId);
  }

  /** Of the skills named (normalized names), those the employee holds: name → skill id. */
  heldSkillIds(db: Db, employeeId: string, names: string[]): Promise<Map<string, string>> {
    return this.employeeSkills.heldSkillIds(db, employeeId, names);
  }

  /** For sign-in only: the one place the password hash is read by e-mail. */
  findCredentials(email: string): Promise<Credentials | undefined> {
    return this.employees.findCredentials(email);
  }

  /** A password change's: the employee's current credentials (checked outside any transaction). */
  credentialsOf(employeeId: string): Promise<Credentials | undefined> {
    return this.employees.credentialsOf(employeeId);
  }

  /** A new password hash; ends every session. Returns the new session version. */
  async setPasswordHash(tx: Tx, employeeId: string, passwordHash: string): Promise<number> {
    const version = await this.employees.setPasswordHash(tx, employeeId, passwordHash);
    if (version === undefined) throw notFound('Employee');
    this.announceSessionsEnded(tx, employeeId, version);
    return version;
  }

  /**
   * The session hook: ends every session of the employee (each token issued before is refused
   * from the next request or subscription event on). Call it inside the unit of work that
   * changes their password or any role (a team role, the admin flag). Returns the new version.
   */
  async endSessions(tx: Tx, employeeId: string, field?: string): Promise<number> {
    const version = await this.employees.bumpSessionVersion(tx, employeeId);
    if (version === undefined) throw notFound('Employee', field);
    this.announceSessionsEnded(tx, employeeId, version);
    return version;
  }

  /** Once committed: the WebSocket server closes the connections of the ended sessions. */
  private announceSessionsEnded(tx: Tx, employeeId: string, sessionVersion: number): void {
    tx.afterCommit(() =>
      this.pubSub.publish(SESSIONS_ENDED_TOPIC, {
        employeeId,
        sessionVersion,
      } satisfies SessionsEndedEvent),
    );
  }

  /** The session version a new token of the employee is issued under. */
  async sessionVersionOf(employeeId: string): Promise<number> {
    const version = await this.employees.sessionVersionOf(employeeId);
    if (version === undefined) throw notFound('Employee');
    return version;
  }

  /**
   * Who a request acts for, with every role authorisation looks at, and the session version
   * their token must carry; undefined if nobody.
   */
  findActorSession(id: string): Promise<ActorSession | undefined> {
    return this.employees.findActorSession(id);
  }

  /** Employees by name. */
  list(
    filter: EmployeeFilter | undefined,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<Employee>> {
    return this.employees.page(
      {
        teamId: filter?.teamId,
        skillId: filter?.skillId,
        normalizedSkill: filter?.skill ? normalizeSkillName(filter.skill) : undefined,
        minSkillLevel: filter?.minSkillLevel,
        nameFragment: filter?.name,
      },
      first,
      after,
    );
  }

  // The loaders other modules' resolvers use, each declared beside its SQL in a repository.

  get byId(): EmployeeRepository['byId'] {
    return this.employees.byId;
  }

  /** An employee's teams, by team name. */
  get membershipsByEmployee(): TeamMembershipRepository['byEmployee'] {
    return this.memberships.byEmployee;
  }

  /** An employee's skills, strongest first. */
  get skillsByEmployee(): EmployeeSkillRepository['byEmployee'] {
    return this.employeeSkills.byEmployee;
  }

  /** A team's leads, by name. */
  get leadsByTeam(): TeamMembershipRepository['leadsByTeam'] {
    return this.memberships.leadsByTeam;
  }

  get memberCountByTeam(): TeamMembershipRepository['countByTeam'] {
    return this.memberships.countByTeam;
  }

  /** One page of several teams' member lists in one statement. */
  get membersPage(): TeamMembershipRepository['membersPage'] {
    return this.memberships.membersPage;
  }
}
