import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BatchLoader, groupedByKey } from '../../common/graphql/request-loaders.js';
import { firstRow, rows, type Db } from '../../database/sql.js';
import type { Milestone } from './models/initiative.models.js';

/** Milestone columns: the row needs no mapping (the due date is a calendar day, as text). */
const MILESTONE_COLUMNS = `id, initiative_id AS "initiativeId", title, to_char(due_date, 'YYYY-MM-DD') AS "dueDate",
  completed_at AS "completedAt", completed_by_id AS "completedById", assignee_id AS "assigneeId",
  created_at AS "createdAt"`;

/** What a new milestone is made of. */
export interface NewMilestone {
  initiativeId: string;
  title: string;
  dueDate: string | null;
  assigneeId: string | null;
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
      `INSERT INTO milestone (initiative_id, title, due_date, assignee_id)
       SELECT $1::uuid, $2::varchar, $3::date, $5::uuid
        WHERE (SELECT count(*) FROM milestone WHERE initiative_id = $1) < $4
       RETURNING ${MILESTONE_COLUMNS}`,
      [
        milestone.initiativeId,
        milestone.title,
        milestone.dueDate,
        maxMilestones,
        milestone.assigneeId,
      ],
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

  /** The milestone, or undefined. */
  findById(db: Db, milestoneId: string): Promise<Milestone | undefined> {
    return firstRow<Milestone>(db, `SELECT ${MILESTONE_COLUMNS} FROM milestone WHERE id = $1`, [
      milestoneId,
    ]);
  }

  /** A new title and due date. */
  async edit(
    tx: Db,
    milestoneId: string,
    title: string,
    dueDate: string | null,
  ): Promise<Milestone> {
    const [row] = await rows<Milestone>(
      tx,
      `UPDATE milestone SET title = $2, due_date = $3 WHERE id = $1 RETURNING ${MILESTONE_COLUMNS}`,
      [milestoneId, title, dueDate],
    );
    return row;
  }

  /** Who may complete it besides the owner (null: nobody). */
  async assign(tx: Db, milestoneId: string, assigneeId: string | null): Promise<Milestone> {
    const [row] = await rows<Milestone>(
      tx,
      `UPDATE milestone SET assignee_id = $2 WHERE id = $1 RETURNING ${MILESTONE_COLUMNS}`,
      [milestoneId, assigneeId],
    );
    return row;
  }

  /** Unassigns someone from the initiative's open milestones (they left); the ids unassigned. */
  async unassignFrom(tx: Db, initiativeId: string, employeeId: string): Promise<string[]> {
    const found = await rows<{ id: string }>(
      tx,
      `UPDATE milestone SET assignee_id = NULL
        WHERE initiative_id = $1 AND assignee_id = $2 AND completed_at IS NULL RETURNING id`,
      [initiativeId, employeeId],
    );
    return found.map((row) => row.id);
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
