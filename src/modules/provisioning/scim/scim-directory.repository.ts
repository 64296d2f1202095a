import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SqlParams } from '../../../database/keyset.js';
import { firstRow, rows, type Db } from '../../../database/sql.js';
import type { TeamRole } from '../../team/team-role.js';
import type { Condition, GroupAttribute, UserAttribute } from './scim-filter.js';

/** An employee as SCIM shows them: their row and their home team's name. */
export interface DirectoryUser {
  id: string;
  name: string;
  email: string;
  title: string;
  userName: string | null;
  externalId: string | null;
  homeTeamId: string;
  homeTeamName: string;
  active: boolean;
  /** Admins are not SCIM's to change (provisioning-policy.ts); never shown to clients. */
  isAdmin: boolean;
  createdAt: Date;
}

/** A team as SCIM shows it (archived teams are deleted groups: never shown). */
export interface DirectoryGroup {
  id: string;
  name: string;
  externalId: string | null;
  createdAt: Date;
}

export interface DirectoryMember {
  groupId: string;
  id: string;
  name: string;
  role: TeamRole;
}

export interface Slice<T> {
  total: number;
  items: T[];
}

const USER_COLUMNS = `e.id, e.name, e.email, e.title, e.user_name AS "userName",
  e.external_id AS "externalId", e.home_team_id AS "homeTeamId", t.name AS "homeTeamName",
  e.deactivated_at IS NULL AS active, e.is_admin AS "isAdmin", e.created_at AS "createdAt"`;
const GROUP_COLUMNS = `t.id, t.name, t.external_id AS "externalId", t.created_at AS "createdAt"`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads of people, teams and memberships as the SCIM API lists them (1-based offsets, as
 * RFC 7644 pages). Writes go through the employee and team modules' services.
 */
@Injectable()
export class ScimDirectoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  user(id: string, db: Db = this.dataSource): Promise<DirectoryUser | undefined> {
    if (!UUID.test(id)) return Promise.resolve(undefined);
    return firstRow<DirectoryUser>(
      db,
      `SELECT ${USER_COLUMNS} FROM employee e JOIN team t ON t.id = e.home_team_id WHERE e.id = $1`,
      [id],
    );
  }

  async users(
    conditions: Condition<UserAttribute>[],
    offset: number,
    limit: number,
  ): Promise<Slice<DirectoryUser>> {
    const params = new SqlParams();
    const where = conditions.map(({ attribute, value }) => {
      // An id that is no uuid matches nobody (and must not reach PostgreSQL as one).
      if (attribute === 'id' && !UUID.test(String(value))) return 'false';
      const p = params.add(value);
      switch (attribute) {
        case 'id':
          return `e.id = ${p}::uuid`;
        case 'userName':
          return `(e.user_name = ${p}::citext OR (e.user_name IS NULL AND e.email = ${p}::citext))`;
        case 'externalId':
          return `e.external_id = ${p}::text`;
        case 'email':
          return `e.email = ${p}::citext`;
        case 'displayName':
          return `e.name = ${p}::text`;
        case 'active':
          return `(e.deactivated_at IS NULL) = ${p}::boolean`;
      }
    });
    return this.slice<DirectoryUser>(
      `FROM employee e JOIN team t ON t.id = e.home_team_id WHERE ${where.join(' AND ') || 'true'}`,
      USER_COLUMNS,
      'e.created_at, e.id',
      params,
      offset,
      limit,
    );
  }

  group(id: string, db: Db = this.dataSource): Promise<DirectoryGroup | undefined> {
    if (!UUID.test(id)) return Promise.resolve(undefined);
    return firstRow<DirectoryGroup>(
      db,
      `SELECT ${GROUP_COLUMNS} FROM team t WHERE t.id = $1 AND t.archived_at IS NULL`,
      [id],
    );
  }

  async groups(
    conditions: Condition<GroupAttribute>[],
    offset: number,
    limit: number,
  ): Promise<Slice<DirectoryGroup>> {
    const params = new SqlParams();
    const where = conditions.map(({ attribute, value }) => {
      if ((attribute === 'id' || attribute === 'member') && !UUID.test(String(value))) {
        return 'false';
      }
      const p = params.add(String(value));
      switch (attribute) {
        case 'id':
          return `t.id = ${p}::uuid`;
        case 'displayName':
          return `t.name = ${p}::citext`;
        case 'externalId':
          return `t.external_id = ${p}::text`;
        case 'member':
          return `EXISTS (SELECT 1 FROM team_membership m WHERE m.team_id = t.id AND m.employee_id = ${p}::uuid)`;
      }
    });
    return this.slice<DirectoryGroup>(
      `FROM team t WHERE t.archived_at IS NULL AND ${where.join(' AND ') || 'true'}`,
      GROUP_COLUMNS,
      't.created_at, t.id',
      params,
      offset,
      limit,
    );
  }

  /** The members of these teams, by name (one statement for a whole page of groups). */
  members(groupIds: string[], db: Db = this.dataSource): Promise<DirectoryMember[]> {
    if (groupIds.length === 0) return Promise.resolve([]);
    return rows<DirectoryMember>(
      db,
      `SELECT m.team_id AS "groupId", e.id, e.name, m.role
         FROM team_membership m JOIN employee e ON e.id = m.employee_id
        WHERE m.team_id = ANY($1::uuid[])
        ORDER BY e.name, e.id`,
      [groupIds],
    );
  }

  /** Who these ids are (unknown ids are left out): whether active, and their home team. */
  people(
    ids: string[],
    db: Db = this.dataSource,
  ): Promise<{ id: string; active: boolean; homeTeamId: string }[]> {
    const valid = ids.filter((id) => UUID.test(id));
    if (valid.length === 0) return Promise.resolve([]);
    return rows(
      db,
      `SELECT id, deactivated_at IS NULL AS active, home_team_id AS "homeTeamId"
         FROM employee WHERE id = ANY($1::uuid[])`,
      [valid],
    );
  }

  /** A person by e-mail (any case), as SCIM shows them. */
  userByEmail(email: string, db: Db = this.dataSource): Promise<DirectoryUser | undefined> {
    return firstRow<DirectoryUser>(
      db,
      `SELECT ${USER_COLUMNS} FROM employee e JOIN team t ON t.id = e.home_team_id
        WHERE e.email = $1::citext`,
      [email],
    );
  }

  /** A team by its name (any case), archived or not. */
  teamNamed(
    name: string,
    db: Db = this.dataSource,
  ): Promise<{ id: string; name: string; archived: boolean } | undefined> {
    return firstRow(
      db,
      `SELECT id, name, archived_at IS NOT NULL AS archived FROM team WHERE name = $1::citext`,
      [name],
    );
  }

  /** The teams a person is in, and their role in each. */
  rolesOf(
    employeeId: string,
    db: Db = this.dataSource,
  ): Promise<{ teamId: string; role: string }[]> {
    return rows(
      db,
      `SELECT team_id AS "teamId", role FROM team_membership WHERE employee_id = $1`,
      [employeeId],
    );
  }

  /** An active team by its name (any case), as a home-team attribute names it. */
  async teamIdNamed(name: string, db: Db = this.dataSource): Promise<string | undefined> {
    const row = await firstRow<{ id: string }>(
      db,
      `SELECT id FROM team WHERE name = $1::citext AND archived_at IS NULL`,
      [name],
    );
    return row?.id;
  }

  private async slice<T>(
    from: string,
    columns: string,
    order: string,
    params: SqlParams,
    offset: number,
    limit: number,
  ): Promise<Slice<T>> {
    const [{ total }] = await rows<{ total: number }>(
      this.dataSource,
      `SELECT count(*)::int AS total ${from}`,
      params.values,
    );
    const items =
      limit === 0 || offset >= total
        ? []
        : await rows<T>(
            this.dataSource,
            `SELECT ${columns} ${from} ORDER BY ${order} OFFSET ${params.add(offset)} LIMIT ${params.add(limit)}`,
            params.values,
          );
    return { total, items };
  }
}
