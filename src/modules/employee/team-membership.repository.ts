import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BatchLoader, byKey, groupedByKey } from '../../common/graphql/request-loaders.js';
import { cursorCondition, SqlParams } from '../../database/keyset.js';
import { rows, type Db } from '../../database/sql.js';
import type { TeamRole } from '../team/team-role.js';
import type { MembershipCounts } from './membership-policy.js';
import { BY_NAME, EMPLOYEE_COLUMNS } from './employee.repository.js';
import type { Employee, TeamMembership } from './employee.model.js';

const MEMBERSHIP_COLUMNS = `m.team_id AS "teamId", m.employee_id AS "employeeId", m.role,
  m.created_at AS since, e.name AS "employeeName"`;

/** One page of a team's member list (a loader key). */
export interface MembersPage {
  teamId: string;
  first: number;
  after?: string;
}

/** The `team_membership` table: who belongs to which team, in which role. */
@Injectable()
export class TeamMembershipRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Makes a new employee a member of their home team. */
  async insertMember(tx: Db, teamId: string, employeeId: string): Promise<void> {
    await tx.query(
      `INSERT INTO team_membership (team_id, employee_id, role) VALUES ($1, $2, 'MEMBER')`,
      [teamId, employeeId],
    );
  }

  /**
   * The employee's role in the team, their number of teams and the team's number of leads,
   * in one statement (read after the team and employee rows are locked).
   */
  async standing(tx: Db, teamId: string, employeeId: string): Promise<MembershipCounts> {
    const [row] = await rows<MembershipCounts>(
      tx,
      `SELECT (SELECT role FROM team_membership WHERE team_id = $1 AND employee_id = $2) AS role,
              (SELECT count(*)::int FROM team_membership WHERE employee_id = $2) AS teams,
              (SELECT count(*)::int FROM team_membership WHERE team_id = $1 AND role = 'LEAD') AS leads`,
      [teamId, employeeId],
    );
    return row;
  }

  /** Puts the employee in the team in `role`, or changes their role there (and `since`). */
  async upsert(
    tx: Db,
    teamId: string,
    employeeId: string,
    role: TeamRole,
  ): Promise<TeamMembership> {
    const [membership] = await rows<TeamMembership>(
      tx,
      `WITH m AS (
         INSERT INTO team_membership (team_id, employee_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (team_id, employee_id) DO UPDATE SET role = EXCLUDED.role, created_at = now()
         RETURNING *
       )
       SELECT ${MEMBERSHIP_COLUMNS} FROM m JOIN employee e ON e.id = m.employee_id`,
      [teamId, employeeId, role],
    );
    return membership;
  }

  /** Changes the employee's role in the team (keeping `since`); undefined if not a member. */
  async setRole(
    tx: Db,
    teamId: string,
    employeeId: string,
    role: TeamRole,
  ): Promise<TeamMembership | undefined> {
    const [membership] = await rows<TeamMembership>(
      tx,
      `WITH m AS (
         UPDATE team_membership SET role = $3 WHERE team_id = $1 AND employee_id = $2 RETURNING *
       )
       SELECT ${MEMBERSHIP_COLUMNS} FROM m JOIN employee e ON e.id = m.employee_id`,
      [teamId, employeeId, role],
    );
    return membership;
  }

  /**
   * Takes the employee out of the team. A membership row is referred to by nothing else (what
   * the member did for the team keeps their employee id, and the audit log keeps the change).
   */
  async remove(tx: Db, teamId: string, employeeId: string): Promise<void> {
    await tx.query(`DELETE FROM team_membership WHERE team_id = $1 AND employee_id = $2`, [
      teamId,
      employeeId,
    ]);
  }

  /** How many OPEN needs the team buys (read across into the market's table). */
  async openNeedsOf(tx: Db, teamId: string): Promise<number> {
    const [row] = await rows<{ count: number }>(
      tx,
      `SELECT count(*)::int AS count FROM need WHERE buyer_kind = 'TEAM' AND buyer_id = $1 AND status = 'OPEN'`,
      [teamId],
    );
    return row.count;
  }

  /** An employee's teams, by team name. */
  readonly byEmployee = new BatchLoader<string, TeamMembership[]>(async (employeeIds) => {
    const found = await rows<TeamMembership>(
      this.dataSource,
      `SELECT ${MEMBERSHIP_COLUMNS} FROM team_membership m
         JOIN employee e ON e.id = m.employee_id JOIN team t ON t.id = m.team_id
        WHERE m.employee_id = ANY($1) ORDER BY t.name`,
      [[...employeeIds]],
    );
    return groupedByKey(employeeIds, found, (m) => m.employeeId);
  });

  /** A team's leads, by name. */
  readonly leadsByTeam = new BatchLoader<string, Employee[]>(async (teamIds) => {
    const found = await rows<Employee & { teamId: string }>(
      this.dataSource,
      `SELECT ${EMPLOYEE_COLUMNS}, m.team_id AS "teamId" FROM team_membership m JOIN employee e ON e.id = m.employee_id
        WHERE m.team_id = ANY($1) AND m.role = 'LEAD' ORDER BY e.name, e.id`,
      [[...teamIds]],
    );
    return groupedByKey(teamIds, found, (e) => e.teamId);
  });

  readonly countByTeam = new BatchLoader<string, number>(async (teamIds) => {
    const counts = await rows<{ teamId: string; count: number }>(
      this.dataSource,
      `SELECT team_id AS "teamId", count(*)::int AS count FROM team_membership WHERE team_id = ANY($1) GROUP BY team_id`,
      [[...teamIds]],
    );
    return byKey(teamIds, counts, (r) => r.teamId, undefined).map((r) => r?.count ?? 0);
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
        const found = await rows<TeamMembership>(
          this.dataSource,
          `SELECT * FROM (
             SELECT ${MEMBERSHIP_COLUMNS},
                    row_number() OVER (PARTITION BY m.team_id ORDER BY e.name, e.id) AS position
               FROM team_membership m JOIN employee e ON e.id = m.employee_id
              WHERE m.team_id = ANY(${teams}) AND ${cursor}
           ) numbered WHERE position <= ${limit} ORDER BY position`,
          params.values,
        );
        const byTeam = groupedByKey(teamIds, found, (m) => m.teamId);
        group.forEach((page, i) => results.set(page, byTeam[i]));
      }
      return pages.map((page) => results.get(page)!);
    },
    { cacheKeyFn: (page) => `${page.teamId}:${page.first}:${page.after ?? ''}` },
  );
}
