import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { hashPassword } from '../../common/auth/passwords.js';
import { badInput, conflict, notFound } from '../../common/errors/domain-error.js';
import { isConstraintViolation } from '../../common/errors/postgres-errors.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { cursorCondition, keysetPage, SqlParams, type SortColumn } from '../../database/keyset.js';
import { BatchLoader, byKey, groupedByKey } from '../../common/graphql/request-loaders.js';
import { escapeLike, type Db } from '../../database/sql.js';
import { Transactions } from '../../database/transactions.js';
import { AuditService } from '../audit/audit.service.js';
import { normalizeSkillName } from '../skill/skill-name.js';
import { TeamService } from '../team/team.service.js';
import { SkillService } from '../skill/skill.service.js';
import { TeamRole } from '../team/team-role.js';
import type { AddTeamMemberInput } from './dto/add-team-member.input.js';
import type { CreateEmployeeInput } from './dto/create-employee.input.js';
import type { EmployeeFilter } from './dto/employees.args.js';
import type { SkillLevelInput } from './dto/skill-level.input.js';
import type { Employee, EmployeeSkill, TeamMembership } from './employee.model.js';
import { MAX_LEADS_PER_TEAM, MAX_TEAMS_PER_EMPLOYEE } from './team-membership.entity.js';

const EMPLOYEE_COLUMNS = `e.id, e.name, e.email, e.title, e.weekly_capacity_hours AS "weeklyCapacityHours",
  e.committed_hours_per_week AS "committedHoursPerWeek",
  e.is_admin AS "isAdmin", e.home_team_id AS "homeTeamId", e.created_at AS "createdAt"`;

/** People by name, ties broken by id: the employee list and a team's members alike. */
const BY_NAME: SortColumn[] = [
  { sql: 'e.name', holds: 'text' },
  { sql: 'e.id', holds: 'uuid' },
];

const MEMBERSHIP_COLUMNS = `m.team_id AS "teamId", m.employee_id AS "employeeId", m.role,
  m.created_at AS since, e.name AS "employeeName"`;

export interface MembersPage {
  teamId: string;
  first: number;
  after?: string;
}

@Injectable()
export class EmployeeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly skills: SkillService,
    private readonly teams: TeamService,
    private readonly audit: AuditService,
  ) {}

  /** A new employee, a member of their home team, with their skills. */
  async create(input: CreateEmployeeInput, actorId: string | null): Promise<Employee> {
    const passwordHash = await hashPassword(input.password);
    return this.transactions.run(async (manager) => {
      let employee: Employee;
      try {
        [employee] = (await manager.query(
          `INSERT INTO employee AS e (name, email, title, password_hash, weekly_capacity_hours, home_team_id, is_admin)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           RETURNING ${EMPLOYEE_COLUMNS}`,
          [
            input.name,
            input.email,
            input.title,
            passwordHash,
            input.weeklyCapacityHours,
            input.homeTeamId,
            input.isAdmin,
          ],
        )) as Employee[];
      } catch (error) {
        if (isConstraintViolation(error, 'employee_email_key')) {
          throw conflict(`Someone already uses ${input.email}`, 'input.email');
        }
        if (isConstraintViolation(error, 'employee_home_team_id_fkey')) {
          throw notFound('Team', 'input.homeTeamId');
        }
        throw error;
      }
      await manager.query(
        `INSERT INTO team_membership (team_id, employee_id, role) VALUES ($1, $2, 'MEMBER')`,
        [employee.homeTeamId, employee.id],
      );
      const skills = await this.replaceSkills(manager, employee.id, input.skills, 'input.skills');
      await this.audit.record(manager, {
        actorId,
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
        },
      });
      return employee;
    });
  }

  /**
   * Puts an employee in a team, or changes their role there. The team's row, then the
   * employee's, are locked before counting (each in its own statement, so the count sees
   * whatever the previous holder committed): neither a team's leads nor a person's teams can
   * pass their maximum, however many additions race.
   */
  async addTeamMember(input: AddTeamMemberInput, actorId: string | null): Promise<TeamMembership> {
    return this.transactions.run(async (manager) => {
      await this.teams.lock(manager, input.teamId);
      const [employee] = (await manager.query(
        `SELECT id FROM employee WHERE id = $1 FOR NO KEY UPDATE`,
        [input.employeeId],
      )) as { id: string }[];
      if (!employee) throw notFound('Employee', 'input.employeeId');
      const [now] = (await manager.query(
        `SELECT (SELECT role FROM team_membership WHERE team_id = $1 AND employee_id = $2) AS role,
                (SELECT count(*)::int FROM team_membership WHERE employee_id = $2) AS teams,
                (SELECT count(*)::int FROM team_membership WHERE team_id = $1 AND role = 'LEAD') AS leads`,
        [input.teamId, input.employeeId],
      )) as { role: TeamRole | null; teams: number; leads: number }[];
      if (now.role === null && now.teams >= MAX_TEAMS_PER_EMPLOYEE) {
        throw conflict(
          `The employee is in ${MAX_TEAMS_PER_EMPLOYEE} teams already, the most anyone may be in`,
          'input.employeeId',
        );
      }
      if (
        input.role === TeamRole.LEAD &&
        now.role !== TeamRole.LEAD &&
        now.leads >= MAX_LEADS_PER_TEAM
      ) {
        throw conflict(
          `The team has ${MAX_LEADS_PER_TEAM} leads already, the most a team may have`,
          'input.teamId',
        );
      }
      let membership: TeamMembership;
      try {
        [membership] = (await manager.query(
          `WITH m AS (
             INSERT INTO team_membership (team_id, employee_id, role) VALUES ($1, $2, $3)
             ON CONFLICT (team_id, employee_id) DO UPDATE SET role = EXCLUDED.role, created_at = now()
             RETURNING *
           )
           SELECT ${MEMBERSHIP_COLUMNS} FROM m JOIN employee e ON e.id = m.employee_id`,
          [input.teamId, input.employeeId, input.role],
        )) as TeamMembership[];
      } catch (error) {
        if (isConstraintViolation(error, 'team_membership_team_id_fkey'))
          throw notFound('Team', 'input.teamId');
        if (isConstraintViolation(error, 'team_membership_employee_id_fkey')) {
          throw notFound('Employee', 'input.employeeId');
        }
        throw error;
      }
      await this.audit.record(manager, {
        actorId,
        action: 'team.addMember',
        subjectType: 'Team',
        subjectId: input.teamId,
        payload: { employeeId: input.employeeId, role: input.role },
      });
      return membership;
    });
  }

  /** Replaces an employee's whole set of skills. */
  async setSkills(
    employeeId: string,
    skills: SkillLevelInput[],
    actorId: string | null,
  ): Promise<Employee> {
    return this.transactions.run(async (manager) => {
      // The row lock orders concurrent replacements of one employee's skills.
      const [employee] = (await manager.query(
        `SELECT ${EMPLOYEE_COLUMNS} FROM employee e WHERE e.id = $1 FOR UPDATE`,
        [employeeId],
      )) as Employee[];
      if (!employee) throw notFound('Employee', 'input.employeeId');
      const saved = await this.replaceSkills(manager, employeeId, skills, 'input.skills');
      await this.audit.record(manager, {
        actorId,
        action: 'employee.setSkills',
        subjectType: 'Employee',
        subjectId: employeeId,
        payload: { skills: saved },
      });
      return employee;
    });
  }

  private async replaceSkills(
    manager: EntityManager,
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
    await manager.query(`DELETE FROM employee_skill WHERE employee_id = $1`, [employeeId]);
    if (skills.length === 0) return [];
    const byName = await this.skills.ensureSkills(
      manager,
      skills.map((s) => s.name),
    );
    const rows = skills.map((s) => ({
      skill: byName.get(normalizeSkillName(s.name))!,
      level: s.level,
    }));
    await manager.query(
      `INSERT INTO employee_skill (employee_id, skill_id, level)
       SELECT $1, * FROM unnest($2::uuid[], $3::int[])`,
      [employeeId, rows.map((r) => r.skill.id), rows.map((r) => r.level)],
    );
    return rows.map((r) => ({ name: r.skill.name, level: r.level }));
  }

  async findById(id: string, field = 'id'): Promise<Employee> {
    const [employee] = (await this.dataSource.query(
      `SELECT ${EMPLOYEE_COLUMNS} FROM employee e WHERE e.id = $1`,
      [id],
    )) as Employee[];
    if (!employee) throw notFound('Employee', field);
    return employee;
  }

  /** The team an employee's pay goes to. */
  async homeTeamIdOf(db: Db, employeeId: string): Promise<string> {
    const [row] = (await db.query(`SELECT home_team_id AS "teamId" FROM employee WHERE id = $1`, [
      employeeId,
    ])) as { teamId: string }[];
    if (!row) throw notFound('Employee');
    return row.teamId;
  }

  /** Of the skills named (normalized names), those the employee holds: name → skill id. */
  async heldSkillIds(db: Db, employeeId: string, names: string[]): Promise<Map<string, string>> {
    const rows = (await db.query(
      `SELECT k.id, k.normalized_name AS name FROM employee_skill s JOIN skill k ON k.id = s.skill_id
        WHERE s.employee_id = $1 AND k.normalized_name = ANY($2)`,
      [employeeId, names],
    )) as { id: string; name: string }[];
    return new Map(rows.map((r) => [r.name, r.id]));
  }

  /** For sign-in only: the one place the password hash is read. */
  async findCredentials(email: string): Promise<{ id: string; passwordHash: string } | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT id, password_hash AS "passwordHash" FROM employee WHERE email = $1`,
      [email],
    )) as { id: string; passwordHash: string }[];
    return row;
  }

  /** Employees by name. */
  list(
    filter: EmployeeFilter | undefined,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<Employee>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (filter?.teamId) {
      where.push(
        `EXISTS (SELECT 1 FROM team_membership m WHERE m.employee_id = e.id AND m.team_id = ${params.add(filter.teamId)})`,
      );
    }
    if (filter?.skillId || filter?.skill) {
      const skill = filter.skillId
        ? `s.skill_id = ${params.add(filter.skillId)}`
        : `s.skill_id = (SELECT id FROM skill WHERE normalized_name = ${params.add(normalizeSkillName(filter.skill!))})`;
      const level = filter.minSkillLevel
        ? ` AND s.level >= ${params.add(filter.minSkillLevel)}`
        : '';
      where.push(
        `EXISTS (SELECT 1 FROM employee_skill s WHERE s.employee_id = e.id AND ${skill}${level})`,
      );
    }
    if (filter?.name) where.push(`e.name ILIKE ${params.add(`%${escapeLike(filter.name)}%`)}`);
    return keysetPage<Employee>((sql, p) => this.dataSource.query(sql, p), {
      select: EMPLOYEE_COLUMNS,
      from: 'employee e',
      where,
      params,
      orderBy: BY_NAME,
      sortKey: (employee) => [employee.name, employee.id],
      first,
      after,
    });
  }

  readonly byId = new BatchLoader<string, Employee | null>(async (ids) => {
    const rows = (await this.dataSource.query(
      `SELECT ${EMPLOYEE_COLUMNS} FROM employee e WHERE e.id = ANY($1)`,
      [[...ids]],
    )) as Employee[];
    return byKey(ids, rows, (e) => e.id);
  });

  /** An employee's teams, by team name. */
  readonly membershipsByEmployee = new BatchLoader<string, TeamMembership[]>(
    async (employeeIds) => {
      const rows = (await this.dataSource.query(
        `SELECT ${MEMBERSHIP_COLUMNS} FROM team_membership m
         JOIN employee e ON e.id = m.employee_id JOIN team t ON t.id = m.team_id
        WHERE m.employee_id = ANY($1) ORDER BY t.name`,
        [[...employeeIds]],
      )) as TeamMembership[];
      return groupedByKey(employeeIds, rows, (m) => m.employeeId);
    },
  );

  /** An employee's skills, strongest first. */
  readonly skillsByEmployee = new BatchLoader<string, EmployeeSkill[]>(async (employeeIds) => {
    const rows = (await this.dataSource.query(
      `SELECT s.employee_id AS "employeeId", s.skill_id AS "skillId", s.level, k.name
         FROM employee_skill s JOIN skill k ON k.id = s.skill_id
        WHERE s.employee_id = ANY($1) ORDER BY s.level DESC, k.normalized_name`,
      [[...employeeIds]],
    )) as (Omit<EmployeeSkill, 'skill'> & { name: string })[];
    const skills = rows.map(({ name, ...row }) => ({ ...row, skill: { id: row.skillId, name } }));
    return groupedByKey(employeeIds, skills, (s) => s.employeeId);
  });

  /** A team's leads, by name. */
  readonly leadsByTeam = new BatchLoader<string, Employee[]>(async (teamIds) => {
    const rows = (await this.dataSource.query(
      `SELECT ${EMPLOYEE_COLUMNS}, m.team_id AS "teamId" FROM team_membership m JOIN employee e ON e.id = m.employee_id
        WHERE m.team_id = ANY($1) AND m.role = 'LEAD' ORDER BY e.name, e.id`,
      [[...teamIds]],
    )) as (Employee & { teamId: string })[];
    return groupedByKey(teamIds, rows, (e) => e.teamId);
  });

  readonly memberCountByTeam = new BatchLoader<string, number>(async (teamIds) => {
    const rows = (await this.dataSource.query(
      `SELECT team_id AS "teamId", count(*)::int AS count FROM team_membership WHERE team_id = ANY($1) GROUP BY team_id`,
      [[...teamIds]],
    )) as { teamId: string; count: number }[];
    return byKey(teamIds, rows, (r) => r.teamId, undefined).map((r) => r?.count ?? 0);
  });

  /**
   * One page of several teams' member lists in one statement: members are numbered per team
   * by name and each team keeps its first `first + 1` after the cursor. Pages asked with
   * different `first`/`after` are batched separately.
   */
  readonly membersPage = new BatchLoader<MembersPage, TeamMembership[], string>(
    async (pages) => {
      const groups = new Map<string, MembersPage[]>();
      for (const page of pages) {
        const key = `${page.first}:${page.after ?? ''}`;
        groups.set(key, [...(groups.get(key) ?? []), page]);
      }
      const results = new Map<MembersPage, TeamMembership[]>();
      for (const group of groups.values()) {
        const { first, after } = group[0];
        const teamIds = group.map((p) => p.teamId);
        const params = new SqlParams();
        const teams = params.add(teamIds);
        const limit = params.add(first + 1);
        const cursor = cursorCondition(BY_NAME, after, params);
        const rows = (await this.dataSource.query(
          `SELECT * FROM (
             SELECT ${MEMBERSHIP_COLUMNS},
                    row_number() OVER (PARTITION BY m.team_id ORDER BY e.name, e.id) AS position
               FROM team_membership m JOIN employee e ON e.id = m.employee_id
              WHERE m.team_id = ANY(${teams}) AND ${cursor}
           ) numbered WHERE position <= ${limit} ORDER BY position`,
          params.values,
        )) as TeamMembership[];
        const byTeam = groupedByKey(teamIds, rows, (m) => m.teamId);
        group.forEach((page, i) => results.set(page, byTeam[i]));
      }
      return pages.map((page) => results.get(page)!);
    },
    { cacheKeyFn: (page) => `${page.teamId}:${page.first}:${page.after ?? ''}` },
  );
}
