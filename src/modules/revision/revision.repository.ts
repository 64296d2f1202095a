import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Db } from '../../database/sql.js';
import { subjectCountLoader, subjectPageLoader } from '../../database/subject-pages.js';
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

  /** Pages of several subjects' revisions, newest first, in one statement per page shape. */
  readonly page = subjectPageLoader<RevisionsPage, Revision>(() => this.dataSource, {
    table: 'revision',
    alias: 'r',
    columns: REVISION_COLUMNS,
    subjectTypeSql: 'text',
    newestFirst: true,
    toRow: toRevision,
  });

  /** How many revisions a subject has. Key: `${subjectType}:${subjectId}`. */
  readonly count = subjectCountLoader(() => this.dataSource, {
    table: 'revision',
    subjectTypeSql: 'text',
  });
}
