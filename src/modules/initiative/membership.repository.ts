import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BatchLoader, byKey, groupedByKey } from '../../common/graphql/request-loaders.js';
import { firstRow, rows, type Db } from '../../database/sql.js';
import { employeeFromJson, employeeJson } from '../employee/employee.repository.js';
import type { InitiativeMember } from './models/initiative.models.js';

/** Member columns over `initiative_member`: the row needs no mapping. */
const MEMBER_COLUMNS = `initiative_id AS "initiativeId", employee_id AS "employeeId",
  hours_per_week AS "hoursPerWeek", joined_at AS "joinedAt"`;

/** Someone who stopped giving an initiative hours, and how many they gave. */
export interface ReleasedMember {
  employeeId: string;
  hoursPerWeek: number;
}

/**
 * The `initiative_member` table: who gives an initiative hours now (`left_at IS NULL`) and
 * who did before. Counts against the maximum are taken under the initiative's row lock.
 */
@Injectable()
export class MembershipRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The owner joins the initiative they start, with no hours yet. */
  async addOwner(tx: Db, initiativeId: string, ownerId: string): Promise<void> {
    await tx.query(
      `INSERT INTO initiative_member (initiative_id, employee_id, hours_per_week) VALUES ($1, $2, 0)`,
      [initiativeId, ownerId],
    );
  }

  /** The hours a current member gives, row-locked (FOR UPDATE); undefined for a non-member. */
  async lockCurrentHours(
    tx: Db,
    initiativeId: string,
    employeeId: string,
  ): Promise<number | undefined> {
    const row = await firstRow<{ hoursPerWeek: number }>(
      tx,
      `SELECT hours_per_week AS "hoursPerWeek" FROM initiative_member
        WHERE initiative_id = $1 AND employee_id = $2 AND left_at IS NULL FOR UPDATE`,
      [initiativeId, employeeId],
    );
    return row?.hoursPerWeek;
  }

  /** Whether the employee gives the initiative time now (a current member). */
  async isCurrentMember(db: Db, initiativeId: string, employeeId: string): Promise<boolean> {
    const row = await firstRow<{ member: boolean }>(
      db,
      `SELECT EXISTS (SELECT 1 FROM initiative_member
        WHERE initiative_id = $1 AND employee_id = $2 AND left_at IS NULL) AS member`,
      [initiativeId, employeeId],
    );
    return row?.member ?? false;
  }

  /** A current member's new hours. */
  async changeHours(
    tx: Db,
    initiativeId: string,
    employeeId: string,
    hoursPerWeek: number,
  ): Promise<InitiativeMember | undefined> {
    return firstRow<InitiativeMember>(
      tx,
      `UPDATE initiative_member SET hours_per_week = $3
        WHERE initiative_id = $1 AND employee_id = $2 AND left_at IS NULL RETURNING ${MEMBER_COLUMNS}`,
      [initiativeId, employeeId, hoursPerWeek],
    );
  }

  /** A new member, unless the initiative has `maxMembers` current members already (undefined). */
  async addWithinLimit(
    tx: Db,
    initiativeId: string,
    employeeId: string,
    hoursPerWeek: number,
    maxMembers: number,
  ): Promise<InitiativeMember | undefined> {
    return firstRow<InitiativeMember>(
      tx,
      `INSERT INTO initiative_member (initiative_id, employee_id, hours_per_week)
       SELECT $1::uuid, $2::uuid, $3::smallint
        WHERE (SELECT count(*) FROM initiative_member WHERE initiative_id = $1 AND left_at IS NULL) < $4
       RETURNING ${MEMBER_COLUMNS}`,
      [initiativeId, employeeId, hoursPerWeek, maxMembers],
    );
  }

  /** The member leaves; the hours they gave, or undefined if they were not a member. */
  async leave(tx: Db, initiativeId: string, employeeId: string): Promise<number | undefined> {
    const row = await firstRow<{ hoursPerWeek: number }>(
      tx,
      `UPDATE initiative_member SET left_at = now()
        WHERE initiative_id = $1 AND employee_id = $2 AND left_at IS NULL
        RETURNING hours_per_week AS "hoursPerWeek"`,
      [initiativeId, employeeId],
    );
    return row?.hoursPerWeek;
  }

  /** The initiatives the employee is a current member of (read without locks). */
  async currentInitiativesOf(db: Db, employeeId: string): Promise<string[]> {
    const found = await rows<{ id: string }>(
      db,
      `SELECT initiative_id AS id FROM initiative_member
        WHERE employee_id = $1 AND left_at IS NULL ORDER BY joined_at, id`,
      [employeeId],
    );
    return found.map((row) => row.id);
  }

  /** Every current member leaves (the initiative ends). */
  releaseAll(tx: Db, initiativeId: string): Promise<ReleasedMember[]> {
    return rows<ReleasedMember>(
      tx,
      `UPDATE initiative_member SET left_at = now() WHERE initiative_id = $1 AND left_at IS NULL
       RETURNING employee_id AS "employeeId", hours_per_week AS "hoursPerWeek"`,
      [initiativeId],
    );
  }

  /** How many people each initiative has ever had as members (those who left too), once each. */
  readonly allTimeCountOf = new BatchLoader<string, number>(async (initiativeIds) => {
    const found = await rows<{ initiativeId: string; count: number }>(
      this.dataSource,
      `SELECT initiative_id AS "initiativeId", count(DISTINCT employee_id)::int AS count
         FROM initiative_member WHERE initiative_id = ANY($1) GROUP BY initiative_id`,
      [[...initiativeIds]],
    );
    return byKey(initiativeIds, found, (row) => row.initiativeId, null).map(
      (row) => row?.count ?? 0,
    );
  });

  /**
   * Each initiative's current members, by hours given (most first), each with the employee
   * (`employee`) read in the same statement.
   */
  readonly currentOf = new BatchLoader<string, InitiativeMember[]>(async (initiativeIds) => {
    const found = await rows<InitiativeMember & { employee: Record<string, unknown> }>(
      this.dataSource,
      `SELECT ${MEMBER_COLUMNS}, ${employeeJson('employee_id')} AS employee
         FROM initiative_member WHERE initiative_id = ANY($1) AND left_at IS NULL
        ORDER BY hours_per_week DESC, joined_at`,
      [[...initiativeIds]],
    );
    const members = found.map((member) => ({
      ...member,
      employee: employeeFromJson(member.employee),
    }));
    return groupedByKey(initiativeIds, members, (m) => m.initiativeId);
  });
}
