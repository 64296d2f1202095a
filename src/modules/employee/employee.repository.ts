import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../../common/auth/actor.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { BatchLoader, byKey } from '../../common/graphql/request-loaders.js';
import { keysetPage, SqlParams, type SortColumn } from '../../database/keyset.js';
import { escapeLike, firstRow, rows, type Db } from '../../database/sql.js';
import type { Employee } from './employee.model.js';

/** The columns of an Employee, on `employee e` (team-membership.repository.ts reads them too). */
export const EMPLOYEE_COLUMNS = `e.id, e.name, e.email, e.title, e.weekly_capacity_hours AS "weeklyCapacityHours",
  e.committed_hours_per_week AS "committedHoursPerWeek",
  e.is_admin AS "isAdmin", e.home_team_id AS "homeTeamId", e.created_at AS "createdAt"`;

/** People by name, ties broken by id: the employee list and a team's members alike. */
export const BY_NAME: SortColumn[] = [
  { sql: 'e.name', holds: 'text' },
  { sql: 'e.id', holds: 'uuid' },
];

export interface NewEmployee {
  name: string;
  email: string;
  title: string;
  passwordHash: string;
  weeklyCapacityHours: number;
  homeTeamId: string;
  isAdmin: boolean;
}

/** Which employees a list holds (all conditions apply). */
export interface EmployeeListFilter {
  teamId?: string;
  skillId?: string;
  /** A skill by its normalised name (when no skillId is given). */
  normalizedSkill?: string;
  /** With a skill: at least this level. */
  minSkillLevel?: number;
  /** Part of the name, any case. */
  nameFragment?: string;
}

type ActorRow = Record<
  'leadOf' | 'memberOf' | 'ownsInitiatives' | 'memberOfInitiatives',
  string[]
> & {
  id: string;
  isAdmin: boolean;
  homeTeamId: string;
};

/** The `employee` table: people, their credentials and their committed hours. */
@Injectable()
export class EmployeeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A new employee; e-mail uniqueness and the home team are the constraints' to enforce. */
  async insert(tx: Db, employee: NewEmployee): Promise<Employee> {
    const [inserted] = await rows<Employee>(
      tx,
      `INSERT INTO employee AS e (name, email, title, password_hash, weekly_capacity_hours, home_team_id, is_admin)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING ${EMPLOYEE_COLUMNS}`,
      [
        employee.name,
        employee.email,
        employee.title,
        employee.passwordHash,
        employee.weeklyCapacityHours,
        employee.homeTeamId,
        employee.isAdmin,
      ],
    );
    return inserted;
  }

  /**
   * The employee, their row locked until the transaction ends: `UPDATE` to change what hangs on
   * them (their skills), `NO KEY UPDATE` to weigh their memberships one change at a time.
   */
  lock(tx: Db, id: string, mode: 'UPDATE' | 'NO KEY UPDATE'): Promise<Employee | undefined> {
    return firstRow<Employee>(
      tx,
      `SELECT ${EMPLOYEE_COLUMNS} FROM employee e WHERE e.id = $1 FOR ${mode}`,
      [id],
    );
  }

  findById(id: string, db: Db = this.dataSource): Promise<Employee | undefined> {
    return firstRow<Employee>(db, `SELECT ${EMPLOYEE_COLUMNS} FROM employee e WHERE e.id = $1`, [
      id,
    ]);
  }

  /** The team an employee's pay goes to; undefined if there is no such employee. */
  async homeTeamIdOf(db: Db, id: string): Promise<string | undefined> {
    const row = await firstRow<{ teamId: string }>(
      db,
      `SELECT home_team_id AS "teamId" FROM employee WHERE id = $1`,
      [id],
    );
    return row?.teamId;
  }

  /** For sign-in only: the one place the password hash is read. */
  findCredentials(
    email: string,
    db: Db = this.dataSource,
  ): Promise<{ id: string; passwordHash: string } | undefined> {
    return firstRow<{ id: string; passwordHash: string }>(
      db,
      `SELECT id, password_hash AS "passwordHash" FROM employee WHERE email = $1`,
      [email],
    );
  }

  /**
   * Who a request acts for, with every role authorisation rules look at, in one statement:
   * teams led and belonged to, initiatives owned and joined (read across those tables).
   */
  async findActor(id: string, db: Db = this.dataSource): Promise<Actor | undefined> {
    const row = await firstRow<ActorRow>(
      db,
      `SELECT e.id, e.is_admin AS "isAdmin", e.home_team_id AS "homeTeamId",
              ARRAY(SELECT team_id FROM team_membership WHERE employee_id = e.id AND role = 'LEAD') AS "leadOf",
              ARRAY(SELECT team_id FROM team_membership WHERE employee_id = e.id) AS "memberOf",
              ARRAY(SELECT id FROM initiative WHERE owner_id = e.id) AS "ownsInitiatives",
              ARRAY(SELECT initiative_id FROM initiative_member
                     WHERE employee_id = e.id AND left_at IS NULL) AS "memberOfInitiatives"
         FROM employee e WHERE e.id = $1`,
      [id],
    );
    if (!row) return undefined;
    return {
      id: row.id,
      isAdmin: row.isAdmin,
      homeTeamId: row.homeTeamId,
      leadOf: new Set(row.leadOf),
      memberOf: new Set(row.memberOf),
      ownsInitiatives: new Set(row.ownsInitiatives),
      memberOfInitiatives: new Set(row.memberOfInitiatives),
    };
  }

  /** Hours a week the employee has not committed yet; undefined if there is no such employee. */
  async spareHours(db: Db, id: string): Promise<number | undefined> {
    const row = await firstRow<{ spare: number }>(
      db,
      `SELECT weekly_capacity_hours - committed_hours_per_week AS spare FROM employee WHERE id = $1`,
      [id],
    );
    return row?.spare;
  }

  /**
   * Adds `delta` (negative to release) to the employee's committed hours; false if there is no
   * such employee. The employee_capacity_check constraint refuses an overbooking.
   */
  async addCommittedHours(tx: Db, id: string, delta: number): Promise<boolean> {
    const updated = await rows<{ id: string }>(
      tx,
      `UPDATE employee SET committed_hours_per_week = committed_hours_per_week + $2 WHERE id = $1 RETURNING id`,
      [id, delta],
    );
    return updated.length > 0;
  }

  readonly byId = new BatchLoader<string, Employee | null>(async (ids) => {
    const employees = await rows<Employee>(
      this.dataSource,
      `SELECT ${EMPLOYEE_COLUMNS} FROM employee e WHERE e.id = ANY($1)`,
      [[...ids]],
    );
    return byKey(ids, employees, (e) => e.id);
  });

  /** Employees by name. */
  page(
    filter: EmployeeListFilter,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<Employee>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (filter.teamId) {
      where.push(
        `EXISTS (SELECT 1 FROM team_membership m WHERE m.employee_id = e.id AND m.team_id = ${params.add(filter.teamId)})`,
      );
    }
    if (filter.skillId || filter.normalizedSkill) {
      const skill = filter.skillId
        ? `s.skill_id = ${params.add(filter.skillId)}`
        : `s.skill_id = (SELECT id FROM skill WHERE normalized_name = ${params.add(filter.normalizedSkill)})`;
      const level = filter.minSkillLevel
        ? ` AND s.level >= ${params.add(filter.minSkillLevel)}`
        : '';
      where.push(
        `EXISTS (SELECT 1 FROM employee_skill s WHERE s.employee_id = e.id AND ${skill}${level})`,
      );
    }
    if (filter.nameFragment) {
      where.push(`e.name ILIKE ${params.add(`%${escapeLike(filter.nameFragment)}%`)}`);
    }
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
}
