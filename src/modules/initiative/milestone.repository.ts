import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BatchLoader, groupedByKey } from '../../common/graphql/request-loaders.js';
import { firstRow, rows, type Db } from '../../database/sql.js';
import type { Milestone } from './models/initiative.models.js';

/** Milestone columns: the row needs no mapping (the due date is a calendar day, as text). */
const MILESTONE_COLUMNS = `id, initiative_id AS "initiativeId", title, to_char(due_date, 'YYYY-MM-DD') AS "dueDate",
  completed_at AS "completedAt", completed_by_id AS "completedById", created_at AS "createdAt"`;

/** What a new milestone is made of. */
export interface NewMilestone {
  initiativeId: string;
  title: string;
  dueDate: string | null;
}

/** The `milestone` table. Counts against the maximum are taken under the initiative's row lock. */
@Injectable()
export class MilestoneRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A new milestone, unless the initiative has `maxMilestones` already (undefined). */
  addWithinLimit(
    tx: Db,
    milestone: NewMilestone,
    maxMilestones: number,
  ): Promise<Milestone | undefined> {
    return firstRow<Milestone>(
      tx,
      `INSERT INTO milestone (initiative_id, title, due_date)
       SELECT $1::uuid, $2::varchar, $3::date
        WHERE (SELECT count(*) FROM milestone WHERE initiative_id = $1) < $4
       RETURNING ${MILESTONE_COLUMNS}`,
      [milestone.initiativeId, milestone.title, milestone.dueDate, maxMilestones],
    );
  }

  /** The initiative a milestone belongs to, or undefined if there is no such milestone. */
  async initiativeIdOf(db: Db, milestoneId: string): Promise<string | undefined> {
    const row = await firstRow<{ initiativeId: string }>(
      db,
      `SELECT initiative_id AS "initiativeId" FROM milestone WHERE id = $1`,
      [milestoneId],
    );
    return row?.initiativeId;
  }

  /** Marks it complete by `employeeId`; undefined if it already was. */
  complete(tx: Db, milestoneId: string, employeeId: string): Promise<Milestone | undefined> {
    return firstRow<Milestone>(
      tx,
      `UPDATE milestone SET completed_at = now(), completed_by_id = $2
        WHERE id = $1 AND completed_at IS NULL RETURNING ${MILESTONE_COLUMNS}`,
      [milestoneId, employeeId],
    );
  }

  /** Each initiative's milestones, in the order they were added. */
  readonly ofInitiative = new BatchLoader<string, Milestone[]>(async (initiativeIds) => {
    const found = await rows<Milestone>(
      this.dataSource,
      `SELECT ${MILESTONE_COLUMNS} FROM milestone WHERE initiative_id = ANY($1) ORDER BY seq`,
      [[...initiativeIds]],
    );
    return groupedByKey(initiativeIds, found, (m) => m.initiativeId);
  });
}
