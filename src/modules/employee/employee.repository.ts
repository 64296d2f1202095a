import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../../common/auth/actor.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { BatchLoader, byKey } from '../../common/graphql/request-loaders.js';
import { keysetPage, SqlParams, type SortColumn } from '../../database/keyset.js';
import { ReadDb } from '../../database/read-db.js';
import { escapeLike, firstRow, rows, type Db } from '../../database/sql.js';
import type { Employee } from './employee.model.js';

/** The columns of an Employee, on `employee e` (team-membership.repository.ts reads them too). */
export const EMPLOYEE_COLUMNS = `e.id, e.name, e.email, e.title, e.weekly_capacity_hours AS "weeklyCapacityHours",
  e.committed_hours_per_week AS "committedHoursPerWeek",
  e.is_admin AS "isAdmin", e.home_team_id AS "homeTeamId", e.created_at AS "createdAt",
  e.deactivated_at AS "deactivatedAt", e.user_name AS "userName", e.external_id AS "externalId"`;

/**
 * The employee whose id is `idSql` as one JSON value (EMPLOYEE_COLUMNS' names), for a statement
 * that reads people alongside what refers to them; `employeeFromJson` makes it an Employee.
 */
export const employeeJson = (idSql: string): string =>
  `(SELECT to_jsonb(x) FROM (SELECT ${EMPLOYEE_COLUMNS} FROM employee e WHERE e.id = ${idSql}) x)`;

/** An Employee from `employeeJson` (JSON carries times as text). */
export function employeeFromJson(json: Record<string, unknown>): Employee {
  const employee = json as unknown as Employee & {
    createdAt: string;
    deactivatedAt: string | null;
  };
  return {
    ...employee,
    createdAt: new Date(employee.createdAt),
    deactivatedAt: employee.deactivatedAt === null ? null : new Date(employee.deactivatedAt),
  };
}

/** People by name, ties broken by id: the employee list and a team's members alike. */
export const BY_NAME: SortColumn[] = [
  { sql: 'e.name', holds: 'text' },
  { sql: 'e.id', holds: 'uuid' },
];

/** How the company's directory knows a person (SCIM): both optional. */
export interface DirectoryIdentity {
  /** The directory's sign-in name when it is not the e-mail address. */
  userName?: string | null;
  externalId?: string | null;
}

export interface NewEmployee extends DirectoryIdentity {
  name: string;
  email: string;
  title: string;
  passwordHash: string | null;
  weeklyCapacityHours: number;
  homeTeamId: string;
  isAdmin: boolean;
}

/** What `update` changes; a field left out (or null) stays as it is. */
export interface EmployeeChanges {
  name?: string | null;
  email?: string | null;
  title?: string | null;
  weeklyCapacityHours?: number | null;
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

/** An actor and the session version their tokens must carry. */
export interface ActorSession {
  actor: Actor;
  sessionVersion: number;
}

/** What a password check needs: who, their hash, and the session version to issue under. */
export interface Credentials {
  id: string;
  passwordHash: string | null;
  sessionVersion: number;
  /** A deactivated employee (a leaver) may not sign in. */
  deactivated: boolean;
}

const CREDENTIALS = `id, password_hash AS "passwordHash", session_version AS "sessionVersion",
  deactivated_at IS NOT NULL AS deactivated`;

type ActorRow = Record<
  'leadOf' | 'memberOf' | 'ownsInitiatives' | 'memberOfInitiatives',
  string[]
> & {
  id: string;
  isAdmin: boolean;
  homeTeamId: string;
  sessionVersion: number;
};

/** The `employee` table: people, their credentials and their committed hours. */
@Injectable()
export class EmployeeRepository {
  constructor(
    private readonly dataSource: DataSource,
    /** Stale-tolerant reads: the read replica when this request may use it (README). */
    private readonly reads: ReadDb,
  ) {}

  /** A new employee; e-mail uniqueness and the home team are the constraints' to enforce. */
  async insert(tx: Db, employee: NewEmployee): Promise<Employee> {
    const [inserted] = await rows<Employee>(
      tx,
      `INSERT INTO employee AS e (name, email, title, password_hash, weekly_capacity_hours, home_team_id,
         is_admin, user_name, external_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING ${EMPLOYEE_COLUMNS}`,
      [
        employee.name,
        employee.email,
        employee.title,
        employee.passwordHash,
        employee.weeklyCapacityHours,
        employee.homeTeamId,
        employee.isAdmin,
        employee.userName ?? null,
        employee.externalId ?? null,
      ],
    );
    return inserted;
  }

  /** The directory's ids of an employee; undefined if there is no such employee. */
  directoryIdentityOf(db: Db, id: string): Promise<Required<DirectoryIdentity> | undefined> {
    return firstRow<Required<DirectoryIdentity>>(
      db,
      `SELECT user_name AS "userName", external_id AS "externalId" FROM employee WHERE id = $1`,
      [id],
    );
  }

  /** Replaces both directory ids (uniqueness is the constraints' to enforce). */
  async setDirectoryIdentity(
    tx: Db,
    id: string,
    identity: Required<DirectoryIdentity>,
  ): Promise<void> {
    await tx.query(`UPDATE employee SET user_name = $2, external_id = $3 WHERE id = $1`, [
      id,
      identity.userName,
      identity.externalId,
    ]);
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

  /** How many employees have the team as their home team. */
  async countHomedIn(db: Db, teamId: string): Promise<number> {
    const [row] = await rows<{ count: number }>(
      db,
      `SELECT count(*)::int AS count FROM employee WHERE home_team_id = $1`,
      [teamId],
    );
    return row.count;
  }

  /** For password checks only (sign-in, a password change): where the hash is read. */
  findCredentials(email: string, db: Db = this.dataSource): Promise<Credentials | undefined> {
    return firstRow<Credentials>(db, `SELECT ${CREDENTIALS} FROM employee WHERE email = $1`, [
      email,
    ]);
  }

  /** The employee's credentials by id (a password change). */
  credentialsOf(id: string, db: Db = this.dataSource): Promise<Credentials | undefined> {
    return firstRow<Credentials>(db, `SELECT ${CREDENTIALS} FROM employee WHERE id = $1`, [id]);
  }

  /** A new password hash, which ends every session: returns the new session version. */
  async setPasswordHash(tx: Db, id: string, passwordHash: string): Promise<number | undefined> {
    const row = await firstRow<{ sessionVersion: number }>(
      tx,
      `UPDATE employee SET password_hash = $2, session_version = session_version + 1
        WHERE id = $1 RETURNING session_version AS "sessionVersion"`,
      [id, passwordHash],
    );
    return row?.sessionVersion;
  }

  /**
   * Ends every session of the employee (tokens carry the version they were issued under):
   * returns the new version, undefined if there is no such employee.
   */
  async bumpSessionVersion(tx: Db, id: string): Promise<number | undefined> {
    const row = await firstRow<{ sessionVersion: number }>(
      tx,
      `UPDATE employee SET session_version = session_version + 1
        WHERE id = $1 RETURNING session_version AS "sessionVersion"`,
      [id],
    );
    return row?.sessionVersion;
  }

  /** The session version new tokens of the employee are issued under. */
  async sessionVersionOf(id: string, db: Db = this.dataSource): Promise<number | undefined> {
    const row = await firstRow<{ sessionVersion: number }>(
      db,
      `SELECT session_version AS "sessionVersion" FROM employee WHERE id = $1`,
      [id],
    );
    return row?.sessionVersion;
  }

  /**
   * Who a request acts for, with every role authorisation rules look at, in one statement:
   * teams led and belonged to, initiatives owned and joined (read across those tables); and
   * their session version, which the request's token must carry (no statement of its own).
   * Undefined for a deactivated employee (a leaver): none of their tokens works.
   */
  async findActorSession(id: string, db: Db = this.dataSource): Promise<ActorSession | undefined> {
    const row = await firstRow<ActorRow>(
      db,
      `SELECT e.id, e.is_admin AS "isAdmin", e.home_team_id AS "homeTeamId",
              e.session_version AS "sessionVersion",
              ARRAY(SELECT team_id FROM team_membership WHERE employee_id = e.id AND role = 'LEAD') AS "leadOf",
              ARRAY(SELECT team_id FROM team_membership WHERE employee_id = e.id) AS "memberOf",
              ARRAY(SELECT id FROM initiative WHERE owner_id = e.id) AS "ownsInitiatives",
              ARRAY(SELECT initiative_id FROM initiative_member
                     WHERE employee_id = e.id AND left_at IS NULL) AS "memberOfInitiatives"
         FROM employee e WHERE e.id = $1 AND e.deactivated_at IS NULL`,
      [id],
    );
    if (!row) return undefined;
    const actor: Actor = {
      id: row.id,
      isAdmin: row.isAdmin,
      homeTeamId: row.homeTeamId,
      leadOf: new Set(row.leadOf),
      memberOf: new Set(row.memberOf),
      ownsInitiatives: new Set(row.ownsInitiatives),
      memberOfInitiatives: new Set(row.memberOfInitiatives),
    };
    return { actor, sessionVersion: row.sessionVersion };
  }

  /**
   * Marks the employee deactivated (a leaver) at the transaction's time, unless they are already;
   * undefined if they are (or there is no such employee).
   */
  deactivate(tx: Db, id: string): Promise<Employee | undefined> {
    return firstRow<Employee>(
      tx,
      `UPDATE employee e SET deactivated_at = now() WHERE e.id = $1 AND e.deactivated_at IS NULL
       RETURNING ${EMPLOYEE_COLUMNS}`,
      [id],
    );
  }

  /** Clears the deactivation (sign-in works again); undefined if there is no such employee. */
  reactivate(tx: Db, id: string): Promise<Employee | undefined> {
    return firstRow<Employee>(
      tx,
      `UPDATE employee e SET deactivated_at = NULL WHERE e.id = $1 RETURNING ${EMPLOYEE_COLUMNS}`,
      [id],
    );
  }

  /**
   * Whether the employee is active, their row held FOR KEY SHARE until the transaction ends: the
   * weakest row lock, which changes of their committed hours or home team never wait for, and
   * which a deactivation's FOR UPDATE does (the unit of work's ActorGate).
   */
  async holdIfActive(tx: Db, id: string): Promise<boolean> {
    const row = await firstRow<{ active: boolean }>(
      tx,
      `SELECT deactivated_at IS NULL AS active FROM employee WHERE id = $1 FOR KEY SHARE`,
      [id],
    );
    return row?.active === true;
  }

  /**
   * The employee, their row held FOR SHARE until the transaction ends (nobody deactivates them
   * meanwhile); undefined if there is no such employee.
   */
  share(tx: Db, id: string): Promise<Employee | undefined> {
    return firstRow<Employee>(
      tx,
      `SELECT ${EMPLOYEE_COLUMNS} FROM employee e WHERE e.id = $1 FOR SHARE`,
      [id],
    );
  }

  /** An active lead of the team other than `exceptId`, the first by name; undefined if none. */
  async activeLeadOf(db: Db, teamId: string, exceptId: string): Promise<string | undefined> {
    const row = await firstRow<{ id: string }>(
      db,
      `SELECT e.id FROM team_membership m JOIN employee e ON e.id = m.employee_id
        WHERE m.team_id = $1 AND m.role = 'LEAD' AND e.deactivated_at IS NULL AND e.id <> $2
        ORDER BY e.name, e.id LIMIT 1`,
      [teamId, exceptId],
    );
    return row?.id;
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

  /**
   * Changes the employee's name, e-mail, title and weekly capacity, each only where given
   * (null keeps it). E-mail uniqueness and the capacity check are the constraints' to enforce;
   * undefined if there is no such employee.
   */
  async update(tx: Db, id: string, changes: EmployeeChanges): Promise<Employee | undefined> {
    return firstRow<Employee>(
      tx,
      `UPDATE employee AS e SET name = coalesce($2, e.name), email = coalesce($3, e.email),
              title = coalesce($4, e.title), weekly_capacity_hours = coalesce($5, e.weekly_capacity_hours)
        WHERE e.id = $1 RETURNING ${EMPLOYEE_COLUMNS}`,
      [
        id,
        changes.name ?? null,
        changes.email ?? null,
        changes.title ?? null,
        changes.weeklyCapacityHours ?? null,
      ],
    );
  }

  /** Makes `teamId` the employee's home team (where pay for hours logged from now on goes). */
  async setHomeTeam(tx: Db, id: string, teamId: string): Promise<Employee | undefined> {
    return firstRow<Employee>(
      tx,
      `UPDATE employee AS e SET home_team_id = $2 WHERE e.id = $1 RETURNING ${EMPLOYEE_COLUMNS}`,
      [id, teamId],
    );
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
    return keysetPage<Employee>((sql, p) => this.reads.query(sql, p), {
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
