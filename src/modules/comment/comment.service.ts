import { Injectable } from '@nestjs/common';
import type { PubSubEngine } from 'graphql-subscriptions';
import { DataSource } from 'typeorm';
import type { Actor } from '../../common/auth/actor.js';
import { cursorCondition, SqlParams } from '../../database/keyset.js';
import { BatchLoader, groupedByKey } from '../../common/graphql/request-loaders.js';
import { InjectPubSub } from '../../common/pubsub/pubsub.module.js';
import { Transactions } from '../../database/transactions.js';
import { AuditService } from '../audit/audit.service.js';
import { ideaChangedTopic, IdeaService } from '../idea/idea.service.js';
import { initiativeChangedTopic, InitiativeService } from '../initiative/initiative.service.js';
import { NeedService } from '../market/need.service.js';
import { CommentSubject } from './comment.entity.js';
import type { CommentOnInput } from './dto/comment-on.input.js';
import type { Comment } from './models/comment.models.js';

const COMMENT_COLUMNS = `c.id, c.seq, c.subject_type AS "subjectType", c.subject_id AS "subjectId",
  c.author_id AS "authorId", c.body, c.created_at AS "createdAt"`;

type CommentRow = Omit<Comment, 'seq'> & { seq: string };
const toComment = (row: CommentRow): Comment => ({ ...row, seq: Number(row.seq) });

/** One page of one subject's comments. */
export interface CommentsPage {
  subjectType: CommentSubject;
  subjectId: string;
  first: number;
  after?: string;
}

/** Discussion on ideas, needs and initiatives. */
@Injectable()
export class CommentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly ideas: IdeaService,
    private readonly needs: NeedService,
    private readonly initiatives: InitiativeService,
    private readonly audit: AuditService,
    @InjectPubSub() private readonly pubSub: PubSubEngine,
  ) {}

  /** Anyone who can see the subject may comment on it (a draft idea: only its proposer). */
  async commentOn(input: CommentOnInput, actor: Actor): Promise<Comment> {
    const subjectName = await this.assertVisible(input, actor);
    const comment = await this.transactions.run(async (manager) => {
      const [row] = (await manager.query(
        `INSERT INTO comment AS c (subject_type, subject_id, author_id, body) VALUES ($1, $2, $3, $4)
         RETURNING ${COMMENT_COLUMNS}`,
        [input.subjectType, input.subjectId, actor.id, input.body],
      )) as CommentRow[];
      await this.audit.record(manager, {
        actorId: actor.id,
        action: 'comment.add',
        subjectType: subjectName,
        subjectId: input.subjectId,
        payload: { commentId: row.id, length: input.body.length },
      });
      return toComment(row);
    });
    if (input.subjectType === CommentSubject.IDEA) {
      await this.pubSub.publish(ideaChangedTopic(input.subjectId), { ideaId: input.subjectId });
    }
    if (input.subjectType === CommentSubject.INITIATIVE) {
      await this.pubSub.publish(initiativeChangedTopic(input.subjectId), {
        initiativeId: input.subjectId,
      });
    }
    return comment;
  }

  private async assertVisible(input: CommentOnInput, actor: Actor): Promise<string> {
    switch (input.subjectType) {
      case CommentSubject.IDEA:
        await this.ideas.findVisible(input.subjectId, actor, 'input.subjectId');
        return 'Idea';
      case CommentSubject.NEED:
        await this.needs.findById(input.subjectId, 'input.subjectId');
        return 'Need';
      case CommentSubject.INITIATIVE:
        await this.initiatives.findById(input.subjectId, 'input.subjectId');
        return 'Initiative';
    }
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
        const rows = (await this.dataSource.query(
          `SELECT * FROM (
             SELECT ${COMMENT_COLUMNS}, row_number() OVER (PARTITION BY c.subject_id ORDER BY c.seq) AS position
               FROM comment c
              WHERE c.subject_type = ${type} AND c.subject_id = ANY(${subjects}) AND ${cursor}
           ) numbered WHERE position <= ${limit} ORDER BY position`,
          params.values,
        )) as CommentRow[];
        const bySubject = groupedByKey(subjectIds, rows.map(toComment), (c) => c.subjectId);
        group.forEach((page, i) => results.set(page, bySubject[i]));
      }
      return pages.map((page) => results.get(page)!);
    },
    {
      cacheKeyFn: (page) =>
        `${page.subjectType}:${page.subjectId}:${page.first}:${page.after ?? ''}`,
    },
  );

  readonly count = new BatchLoader<string, number>(async (keys) => {
    const pairs = keys.map((key) => key.split(':'));
    const rows = (await this.dataSource.query(
      `SELECT subject_type || ':' || subject_id AS key, count(*)::int AS count FROM comment
        WHERE (subject_type, subject_id) IN (
          SELECT t::comment_subject, i FROM unnest($1::text[], $2::uuid[]) AS u(t, i))
        GROUP BY subject_type, subject_id`,
      [pairs.map(([type]) => type), pairs.map(([, id]) => id)],
    )) as { key: string; count: number }[];
    const counts = new Map(rows.map((r) => [r.key, r.count]));
    return keys.map((key) => counts.get(key) ?? 0);
  });
}
