import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { keysetPage, SqlParams } from '../../database/keyset.js';
import { firstRow, rows, type Db } from '../../database/sql.js';
import type { NotificationChannel } from './notification-kind.js';
import type { Notification } from './notification.model.js';
import { AUDIENCES } from './notification-audience.repository.js';
import type { Rule } from './notification-rules.js';

/**
 * The advisory lock class of e-mailing one notification (with hashtext of its id): held by an
 * immediate e-mail's transaction, and by a digest's for each notification it carries.
 */
export const EMAIL_LOCK = `hashtext('mbd:notification-email')`;

const COLUMNS = `id, seq::float8 AS seq, kind, subject_type AS "subjectType", subject_id AS "subjectId", message,
  created_at AS "createdAt", read_at AS "readAt", recipient_id AS "recipientId", actor_id AS "actorId"`;

/** A notification just written, and whether its recipient wants it e-mailed at once. */
export type WrittenNotification = Notification & { emailNow: boolean };

/** A notification to e-mail at once, with its recipient as they are now. */
export interface NotificationToEmail {
  id: string;
  kind: string;
  subjectType: string;
  subjectId: string;
  message: string;
  emailedAt: Date | null;
  recipientId: string;
  email: string;
  name: string;
  /** Active, and still wanting this kind e-mailed at once. */
  wanted: boolean;
}

/** The `notification`, `follow` and `notification_preference` tables. */
@Injectable()
export class NotificationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One statement for one audited event: every rule's audience, each person once (the first
   * rule that names them), never the actor, never a deactivated person, never a kind they
   * turned off. Returns what was written, to publish once the transaction commits.
   */
  async insertFor(
    tx: Db,
    event: { subjectId: string; payload: Record<string, unknown>; actorId: string | null },
    rules: Rule[],
  ): Promise<WrittenNotification[]> {
    const params = new SqlParams();
    params.add(event.subjectId);
    params.add(JSON.stringify(event.payload));
    params.add(event.actorId);
    const candidates = rules
      .map(
        (rule, priority) =>
          `SELECT ${priority} AS priority, ${params.add(rule.kind)}::text AS kind,
                  ${params.add(rule.message)}::text AS template, a.*
             FROM (${AUDIENCES[rule.audience]}) a`,
      )
      .join(' UNION ALL ');
    return rows<WrittenNotification>(
      tx,
      `WITH event AS (SELECT $1::uuid AS subject_id, $2::jsonb AS payload, $3::uuid AS actor_id),
       candidates AS (${candidates}),
       chosen AS (
         SELECT DISTINCT ON (c.recipient) c.* FROM candidates c
          WHERE c.recipient IS NOT NULL ORDER BY c.recipient, c.priority),
       written AS (
       INSERT INTO notification (recipient_id, kind, subject_type, subject_id, actor_id, message)
       SELECT ch.recipient, ch.kind, ch.subject_type, ch.subject_id, ev.actor_id,
              left(format(ch.template,
                          coalesce((SELECT name FROM employee WHERE id = ev.actor_id), 'The service'),
                          coalesce(ch.title, '')), 500)
         FROM chosen ch CROSS JOIN event ev
         JOIN employee e ON e.id = ch.recipient AND e.deactivated_at IS NULL
        WHERE ch.recipient IS DISTINCT FROM ev.actor_id
          AND NOT EXISTS (SELECT 1 FROM notification_preference p
                           WHERE p.employee_id = ch.recipient AND p.kind = ch.kind
                             AND p.channel = 'OFF')
       RETURNING ${COLUMNS})
       SELECT w.*, EXISTS (SELECT 1 FROM notification_preference p
                            WHERE p.employee_id = w."recipientId" AND p.kind = w.kind
                              AND p.channel = 'EMAIL_NOW') AS "emailNow"
         FROM written w`,
      params.values,
    );
  }

  /**
   * The notification with its recipient, once this transaction holds the right to e-mail it
   * (an advisory lock, EMAIL_LOCK, until the transaction ends: the row itself stays free, so
   * a relay that stalls holds up nobody marking it read). Read after the lock is granted: what
   * an instance or a digest that held it before committed is seen. A notification a digest
   * carried is the digest's (not wanted here), whatever the channel became since.
   */
  async lockForEmail(tx: Db, id: string): Promise<NotificationToEmail | undefined> {
    await tx.query(`SELECT pg_advisory_xact_lock(${EMAIL_LOCK}, hashtext($1::text))`, [id]);
    return firstRow<NotificationToEmail>(
      tx,
      `SELECT n.id, n.kind, n.subject_type AS "subjectType", n.subject_id AS "subjectId",
              n.message, n.emailed_at AS "emailedAt", n.recipient_id AS "recipientId",
              e.email, e.name,
              (e.deactivated_at IS NULL AND n.digest_id IS NULL
               AND p.channel IS NOT DISTINCT FROM 'EMAIL_NOW') AS wanted
         FROM notification n
         JOIN employee e ON e.id = n.recipient_id
         LEFT JOIN notification_preference p ON p.employee_id = n.recipient_id AND p.kind = n.kind
        WHERE n.id = $1`,
      [id],
    );
  }

  async markEmailed(tx: Db, id: string): Promise<void> {
    await tx.query(`UPDATE notification SET emailed_at = now() WHERE id = $1`, [id]);
  }

  findById(id: string): Promise<Notification | undefined> {
    return firstRow<Notification>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM notification WHERE id = $1`,
      [id],
    );
  }

  /** The recipient's inbox, newest first. */
  page(
    recipientId: string,
    unreadOnly: boolean,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<Notification>> {
    const params = new SqlParams();
    const where = [`recipient_id = ${params.add(recipientId)}`];
    if (unreadOnly) where.push('read_at IS NULL');
    return keysetPage<Notification>((sql, p) => this.dataSource.query(sql, p), {
      select: COLUMNS,
      from: 'notification',
      where,
      params,
      orderBy: [{ sql: 'seq', holds: 'bigint' }],
      descending: true,
      sortKey: (n) => [n.seq],
      first,
      after,
    });
  }

  async unreadCount(recipientId: string, db: Db = this.dataSource): Promise<number> {
    const row = await firstRow<{ n: number }>(
      db,
      `SELECT count(*)::int AS n FROM notification WHERE recipient_id = $1 AND read_at IS NULL`,
      [recipientId],
    );
    return row?.n ?? 0;
  }

  /** Marks the recipient's unread ones read: those given, or all. Returns how many changed. */
  async markRead(tx: Db, recipientId: string, ids: string[] | null): Promise<number> {
    const marked = await rows<{ id: string }>(
      tx,
      `UPDATE notification SET read_at = now()
        WHERE recipient_id = $1 AND read_at IS NULL AND ($2::uuid[] IS NULL OR id = ANY($2))
       RETURNING id`,
      [recipientId, ids],
    );
    return marked.length;
  }

  async follow(tx: Db, employeeId: string, subjectType: string, subjectId: string): Promise<void> {
    await tx.query(
      `INSERT INTO follow (employee_id, subject_type, subject_id) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [employeeId, subjectType, subjectId],
    );
  }

  async unfollow(
    tx: Db,
    employeeId: string,
    subjectType: string,
    subjectId: string,
  ): Promise<void> {
    await tx.query(
      `DELETE FROM follow WHERE employee_id = $1 AND subject_type = $2 AND subject_id = $3`,
      [employeeId, subjectType, subjectId],
    );
  }

  /**
   * Whether the subject exists and the employee may see it: an idea never submitted (a draft,
   * or a draft withdrawn) is its proposer's only, as isVisibleIdea.
   */
  async visible(employeeId: string, subjectType: string, subjectId: string): Promise<boolean> {
    const table = { Idea: 'idea', Need: 'need', Initiative: 'initiative' }[subjectType];
    if (!table) return false;
    const draftRule = table === 'idea' ? `AND (submitted_at IS NOT NULL OR proposer_id = $2)` : '';
    const row = await firstRow<{ ok: boolean }>(
      this.dataSource,
      `SELECT true AS ok FROM ${table} WHERE id = $1 ${draftRule}`,
      table === 'idea' ? [subjectId, employeeId] : [subjectId],
    );
    return !!row;
  }

  preferences(employeeId: string): Promise<{ kind: string; channel: NotificationChannel }[]> {
    return rows(
      this.dataSource,
      `SELECT kind, channel FROM notification_preference WHERE employee_id = $1`,
      [employeeId],
    );
  }

  async setPreference(tx: Db, employeeId: string, kind: string, channel: string): Promise<void> {
    await tx.query(
      `INSERT INTO notification_preference (employee_id, kind, channel) VALUES ($1, $2, $3)
       ON CONFLICT (employee_id, kind) DO UPDATE SET channel = EXCLUDED.channel`,
      [employeeId, kind, channel],
    );
  }
}
