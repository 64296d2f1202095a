import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BatchLoader, groupedByKey } from '../../common/graphql/request-loaders.js';
import { firstRow, rows, type Db } from '../../database/sql.js';
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

  /** Every current member leaves (the initiative ends). */
  releaseAll(tx: Db, initiativeId: string): Promise<ReleasedMember[]> {
    return rows<ReleasedMember>(
      tx,
      `UPDATE initiative_member SET left_at = now() WHERE initiative_id = $1 AND left_at IS NULL
       RETURNING employee_id AS "employeeId", hours_per_week AS "hoursPerWeek"`,
      [initiativeId],
    );
  }

  /** Each initiative's current members, by hours given (most first). */
  readonly currentOf = new BatchLoader<string, InitiativeMember[]>(async (initiativeIds) => {
    const found = await rows<InitiativeMember>(
      this.dataSource,
      `SELECT ${MEMBER_COLUMNS}
         FROM initiative_member WHERE initiative_id = ANY($1) AND left_at IS NULL
        ORDER BY hours_per_week DESC, joined_at`,
      [[...initiativeIds]],
    );
    return groupedByKey(initiativeIds, found, (m) => m.initiativeId);
  });
}
