import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { firstRow, rows, type Db } from '../../database/sql.js';
import { EMAIL_LOCK } from './notification.repository.js';

export interface DigestToSend {
  id: string;
  status: string;
  day: string;
  employeeId: string;
  email: string;
  name: string;
  /** False once they were deactivated: nothing is sent to a leaver. */
  active: boolean;
}

export interface DigestLine {
  kind: string;
  subjectType: string;
  subjectId: string;
  message: string;
  createdAt: Date;
}

/** The `notification_digest` table, and the notifications each digest carries. */
@Injectable()
export class DigestRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Makes today's digest (UTC) for everyone active with notifications not yet e-mailed whose
   * kind they want by e-mail, and stamps those notifications with it. A digest already made for
   * someone today is left alone (its notifications wait for tomorrow's). Returns the new ones.
   */
  async plan(tx: Db): Promise<{ id: string }[]> {
    return rows<{ id: string }>(
      tx,
      `WITH wanted AS (
         SELECT n.id, n.recipient_id FROM notification n
           JOIN notification_preference p
             ON p.employee_id = n.recipient_id AND p.kind = n.kind AND p.channel = 'EMAIL_DIGEST'
           JOIN employee e ON e.id = n.recipient_id AND e.deactivated_at IS NULL
          WHERE n.digest_id IS NULL AND n.emailed_at IS NULL),
       made AS (
         INSERT INTO notification_digest (employee_id, day)
         SELECT DISTINCT recipient_id, (now() AT TIME ZONE 'UTC')::date FROM wanted
         ON CONFLICT (employee_id, day) DO NOTHING
         RETURNING id, employee_id),
       stamped AS (
         UPDATE notification n SET digest_id = m.id
           FROM made m, wanted w
          WHERE w.id = n.id AND w.recipient_id = m.employee_id
         RETURNING n.id)
       SELECT id FROM made`,
    );
  }

  /** The digest, its recipient, locked until the transaction ends. */
  lock(tx: Db, id: string): Promise<DigestToSend | undefined> {
    return firstRow<DigestToSend>(
      tx,
      `SELECT d.id, d.status, to_char(d.day, 'YYYY-MM-DD') AS day, d.employee_id AS "employeeId",
              e.email, e.name, e.deactivated_at IS NULL AS active
         FROM notification_digest d JOIN employee e ON e.id = d.employee_id
        WHERE d.id = $1 FOR UPDATE OF d`,
      [id],
    );
  }

  /**
   * What the digest carries of the kinds its recipient still wants by e-mail (now), and was not
   * e-mailed at once. Takes the e-mail lock of each (see NotificationRepository.lockForEmail)
   * first, in one order, so that an immediate e-mail of one of them under way finishes first.
   */
  async lines(tx: Db, digestId: string): Promise<DigestLine[]> {
    await tx.query(
      `SELECT pg_advisory_xact_lock(${EMAIL_LOCK}, k)
         FROM (SELECT hashtext(id::text) AS k FROM notification WHERE digest_id = $1
                ORDER BY 1) keys`,
      [digestId],
    );
    return rows<DigestLine>(
      tx,
      `SELECT n.kind, n.subject_type AS "subjectType", n.subject_id AS "subjectId", n.message,
              n.created_at AS "createdAt"
         FROM notification n
         JOIN notification_preference p ON p.employee_id = n.recipient_id AND p.kind = n.kind
          AND p.channel = 'EMAIL_DIGEST'
        WHERE n.digest_id = $1 AND n.emailed_at IS NULL ORDER BY n.seq`,
      [digestId],
    );
  }

  /** SENT once the relay took it; SKIPPED when there was nothing left to send, or nobody. */
  async finish(tx: Db, id: string, status: 'SENT' | 'SKIPPED'): Promise<void> {
    await tx.query(
      `UPDATE notification_digest
          SET status = $2::varchar, sent_at = CASE WHEN $2::varchar = 'SENT' THEN now() END
        WHERE id = $1`,
      [id, status],
    );
  }

  /** How many digests were made and sent (tests and the job list read it). */
  status(id: string): Promise<{ status: string } | undefined> {
    return firstRow(this.dataSource, `SELECT status FROM notification_digest WHERE id = $1`, [id]);
  }
}
