import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { notFound } from '../../common/errors/domain-error.js';
import { firstRow, type Db } from '../../database/sql.js';
import { subjectCountLoader, subjectPageLoader } from '../../database/subject-pages.js';
import type { CommentSubject } from './comment.enums.js';
import type { Comment } from './models/comment.models.js';

const COMMENT_COLUMNS = `c.id, c.seq, c.subject_type AS "subjectType", c.subject_id AS "subjectId",
  c.author_id AS "authorId", c.body, c.created_at AS "createdAt", c.edited_at AS "editedAt",
  c.deleted_at AS "deletedAt", c.hidden_at AS "hiddenAt", c.hidden_reason AS "hiddenReason"`;

type CommentRow = Omit<Comment, 'seq'> & { seq: string };
const toComment = (row: CommentRow): Comment => ({ ...row, seq: Number(row.seq) });

/** A comment about to be written. */
export interface NewComment {
  subjectType: CommentSubject;
  subjectId: string;
  authorId: string;
  body: string;
}

/** One page of one subject's comments. */
export interface CommentsPage {
  subjectType: CommentSubject;
  subjectId: string;
  first: number;
  after?: string;
}

/** The `comment` table: discussion on ideas, needs and initiatives. */
@Injectable()
export class CommentRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tx: Db, comment: NewComment): Promise<Comment> {
    const row = await firstRow<CommentRow>(
      tx,
      `INSERT INTO comment AS c (subject_type, subject_id, author_id, body) VALUES ($1, $2, $3, $4)
       RETURNING ${COMMENT_COLUMNS}`,
      [comment.subjectType, comment.subjectId, comment.authorId, comment.body],
    );
    if (!row) throw notFound('Comment');
    return toComment(row);
  }

  /** The comment, row-locked FOR UPDATE (an edit, a deletion or hiding changes it). */
  async lock(tx: Db, id: string): Promise<Comment | undefined> {
    const row = await firstRow<CommentRow>(
      tx,
      `SELECT ${COMMENT_COLUMNS} FROM comment c WHERE c.id = $1 FOR UPDATE`,
      [id],
    );
    return row && toComment(row);
  }

  /** A new body, edited now. */
  editBody(tx: Db, id: string, body: string): Promise<Comment> {
    return this.one(
      tx,
      `UPDATE comment c SET body = $2, edited_at = now() WHERE id = $1 RETURNING ${COMMENT_COLUMNS}`,
      [id, body],
    );
  }

  /** Deleted by its author: the row stays, its body is no longer shown. */
  markDeleted(tx: Db, id: string): Promise<Comment> {
    return this.one(
      tx,
      `UPDATE comment c SET deleted_at = now() WHERE id = $1 RETURNING ${COMMENT_COLUMNS}`,
      [id],
    );
  }

  /** Hidden by an admin, with the reason. */
  markHidden(tx: Db, id: string, reason: string): Promise<Comment> {
    return this.one(
      tx,
      `UPDATE comment c SET hidden_at = now(), hidden_reason = $2 WHERE id = $1 RETURNING ${COMMENT_COLUMNS}`,
      [id, reason],
    );
  }

  private async one(db: Db, sql: string, params: unknown[]): Promise<Comment> {
    const row = await firstRow<CommentRow>(db, sql, params);
    if (!row) throw notFound('Comment');
    return toComment(row);
  }

  /** Pages of several subjects' comments, oldest first, in one statement per page shape. */
  readonly page = subjectPageLoader<CommentsPage, Comment>(() => this.dataSource, {
    table: 'comment',
    alias: 'c',
    columns: COMMENT_COLUMNS,
    subjectTypeSql: 'comment_subject',
    newestFirst: false,
    toRow: toComment,
  });

  /** How many comments a subject has. Key: `${subjectType}:${subjectId}`. */
  readonly count = subjectCountLoader(() => this.dataSource, {
    table: 'comment',
    subjectTypeSql: 'comment_subject',
  });
}
