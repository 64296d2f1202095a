import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BatchLoader, groupedByKey } from '../../common/graphql/request-loaders.js';
import { cursorCondition, SqlParams } from '../../database/keyset.js';
import { rows, type Db } from '../../database/sql.js';
import type { Changes, FieldChange, FieldValue, Revision } from './models/revision.models.js';

const REVISION_COLUMNS = `r.id, r.seq, r.subject_type AS "subjectType", r.subject_id AS "subjectId",
  r.editor_id AS "editorId", r.changes, r.at`;

type RevisionRow = Omit<Revision, 'seq' | 'changes'> & { seq: string; changes: Changes };

const asText = (value: FieldValue | undefined): string | null =>
  value === null || value === undefined
    ? null
    : Array.isArray(value)
      ? value.join(', ')
      : String(value);

const toRevision = (row: RevisionRow): Revision => ({
  ...row,
  seq: Number(row.seq),
  changes: Object.entries(row.changes).map(([field, change]): FieldChange => ({
    field,
    from: asText(change.from),
    to: asText(change.to),
  })),
});

/** A revision about to be written. */
export interface NewRevision {
  subjectType: string;
  subjectId: string;
  editorId: string;
  changes: Changes;
}

/** One page of one subject's revisions. */
export interface RevisionsPage {
  subjectType: string;
  subjectId: string;
  first: number;
  after?: string;
}

/** The `revision` table: the history of edits. */
@Injectable()
export class RevisionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tx: Db, revision: NewRevision): Promise<void> {
    await tx.query(
      `INSERT INTO revision (subject_type, subject_id, editor_id, changes) VALUES ($1, $2, $3, $4)`,
      [revision.subjectType, revision.subjectId, revision.editorId, revision.changes],
    );
  }

  /**
   * Pages of several subjects' revisions, newest first, in one statement per page shape: the
   * `revisions` of every milestone or metric of an initiative cost one statement, not one each.
   */
  readonly page = new BatchLoader<RevisionsPage, Revision[], string>(
    async (pages) => {
      const groups = new Map<string, RevisionsPage[]>();
      for (const page of pages) {
        const key = `${page.subjectType}:${page.first}:${page.after ?? ''}`;
        groups.set(key, [...(groups.get(key) ?? []), page]);
      }
      const results = new Map<RevisionsPage, Revision[]>();
      for (const group of groups.values()) {
        const { subjectType, first, after } = group[0];
        const subjectIds = group.map((page) => page.subjectId);
        const params = new SqlParams();
        const type = params.add(subjectType);
        const subjects = params.add(subjectIds);
        const limit = params.add(first + 1);
        const cursor = cursorCondition([{ sql: 'r.seq', holds: 'bigint' }], after, params, true);
        const found = await rows<RevisionRow>(
          this.dataSource,
          `SELECT * FROM (
             SELECT ${REVISION_COLUMNS},
                    row_number() OVER (PARTITION BY r.subject_id ORDER BY r.seq DESC) AS position
               FROM revision r
              WHERE r.subject_type = ${type} AND r.subject_id = ANY(${subjects}::uuid[]) AND ${cursor}
           ) numbered WHERE position <= ${limit} ORDER BY position`,
          params.values,
        );
        const bySubject = groupedByKey(subjectIds, found.map(toRevision), (r) => r.subjectId);
        group.forEach((page, i) => results.set(page, bySubject[i]));
      }
      return pages.map((page) => results.get(page)!);
    },
    {
      cacheKeyFn: (page) =>
        `${page.subjectType}:${page.subjectId}:${page.first}:${page.after ?? ''}`,
    },
  );

  /** How many revisions a subject has. Key: `${subjectType}:${subjectId}`. */
  readonly count = new BatchLoader<string, number>(async (keys) => {
    const pairs = keys.map((key) => key.split(':'));
    const counted = await rows<{ key: string; count: number }>(
      this.dataSource,
      `SELECT subject_type || ':' || subject_id AS key, count(*)::int AS count FROM revision
        WHERE (subject_type, subject_id) IN (
          SELECT t, i FROM unnest($1::text[], $2::uuid[]) AS u(t, i))
        GROUP BY subject_type, subject_id`,
      [pairs.map(([type]) => type), pairs.map(([, id]) => id)],
    );
    const counts = new Map(counted.map((r) => [r.key, r.count]));
    return keys.map((key) => counts.get(key) ?? 0);
  });
}
