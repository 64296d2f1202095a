import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { keysetPage, SqlParams } from '../../database/keyset.js';
import type { Db } from '../../database/sql.js';
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

  /** One subject's revisions, newest first. */
  page(
    subjectType: string,
    subjectId: string,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<Revision>> {
    const params = new SqlParams();
    return keysetPage<RevisionRow, Revision>((sql, p) => this.dataSource.query(sql, p), {
      select: REVISION_COLUMNS,
      from: 'revision r',
      where: [
        `r.subject_type = ${params.add(subjectType)}`,
        `r.subject_id = ${params.add(subjectId)}`,
      ],
      params,
      orderBy: [{ sql: 'r.seq', holds: 'bigint' }],
      descending: true,
      sortKey: (revision) => [revision.seq],
      map: toRevision,
      first,
      after,
    });
  }
}
