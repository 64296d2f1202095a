import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { notFound } from '../../common/errors/domain-error.js';
import { BatchLoader, groupedByKey } from '../../common/graphql/request-loaders.js';
import { cursorCondition, SqlParams } from '../../database/keyset.js';
import { firstRow, rows, type Db } from '../../database/sql.js';
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
  readonly page = new BatchLoader<CommentsPage, Comment[], string>(
    async (pages) => {
      const groups = new Map<string, CommentsPage[]>();
      for (const page of pages) {
        const key = `${page.subjectType}:${page.first}:${page.after ?? ''}`;
        groups.set(key, [...(groups.get(key) ?? []), page]);
      }
      const results = new Map<CommentsPage, Comment[]>();
      for (const group of groups.values()) {
        const { subjectType, first, after } = group[0];
        const subjectIds = group.map((page) => page.subjectId);
        const params = new SqlParams();
        const type = params.add(subjectType);
        const subjects = params.add(subjectIds);
        const limit = params.add(first + 1);
        const cursor = cursorCondition([{ sql: 'c.seq', holds: 'bigint' }], after, params);
        const found = await rows<CommentRow>(
          this.dataSource,
          `SELECT * FROM (
             SELECT ${COMMENT_COLUMNS}, row_number() OVER (PARTITION BY c.subject_id ORDER BY c.seq) AS position
               FROM comment c
              WHERE c.subject_type = ${type} AND c.subject_id = ANY(${subjects}) AND ${cursor}
           ) numbered WHERE position <= ${limit} ORDER BY position`,
          params.values,
        );
        const bySubject = groupedByKey(subjectIds, found.map(toComment), (c) => c.subjectId);
        group.forEach((page, i) => results.set(page, bySubject[i]));
      }
      return pages.map((page) => results.get(page)!);
    },
    {
      cacheKeyFn: (page) =>
        `${page.subjectType}:${page.subjectId}:${page.first}:${page.after ?? ''}`,
    },
  );

  /** How many comments a subject has. Key: `${subjectType}:${subjectId}`. */
  readonly count = new BatchLoader<string, number>(async (keys) => {
    const pairs = keys.map((key) => key.split(':'));
    const counted = await rows<{ key: string; count: number }>(
      this.dataSource,
      `SELECT subject_type || ':' || subject_id AS key, count(*)::int AS count FROM comment
        WHERE (subject_type, subject_id) IN (
          SELECT t::comment_subject, i FROM unnest($1::text[], $2::uuid[]) AS u(t, i))
        GROUP BY subject_type, subject_id`,
      [pairs.map(([type]) => type), pairs.map(([, id]) => id)],
    );
    const counts = new Map(counted.map((r) => [r.key, r.count]));
    return keys.map((key) => counts.get(key) ?? 0);
  });
}
